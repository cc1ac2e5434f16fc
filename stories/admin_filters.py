"""List filters for the curation of articles into stories."""

from django.db.models import Exists, OuterRef

from sources.admin_filters import ChoicesFilter

from .models import StoryArticle

# An anti-join PostgreSQL estimates well; "story_link__isnull=True" is a LEFT JOIN ... IS
# NULL that it misjudged into a nested loop over every pair at a million articles.
PLACED = Exists(StoryArticle.objects.filter(article=OuterRef("pk")))


class InStoryFilter(ChoicesFilter):
    """Editors' inbox: articles the feeds brought in that no story holds yet."""

    title = "story"
    parameter_name = "in_story"
    options = {
        "no": ("Not in a story", ~PLACED),
        "yes": ("In a story", PLACED),
    }
