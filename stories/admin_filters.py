"""List filters for the curation of articles into stories."""

from django.db.models import Q

from sources.admin_filters import ChoicesFilter


class InStoryFilter(ChoicesFilter):
    """Editors' inbox: articles the feeds brought in that no story holds yet.

    Read from Article.in_story (stories/placement.py), which a partial index of the
    articles in no story serves.
    """

    title = "story"
    parameter_name = "in_story"
    options = {
        "no": ("Not in a story", Q(in_story=False)),
        "yes": ("In a story", Q(in_story=True)),
    }
