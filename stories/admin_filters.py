"""List filters for the curation of articles into stories."""

from django.contrib import admin


class InStoryFilter(admin.SimpleListFilter):
    """Editors' inbox: articles the feeds brought in that no story holds yet."""

    title = "story"
    parameter_name = "in_story"

    def lookups(self, request, model_admin):
        return [("no", "Not in a story"), ("yes", "In a story")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(story_link__isnull=self.value() == "no")
        return queryset
