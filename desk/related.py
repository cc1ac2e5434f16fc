"""Related stories: the published stories whose words are closest to a story's own.

Each story is read the way the engine reads an article (desk/engine): its title is the
headline, its key points (and, for the story asked about, the headlines of its latest
articles) are the summary, and
the stories are compared by the cosine of their tf-idf vectors, with the document
frequencies counted over the stories compared. Only the stories published within
`RELATED_DAYS` of this one are compared, at most `MAX_CANDIDATES` of them, and only
the `HEADLINES` latest headlines of the story itself are read, so the cost of a call is bounded
whatever the archive holds: three queries (the stories, their key points, their
headlines).

Reading the words of 500 stories takes a quarter to half a second, too long for a reader
to wait, so the answers are computed by a task (`refresh_related`, desk/tasks.py) after a
story changes and for the latest stories every hour, and stored as `RelatedStory` rows.
The story page reads them in one query that keeps only the stories published now, so a
story unpublished since it was stored is never offered.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction

from stories.models import KeyPoint, Story, StoryArticle

from .engine.model import Article as EngineArticle
from .engine.model import Tuning
from .engine.scoring import nearest
from .engine.window import Window as TermWindow
from .models import RelatedStory
from .signals import related_changed

# Stories published this many days before or after the story are compared.
RELATED_DAYS = 30
# At most this many of them, the most recently published.
MAX_CANDIDATES = 500
# The latest headlines of the story asked about that count as its text.
HEADLINES = 20
# A cosine under this is a word or two in common, not a related story.
RELATED_FLOOR = 0.1
# Related stories stored per story; the page shows up to four of those published then.
STORED = 6


def stored_related_stories(story: Story, limit: int = 4) -> list[Story]:
    """The related stories last stored for `story` that readers may see now, most alike
    first, in one query (none when nothing was stored yet)."""
    return list(
        Story.objects.published()
        .filter(related_from__story=story)
        .order_by("related_from__rank")
        .only("pk", "slug", "title", "published_at", "source_count")[:limit]
    )


def refresh_related(story_ids: Iterable[int], *, neighbours: bool = False) -> set[int]:
    """Compute and store the related stories of these stories (STORED of each); return the
    ids of the stories named. With neighbours, those stories' own lists are computed again
    too, so that a story just published or changed also appears beside its kin."""
    named: set[int] = set()
    stories = Story.objects.filter(pk__in=set(story_ids)).only(
        "pk", "slug", "title", "status", "published_at", "source_count"
    )
    for story in stories:
        found = _ranked(story, STORED) if story.is_public else []
        with transaction.atomic():
            stored = RelatedStory.objects.filter(story=story)
            before = list(stored.order_by("rank").values_list("related_id", "score"))
            if before != [(other.pk, score) for other, score in found]:
                stored.delete()
                RelatedStory.objects.bulk_create(
                    RelatedStory(story=story, related=other, rank=rank, score=score)
                    for rank, (other, score) in enumerate(found)
                )
                related_changed.send(sender=RelatedStory, story_ids=[story.pk])
        named.update(other.pk for other, _ in found)
    if neighbours and named:
        refresh_related(named - set(story_ids))
    return named


def related_stories(story: Story, limit: int = 4) -> list[Story]:
    """Up to `limit` published stories most like `story`, most alike first (ties: the
    newest first), never the story itself, in three queries."""
    return [other for other, _ in _ranked(story, limit)]


def _ranked(story: Story, limit: int) -> list[tuple[Story, float]]:
    """related_stories() with each story's cosine."""
    if story.published_at is None:
        return []
    span = timedelta(days=RELATED_DAYS)
    candidates = list(
        Story.objects.published()
        .filter(published_at__range=(story.published_at - span, story.published_at + span))
        .exclude(pk=story.pk)
        .order_by("-published_at", "-pk")
        .only("pk", "slug", "title", "published_at", "source_count")[:MAX_CANDIDATES]
    )
    texts = _texts([story.pk, *(c.pk for c in candidates)])
    window = TermWindow(
        Tuning(
            window_hours=2 * RELATED_DAYS * 24 + 1,
            max_articles=MAX_CANDIDATES + 1,
            postings_scanned=MAX_CANDIDATES + 1,
        )
    )
    # Oldest first, as the engine meets articles.
    for candidate in sorted(candidates, key=lambda c: (c.published_at, c.pk)):
        window.add(_document(candidate, texts), candidate.pk)
    window.add(_document(story, texts), story.pk)
    held = window.articles[story.pk]
    query = {term: weight * window.idf(term) for term, weight in held.weights.items()}
    scores = nearest(window, query, held.norm)
    ranked = sorted(
        (c for c in candidates if scores.get(c.pk, 0.0) >= RELATED_FLOOR),
        key=lambda c: (-round(scores[c.pk], 9), -c.published_at.timestamp(), -c.pk),
    )
    return [(other, scores[other.pk]) for other in ranked[:limit]]


def _texts(story_ids: list[int]) -> dict[int, list[str]]:
    """Each story's key points, in order, and the first story's latest headlines (two
    queries). Only the story's own: the headlines of 500 candidates, some with 20,000
    articles, would be read and sorted on every call."""
    texts: dict[int, list[str]] = defaultdict(list)
    points = KeyPoint.objects.filter(story_id__in=story_ids).order_by("story_id", "position", "id")
    for story_id, text in points.values_list("story_id", "text"):
        texts[story_id].append(text)
    latest = (
        StoryArticle.objects.filter(story_id=story_ids[0])
        .order_by("-added_at", "-pk")
        .values_list("article__title", flat=True)[:HEADLINES]
    )
    texts[story_ids[0]].extend(latest)
    return texts


def _document(story: Story, texts: dict[int, list[str]]) -> EngineArticle:
    return EngineArticle(
        key=story.pk,
        title=story.title,
        at=story.published_at.timestamp(),
        summary="\n".join(texts.get(story.pk, ())),
    )
