"""List filters for the stories admin and the curation of articles."""

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


class SubscriptionStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "expired":
            return queryset.expired()
        return queryset
