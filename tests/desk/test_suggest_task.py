"""`desk.tasks.suggest_stories`: suggestions stored for what ingestion brings in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import tasks
from desk.models import Suggestion
from desk.services import dismiss_suggestion, store_suggestions
from desk.suggestions import ArticleSuggestions, StorySuggestion
from newsroom.celery import app
from sources.models import Article
from sources.normalize import Entry
from sources.signals import articles_changed
from sources.store import store_entries
from tests.factories import (
    ArticleFactory,
    FeedFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def filed(story, title, minutes_ago):
    article = ArticleFactory(
        title=title, source=SourceFactory(), published_at=NOW - timedelta(minutes=minutes_ago)
    )
    StoryArticleFactory(story=story, article=article)


@pytest.fixture
def grid():
    story = StoryFactory(title="Grid bill")
    filed(story, "Senate passes grid bill on transmission lines", 50)
    filed(story, "Grid bill: Senate votes for new transmission", 40)
    return story


def incoming(title="Senate grid bill heads to the president", **fields):
    return ArticleFactory(title=title, published_at=NOW, **fields)


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def test_changed_articles_are_queued_for_suggestions(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.suggest_stories, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        articles_changed.send(sender=Article, article_ids=[7, 8])
    assert queued == [[7, 8]]


def test_queued_only_once_the_transaction_commits(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.suggest_stories, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_suggestions([5])
        assert queued == []
    assert queued == [[5]]


def test_ingested_article_gets_its_story_suggested(
    grid, eager_tasks, django_capture_on_commit_callbacks
):
    article = incoming()
    with django_capture_on_commit_callbacks(execute=True):
        articles_changed.send(sender=Article, article_ids=[article.pk])
    suggestion = Suggestion.objects.get(article=article, story=grid)
    assert suggestion.score > 0
    assert "grid" in suggestion.reason.lower()


def test_a_headline_changed_by_ingestion_gets_suggestions(
    grid, eager_tasks, django_capture_on_commit_callbacks
):
    feed = FeedFactory()
    article = incoming(title="Draft headline", source=feed.source, feed=feed, guid="g1")
    entry = Entry(article.url, "g1", "Senate grid bill heads to the president", "", "", "", NOW)
    with django_capture_on_commit_callbacks(execute=True):
        store_entries(feed, [entry], now=NOW)
    assert Suggestion.objects.filter(article=article, story=grid).exists()


def test_a_new_article_stored_by_ingestion_gets_suggestions(
    grid, eager_tasks, django_capture_on_commit_callbacks
):
    feed = FeedFactory()
    url = "https://wire.example/2030/grid-bill-president"
    entry = Entry(url, "w1", "Senate grid bill heads to the president", "", "", "", NOW)
    with django_capture_on_commit_callbacks(execute=True):
        store_entries(feed, [entry], now=NOW)
    article = Article.objects.get(url=url)
    assert Suggestion.objects.filter(article=article, story=grid).exists()


def test_articles_in_a_story_get_no_suggestions(grid):
    article = incoming()
    StoryArticleFactory(story=StoryFactory(), article=article)
    assert tasks.suggest_stories([article.pk]) == 0
    assert not Suggestion.objects.exists()


def test_only_the_three_best_stories_are_kept():
    article = incoming()
    stories = [StorySuggestion(StoryFactory(), 0.9 - i / 10, f"reason {i}") for i in range(5)]
    store_suggestions([ArticleSuggestions(article=article, stories=stories, proposal=[])])
    kept = Suggestion.objects.order_by("-score").values_list("story_id", flat=True)
    assert list(kept) == [s.story.pk for s in stories[:3]]


def test_a_run_replaces_the_articles_waiting_suggestions(grid):
    article = incoming()
    stale = Suggestion.objects.create(article=article, story=StoryFactory(), score=0.5)
    tasks.suggest_stories([article.pk])
    assert not Suggestion.objects.filter(pk=stale.pk).exists()
    assert Suggestion.objects.filter(article=article, story=grid).exists()


def test_running_twice_stores_the_same_suggestions(grid):
    article = incoming()
    tasks.suggest_stories([article.pk])
    first = list(Suggestion.objects.values_list("article_id", "story_id", "score"))
    tasks.suggest_stories([article.pk])
    assert list(Suggestion.objects.values_list("article_id", "story_id", "score")) == first


def test_a_dismissed_story_is_not_suggested_again(grid):
    article = incoming()
    tasks.suggest_stories([article.pk])
    assert dismiss_suggestion(suggestion_id=Suggestion.objects.get(story=grid).pk)
    tasks.suggest_stories([article.pk])
    rows = Suggestion.objects.filter(article=article, story=grid)
    assert rows.count() == 1
    assert rows.get().dismissed_at is not None


def test_a_dismissed_proposal_is_not_proposed_again():
    sources = [SourceFactory() for _ in range(3)]
    articles = [
        ArticleFactory(
            title=f"Volcano erupts on island, thousands evacuated {n}",
            source=sources[n],
            published_at=NOW - timedelta(minutes=3 - n),
        )
        for n in range(3)
    ]
    ids = [a.pk for a in articles]
    tasks.suggest_stories(ids)
    proposal = Suggestion.objects.get(article=articles[-1], story=None)
    dismiss_suggestion(suggestion_id=proposal.pk)
    tasks.suggest_stories(ids)
    assert Suggestion.objects.filter(article=articles[-1], story=None).count() == 1
    assert Suggestion.objects.open().filter(article=articles[-1], story=None).count() == 0


@pytest.mark.parametrize("title", ["", "Breaking", "   "])
def test_empty_and_one_word_headlines_are_handled(grid, title):
    article = incoming(title=title, summary="")
    tasks.suggest_stories([article.pk])
    for suggestion in Suggestion.objects.filter(article=article):
        assert suggestion.reason


def test_ten_thousand_ids_are_read_in_bounded_chunks(grid, monkeypatch):
    real = [incoming().pk for _ in range(3)]
    ids = [*real, *range(10**9, 10**9 + 9_997)]  # the rest were deleted since
    chunks = []

    def counted(articles):
        articles = list(articles)
        chunks.append(len(articles))
        return tasks_suggest_for(articles)

    tasks_suggest_for = tasks.suggest_for
    monkeypatch.setattr(tasks, "suggest_for", counted)
    tasks.suggest_stories(ids)
    assert len(chunks) == 10_000 // tasks.SUGGEST_BATCH
    assert Suggestion.objects.filter(article_id__in=real, story=grid).count() == 3


def test_ten_thousand_ids_are_queued_in_bounded_tasks(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.suggest_stories, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_suggestions(list(range(1, 10_001)))
    assert max(len(batch) for batch in queued) == tasks.SUGGEST_BATCH
    assert sum(len(batch) for batch in queued) == 10_000
