"""Reads for the desk's inbox."""

from django.db.models import Exists, OuterRef, Prefetch

from sources.models import Article

from .models import Suggestion


def inbox_articles():
    """Articles in no story with a suggestion waiting, newest first; each article's waiting
    suggestions, stories best first and then its proposed new story, are in `waiting`."""
    waiting = Suggestion.objects.open()
    # A proposed new story has no score of its own (0), so it comes after the stories.
    shown = waiting.select_related("story").order_by("-score", "pk")
    return (
        Article.objects.filter(in_story=False)
        .filter(Exists(waiting.filter(article=OuterRef("pk"))))
        .select_related("source")
        .prefetch_related(Prefetch("suggestions", queryset=shown, to_attr="waiting"))
        .order_by("-published_at", "-pk")
    )
