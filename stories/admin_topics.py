"""The editors' admin for topics, which stories are tagged with (Story admin, autocomplete)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.text import slugify

from sources.admin import NewsroomAdmin

from .models import Topic


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "slug", "description"]
        help_texts = {"slug": "Its address: /topics/<slug>/. Left empty, it is made from the name."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_slug(self):
        """The slug given, or one made from the name (without its markup or punctuation)."""
        slug = self.cleaned_data["slug"] or slugify(self.cleaned_data.get("name", ""))
        if not slug:
            raise forms.ValidationError(
                "The name has no letters or digits to make a slug from; give one."
            )
        return slug


class TopicAdmin(NewsroomAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug", "story_count"]
    # Also what the Story admin's topics autocomplete searches.
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Explicit: Meta.ordering does not apply to the counting query's GROUP BY.
    ordering = ["name", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, topic):
        return topic.story_count
