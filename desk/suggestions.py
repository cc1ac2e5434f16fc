"""Story suggestions for articles in the database: the engine fed from the window.

Each worker process keeps one engine between calls (`desk/engine_state.py`): a call
applies what arrived since the last one, read by id, and answers each article with
what the engine said when the article came in. So a call costs what is new, not what
the window or the archive holds. Articles already in a story teach the engine that
story; articles in no story are placed as they came in, so that together they form the
provisional groups that new stories are proposed from.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from sources.models import Article
from stories.models import Story

from . import engine_state
from .engine.engine import Engine
from .engine.model import Tuning
from .engine_state import FUTURE_SLACK, engine_article
from .models import EngineVersion


@dataclass(frozen=True)
class StorySuggestion:
    story: Story
    score: float
    reason: str


@dataclass(frozen=True)
class ArticleSuggestions:
    """What the desk shows for one article: up to three stories, best first, and the
    proposed new story it belongs to (its articles and why), if any."""

    article: Article
    stories: list[StorySuggestion]
    proposal: list[Article]
    proposal_reason: str = ""


def suggest_for(articles: Iterable[Article], *, tuning: Tuning | None = None) -> list:
    """`ArticleSuggestions` for each article, in time order.

    Queries: the engine's version, the articles and the links new since the last call
    (by id), the suggested stories, the proposed articles: at most five, whatever the
    window and the archive hold. A call that builds the engine (the first of a process,
    or after a change it cannot apply as it comes: see `engine_state`) reads instead of
    what is new the newest date, the highest ids (articles, links) and the window: at
    most seven. A headline changed since the engine read it adds a write and a build.
    Articles the engine does not hold (older than its window, or filed in a story when
    they came in) are answered from their own window, as before the engine was kept:
    one more read.
    """
    tuning = tuning or Tuning()
    articles = sorted(articles, key=lambda a: (a.published_at, a.pk))
    if not articles:
        return []
    with engine_state.lock:
        placed = _placed(articles, tuning)
    rest = [a for a in articles if a.pk not in placed]
    if rest:
        placed.update(zip((a.pk for a in rest), _from_scratch(rest, tuning), strict=True))
    return _resolve(articles, [placed[a.pk] for a in articles])


def _placed(articles: list[Article], tuning: Tuning) -> dict:
    """(suggestion, proposal) by article id, from the process's engine, for the articles
    it holds (placing those committed late); the others are left out."""
    live = engine_state.current(tuning)
    if not live.rebuilt and any(live.holds_stale(a) for a in articles):
        EngineVersion.bump()  # every worker's engine holds the old words
        live = engine_state.current(tuning)
    future = timezone.now() + FUTURE_SLACK
    late = [
        a
        for a in articles
        if a.pk not in live.prints
        and not a.in_story
        and a.published_at <= future
        and a.published_at.timestamp() >= live.horizon()
    ]
    if late:
        live.place_late(late)
    found = {}
    for article in articles:
        answer = live.answer(article)
        if answer is not None:
            found[article.pk] = (answer.suggestion, answer.proposal)
    return found


def _from_scratch(articles: list[Article], tuning: Tuning) -> list:
    """Place the articles in an engine of their own, fed with the window before the
    newest of them: for articles the process's engine does not hold."""
    engine = Engine(tuning)
    for row in _window(articles, tuning):
        article, story_id = engine_article(row), row["story_link__story_id"]
        if story_id is None:
            engine.place(article)
        else:
            engine.remember(article, story_id)
    return [engine.place(engine_article(_fields(a))) for a in articles]


def _window(articles: list[Article], tuning: Tuning) -> list[dict]:
    """The newest articles (at most `max_articles`) published in the window, oldest first."""
    since = articles[0].published_at - timedelta(hours=tuning.window_hours)
    rows = (
        Article.objects.filter(published_at__gte=since, published_at__lte=articles[-1].published_at)
        .exclude(pk__in=[a.pk for a in articles])
        .order_by("-published_at", "-pk")
        .values("pk", "title", "summary", "source_id", "published_at", "story_link__story_id")
    )
    return list(rows[: tuning.max_articles])[::-1]


def _fields(article: Article) -> dict:
    return {
        "pk": article.pk,
        "title": article.title,
        "summary": article.summary,
        "source_id": article.source_id,
        "published_at": article.published_at,
    }


def _resolve(articles: list[Article], placed: list) -> list[ArticleSuggestions]:
    """Engine keys back to stories and articles, one query each (none when empty)."""
    story_ids = {c.story for suggestion, _ in placed for c in suggestion.candidates}
    stories = Story.objects.in_bulk(story_ids)
    proposed_ids = {pk for _, proposal in placed if proposal for pk in proposal.articles}
    proposed = Article.objects.select_related("source").in_bulk(proposed_ids)
    # A story or an article deleted since the engine read it is left out.
    return [
        ArticleSuggestions(
            article=article,
            stories=[
                StorySuggestion(stories[c.story], c.score, c.reason)
                for c in s.candidates
                if c.story in stories
            ],
            proposal=[proposed[pk] for pk in proposal.articles if pk in proposed]
            if proposal
            else [],
            proposal_reason=proposal.reason if proposal else "",
        )
        for article, (s, proposal) in zip(articles, placed, strict=True)
    ]
