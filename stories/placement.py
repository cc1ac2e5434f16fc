"""Article.in_story: whether a story holds the article, kept with the links that place it.

The editors' inbox is the articles in no story. Asked through the links, it is an
anti-join of a million articles against a million links, which no index answers
and which grows with the database; asked through this flag, it is a partial index
of the articles in no story (sources/models.py). The flag is written here only:
set when the services or a saved link place an article, cleared when its link is
deleted (stories/signal_handlers.py), and repaired by `manage.py recount_stories`.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from sources.models import Article

from .models import StoryArticle

# Ids per UPDATE: well within SQLite's 999 parameters.
BATCH_SIZE = 500


def mark_placed(article_ids: Iterable[int]) -> None:
    """These articles are in a story now."""
    for batch in _batches(article_ids):
        Article.objects.filter(pk__in=batch, in_story=False).update(in_story=True)


def mark_unplaced(article_ids: Iterable[int]) -> None:
    """These articles lost their link; those that have no other are in no story now."""
    linked = Exists(StoryArticle.objects.filter(article=OuterRef("pk")))
    for batch in _batches(article_ids):
        Article.objects.filter(pk__in=batch, in_story=True).exclude(linked).update(in_story=False)


def repair_placed() -> int:
    """Set every article's flag from its links; how many were wrong (after a raw write)."""
    linked = Exists(StoryArticle.objects.filter(article=OuterRef("pk")))
    wrongly_out = Article.objects.filter(linked, in_story=False).update(in_story=True)
    wrongly_in = Article.objects.filter(~linked, in_story=True).update(in_story=False)
    return wrongly_out + wrongly_in


def _batches(ids: Iterable[int]):
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]
