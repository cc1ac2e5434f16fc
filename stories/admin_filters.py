"""List filters for the curation of articles into stories."""

from django.db.models import Q

from sources.admin_filters import ChoicesFilter


class InStoryFilter(ChoicesFilter):
    """Editors' inbox: articles the feeds brought in that no story holds yet."""

    title = "story"
    parameter_name = "in_story"
    options = {
        "no": ("Not in a story", Q(story_link__isnull=True)),
        "yes": ("In a story", Q(story_link__isnull=False)),
    }
