"""Storing what the engine says: a proposed new story reaches every article of it that
waits, and an editor's "no story for this" is remembered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk import tasks
from desk.models import Suggestion
from desk.services import (
    NO_STORY,
    create_story_from_proposal,
    dismiss_suggestion,
    no_story_for,
    store_suggestions,
)
from desk.suggestions import ArticleSuggestions, StorySuggestion
from stories.models import StoryArticle
from stories.services import attach_articles
from tests.factories import ArticleFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def proposing(article, members, reason="3 articles from 3 outlets within 1 h"):
    """What the engine says for `article`: a proposed new story of `members`."""
    return ArticleSuggestions(article=article, stories=[], proposal=members, proposal_reason=reason)


def open_groups(article) -> list[str]:
    rows = Suggestion.objects.open().filter(article=article, story__isnull=True)
    return list(rows.values_list("group", flat=True))


@pytest.fixture
def event():
    """Three articles in no story, oldest first, as a proposal lists them."""
    return [ArticleFactory(title=f"Volcano erupts {n}") for n in range(3)]


def test_the_earlier_articles_of_a_proposal_are_given_it_too(event):
    first, second, third = event
    store_suggestions([proposing(third, event)])
    group = f"new-{first.pk}"
    assert [open_groups(a) for a in event] == [[group]] * 3
    reasons = Suggestion.objects.filter(group=group).values_list("reason", flat=True)
    assert set(reasons) == {"3 articles from 3 outlets within 1 h"}


def test_the_articles_of_the_proposal_are_created_as_one_story(event):
    store_suggestions([proposing(event[-1], event)])
    proposal = Suggestion.objects.get(article=event[-1], story__isnull=True)
    story = create_story_from_proposal(suggestion_id=proposal.pk)
    filed = StoryArticle.objects.filter(story=story).values_list("article_id", flat=True)
    assert set(filed) == {a.pk for a in event}


def test_an_article_filed_meanwhile_is_not_given_the_proposal(event):
    first, second, third = event
    attach_articles(story=StoryFactory(), articles=[second])
    second.refresh_from_db()
    store_suggestions([proposing(third, event)])
    assert open_groups(second) == []
    assert open_groups(first) == open_groups(third) == [f"new-{first.pk}"]


def test_a_proposal_an_article_turned_down_is_not_given_to_it_again(event):
    first, second, third = event
    store_suggestions([proposing(third, event)])
    turned_down = Suggestion.objects.get(article=first, story__isnull=True)
    assert dismiss_suggestion(suggestion_id=turned_down.pk)
    store_suggestions([proposing(third, event, reason="4 articles from 4 outlets")])
    rows = Suggestion.objects.filter(article=first, story__isnull=True)
    assert list(rows.values_list("pk", "reason")) == [(turned_down.pk, turned_down.reason)]
    assert open_groups(first) == []
    assert open_groups(second) == [f"new-{first.pk}"]


def test_a_growing_group_keeps_its_rows_and_brings_their_reason_up_to_date(event):
    first, second, third = event
    store_suggestions([proposing(third, event)])
    shown = Suggestion.objects.get(article=first, story__isnull=True)
    fourth = ArticleFactory(title="Volcano erupts again")
    store_suggestions([proposing(fourth, [*event, fourth], reason="4 articles from 4 outlets")])
    # An editor's page names this row: it is the same row, with the new reason.
    assert Suggestion.objects.get(article=first, story__isnull=True).pk == shown.pk
    assert Suggestion.objects.get(pk=shown.pk).reason == "4 articles from 4 outlets"
    assert Suggestion.objects.open().filter(group=f"new-{first.pk}").count() == 4


def test_an_article_moved_to_another_group_keeps_only_the_new_proposal(event):
    first, second, third = event
    store_suggestions([proposing(second, [first, second])])
    other = ArticleFactory(title="Ash cloud")
    store_suggestions([proposing(other, [second, third, other])])
    assert open_groups(first) == [f"new-{first.pk}"]
    assert open_groups(second) == open_groups(other) == [f"new-{second.pk}"]


def test_the_latest_article_of_a_run_decides_the_group(event):
    first, second, third = event
    store_suggestions([proposing(second, [first, second]), proposing(third, [second, third])])
    assert open_groups(second) == [f"new-{second.pk}"]


def test_storing_a_large_proposal_costs_the_same_queries_as_a_small_one():
    def run(size) -> int:
        articles = ArticleFactory.create_batch(size)
        results = [proposing(a, articles) for a in articles]
        # Story suggestions for each too, and an earlier proposal to replace.
        stories = [StorySuggestion(StoryFactory(), 0.5, "shares: ash")]
        results[0] = ArticleSuggestions(articles[0], stories, articles, "reason")
        for article in articles:
            Suggestion.objects.create(article=article, group="new-0", reason="old")
        with CaptureQueriesContext(connection) as queries:
            store_suggestions(results)
        assert Suggestion.objects.open().filter(group="new-0").count() == 0
        assert Suggestion.objects.open().filter(group=f"new-{articles[0].pk}").count() == size
        return len(queries)

    # Five, and the savepoint's two within the test's transaction.
    assert run(3) == run(40) == 7


def test_an_event_arriving_fetch_by_fetch_is_proposed_to_all_its_articles():
    """Each article is suggested for as it comes in, as the task does after each fetch: the
    first two came before the event was a group of three, and get its proposal once it is."""
    outlets = [SourceFactory() for _ in range(3)]
    headlines = [
        "Volcano erupts on island, thousands evacuated",
        "Island volcano eruption forces thousands to evacuate",
        "Thousands evacuated as volcano erupts on island",
    ]
    articles = []
    for n, (outlet, headline) in enumerate(zip(outlets, headlines, strict=True)):
        article = ArticleFactory(
            title=headline, source=outlet, published_at=NOW - timedelta(minutes=30 - 10 * n)
        )
        tasks.suggest_stories([article.pk])
        articles.append(article)
    groups = [open_groups(a) for a in articles]
    assert groups[0] and groups == [groups[0]] * 3


# --- No story for this --------------------------------------------------------------


def test_no_story_dismisses_every_waiting_suggestion_at_once(event):
    article = event[0]
    for story in [StoryFactory(), StoryFactory()]:
        Suggestion.objects.create(article=article, story=story, score=0.4)
    store_suggestions([proposing(event[-1], event)])
    assert no_story_for(article_id=article.pk) == 3
    assert not Suggestion.objects.open().filter(article=article).exists()
    assert Suggestion.objects.filter(article=article, group=NO_STORY).exists()
    # The others of the proposed story still wait for it.
    assert open_groups(event[1]) == [f"new-{event[0].pk}"]


def test_no_story_is_remembered_when_the_engine_suggests_again(event):
    article = event[0]
    no_story_for(article_id=article.pk)
    stories = [StorySuggestion(StoryFactory(), 0.9, "shares: volcano")]
    store_suggestions(
        [ArticleSuggestions(article, stories, event, "r"), proposing(event[-1], event)]
    )
    assert not Suggestion.objects.open().filter(article=article).exists()
    assert open_groups(event[-1]) == [f"new-{event[0].pk}"]


def test_no_story_twice_keeps_one_record(event):
    no_story_for(article_id=event[0].pk)
    assert no_story_for(article_id=event[0].pk) == 0
    assert Suggestion.objects.filter(article=event[0]).count() == 1


def test_no_story_for_an_article_in_a_story_changes_nothing(event):
    article = event[0]
    (suggestion,) = [Suggestion.objects.create(article=article, story=StoryFactory(), score=1)]
    attach_articles(story=StoryFactory(title="Eruption"), articles=[article])
    with pytest.raises(ValidationError, match="in the story “Eruption” already"):
        no_story_for(article_id=article.pk)
    assert Suggestion.objects.get(pk=suggestion.pk).dismissed_at is None
    assert not Suggestion.objects.filter(group=NO_STORY).exists()


def test_no_story_for_a_deleted_article_changes_nothing():
    with pytest.raises(ValidationError, match="deleted"):
        no_story_for(article_id=10**9)
    assert not Suggestion.objects.exists()
