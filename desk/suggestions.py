"""Story suggestions for articles in the database: the engine fed from the window.

`suggest_for(articles)` reads only the articles published within the window before
the newest of them (through the index on `published_at`), so its cost follows what
arrived recently, not the size of the archive. Articles already in a story teach the
engine that story; articles in no story are placed first, in time order, so that
together they form the provisional groups that new stories are proposed from.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sources.models import Article
from stories.models import Story

from .engine.engine import Engine
from .engine.model import Article as EngineArticle
from .engine.model import Tuning


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
    """`ArticleSuggestions` for each article, in time order, in at most three queries
    (the window, the suggested stories, the proposed articles)."""
    tuning = tuning or Tuning()
    articles = sorted(articles, key=lambda a: (a.published_at, a.pk))
    if not articles:
        return []
    engine = Engine(tuning)
    for row in _window(articles, tuning):
        article, story_id = _engine_article(row), row["story_link__story_id"]
        if story_id is None:
            engine.place(article)
        else:
            engine.remember(article, story_id)
    placed = [engine.place(_engine_article(_fields(a))) for a in articles]
    return _resolve(articles, placed)


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


def _engine_article(row: dict) -> EngineArticle:
    # Outlets are told apart by their source, whatever their names.
    return EngineArticle(
        key=row["pk"],
        title=row["title"],
        at=row["published_at"].timestamp(),
        summary=row["summary"],
        outlet=str(row["source_id"]),
    )


def _resolve(articles: list[Article], placed: list) -> list[ArticleSuggestions]:
    """Engine keys back to stories and articles, one query each."""
    story_ids = {c.story for suggestion, _ in placed for c in suggestion.candidates}
    stories = Story.objects.in_bulk(story_ids)
    proposed_ids = {pk for _, proposal in placed if proposal for pk in proposal.articles}
    proposed = Article.objects.select_related("source").in_bulk(proposed_ids)
    return [
        ArticleSuggestions(
            article=article,
            stories=[StorySuggestion(stories[c.story], c.score, c.reason) for c in s.candidates],
            proposal=[proposed[pk] for pk in proposal.articles] if proposal else [],
            proposal_reason=proposal.reason if proposal else "",
        )
        for article, (s, proposal) in zip(articles, placed, strict=True)
    ]
