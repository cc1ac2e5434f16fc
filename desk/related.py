"""Related stories: the published stories whose words are closest to a story's own.

Each story is read the way the engine reads an article (desk/engine): its title is the
headline, its key points (and, for the story asked about, the headlines of its latest
articles) are the summary, and
the stories are compared by the cosine of their tf-idf vectors, with the document
frequencies counted over the stories compared. Only the stories published within
`RELATED_DAYS` of this one are compared, at most `MAX_CANDIDATES` of them, and only
the `HEADLINES` latest headlines of the story itself are read, so the cost of a call is bounded
whatever the archive holds: three queries (the stories, their key points, their
headlines). Reading the words of 500 stories takes about a quarter of a second, so
`cached_related_stories` keeps each story's answer under the content version, which
every change of a story or an article raises: a story unpublished a moment ago is
never offered.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

from stories.freshness import content_version
from stories.models import KeyPoint, Story, StoryArticle

from .engine.model import Article as EngineArticle
from .engine.model import Tuning
from .engine.scoring import nearest
from .engine.window import Window as TermWindow

# Stories published this many days before or after the story are compared.
RELATED_DAYS = 30
# At most this many of them, the most recently published.
MAX_CANDIDATES = 500
# The latest headlines of the story asked about that count as its text.
HEADLINES = 20
# A cosine under this is a word or two in common, not a related story.
RELATED_FLOOR = 0.1

logger = logging.getLogger(__name__)


def cached_related_stories(story: Story, limit: int = 4) -> list[Story]:
    """related_stories(story, limit), kept in the cache under the content version: one
    query when cached, four when not. A cache that is down only costs the computation."""
    key = f"desk:related:{content_version()}:{story.pk}:{limit}"
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("related stories cache read failed", exc_info=True)
        found = None
    if found is None:
        found = related_stories(story, limit)
        try:
            cache.set(key, found, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("related stories cache write failed", exc_info=True)
    return found


def related_stories(story: Story, limit: int = 4) -> list[Story]:
    """Up to `limit` published stories most like `story`, most alike first (ties: the
    newest first), never the story itself, in three queries."""
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
    return ranked[:limit]


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
