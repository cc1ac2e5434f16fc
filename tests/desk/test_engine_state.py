"""The engine a process keeps between calls (desk/engine_state.py): what it applies as it
comes gives the suggestions a fresh build from the database gives."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import engine_state
from desk.engine.model import Tuning
from desk.models import EngineVersion
from desk.suggestions import suggest_for
from sources.models import Article
from stories.models import Story
from stories.services import attach_articles, create_story, detach_articles, merge_stories
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
OUTLETS = 4


@pytest.fixture
def outlets():
    return [SourceFactory() for _ in range(OUTLETS)]


def arrive(outlets, *titles, minutes_ago=0.0):
    """Articles stored as ingestion stores them: in no story, one outlet after another."""
    return [
        ArticleFactory(
            title=title,
            source=outlets[n % OUTLETS],
            published_at=NOW - timedelta(minutes=minutes_ago - n * 0.5),
        )
        for n, title in enumerate(titles)
    ]


def filed(story, outlets, *titles, minutes_ago):
    articles = arrive(outlets, *titles, minutes_ago=minutes_ago)
    for article in articles:
        StoryArticleFactory(story=story, article=article)
    return articles


def seen(answers) -> list:
    """Everything an editor would see of the answers, story and article ids included."""
    return [
        (
            a.article.pk,
            [(s.story.pk, s.score, s.reason) for s in a.stories],
            [p.pk for p in a.proposal],
            a.proposal_reason,
        )
        for a in answers
    ]


def kept_and_rebuilt(articles) -> tuple[list, list]:
    """The answers of the process's engine, then those of an engine built afresh from the
    database (the kept one is left as it was, for the next step)."""
    kept = seen(suggest_for(articles))
    live = engine_state.peek()
    engine_state.forget()
    rebuilt = seen(suggest_for(articles))
    assert engine_state.peek().rebuilt
    engine_state._live = live
    return kept, rebuilt


def story_ids(answer) -> list:
    return [story_id for story_id, _, _ in answer[1]]


def test_increments_give_what_a_fresh_build_gives_through_attaches_detaches_and_a_merge(
    outlets,
):
    grid, zoo = StoryFactory(title="Grid bill"), StoryFactory(title="Pandas")
    filed(grid, outlets, "Senate passes grid bill", "Grid bill: Senate votes", minutes_ago=300)
    filed(zoo, outlets, "Zoo welcomes twin panda cubs", minutes_ago=290)

    # Arrivals: the first call builds the engine.
    first = arrive(
        outlets,
        "Volcano erupts near island village",
        "Senate grid bill heads to the president",
        "Island village evacuated as volcano erupts",
        minutes_ago=240,
    )
    kept, rebuilt = kept_and_rebuilt(first)
    assert kept == rebuilt
    assert story_ids(kept[1])[0] == grid.pk
    live = engine_state.peek()
    builds = live.rebuilds

    # An editor files one in the grid story; a new story takes the volcano articles.
    attach_articles(story=grid, articles=[first[1]])
    volcano = create_story(title="Volcano", articles=[first[0], first[2]])
    second = arrive(
        outlets,
        "Volcano eruption forces island evacuation",
        "President to sign grid bill",
        "Panda cubs named at the zoo",
        minutes_ago=200,
    )
    kept, rebuilt = kept_and_rebuilt(second)
    assert kept == rebuilt
    assert engine_state.peek() is live and live.rebuilds == builds  # applied as it came
    assert story_ids(kept[0])[0] == volcano.pk

    # Taken out of a story: the engine is built again, and still agrees.
    detach_articles(story=grid, articles=[first[1]])
    third = arrive(outlets, "Grid bill signed by the president", minutes_ago=150)
    kept, rebuilt = kept_and_rebuilt(third)
    assert kept == rebuilt
    assert engine_state.peek().rebuilds == builds + 1

    # A merge: the absorbed story is never suggested again.
    live = engine_state.peek()
    merge_stories(survivor=grid, absorbed=zoo)
    fourth = arrive(
        outlets,
        "Zoo panda cubs first outing",
        "Grid bill law takes effect",
        "Volcano island residents return",
        minutes_ago=100,
    )
    kept, rebuilt = kept_and_rebuilt(fourth)
    assert kept == rebuilt
    assert engine_state.peek().rebuilds == live.rebuilds + 1
    assert all(zoo.pk not in story_ids(answer) for answer in kept)
    assert story_ids(kept[0])[0] == grid.pk

    # And arrivals after it are applied as they come again.
    live = engine_state.peek()
    attach_articles(story=volcano, articles=[fourth[2]])
    fifth = arrive(
        outlets, "Volcano island: more residents return", "Panda cubs at play", minutes_ago=50
    )
    kept, rebuilt = kept_and_rebuilt(fifth)
    assert kept == rebuilt
    assert engine_state.peek() is live and not live.rebuilt


def test_articles_filed_when_they_came_in_are_remembered_in_their_story(outlets):
    grid = StoryFactory(title="Grid bill")
    suggest_for(arrive(outlets, "Weather: sunny", minutes_ago=60))  # builds the engine
    # Made in its story in one go (an import): the link is no later than the fetch.
    article = ArticleFactory(
        title="Senate passes grid bill", source=outlets[0], published_at=NOW, fetched_at=NOW
    )
    StoryArticleFactory(story=grid, article=article, added_at=NOW)
    later = arrive(outlets, "Grid bill heads to the president", minutes_ago=-1)

    kept, rebuilt = kept_and_rebuilt(later)

    assert kept == rebuilt
    assert story_ids(kept[0]) == [grid.pk]
    assert article.pk not in engine_state.peek().placed


def test_an_article_already_placed_is_not_counted_twice(outlets):
    one, two = arrive(outlets, "Volcano erupts near island", "Island volcano erupts again")
    first = seen(suggest_for([two]))  # both taken in: `one` by id, `two` with it
    live = engine_state.peek()
    window = live.engine.window
    counts = (dict(window.df), len(window.articles), live.events)

    again = seen(suggest_for([one, two]))
    suggest_for([two])

    assert again[1] == first[0]
    assert (dict(window.df), len(window.articles), live.events) == counts
    assert window.df["volcano"] == 2
    story = window.stories[window.articles[two.pk].story]
    assert story.seen == 2 and set(story.members) == {one.pk, two.pk}
    engine_state.forget()
    assert seen(suggest_for([one, two])) == again


def test_after_a_story_is_deleted_nothing_suggests_it(outlets):
    grid = StoryFactory(title="Grid bill")
    filed(grid, outlets, "Senate passes grid bill", "Grid bill: Senate votes", minutes_ago=30)
    (before,) = seen(suggest_for(arrive(outlets, "Grid bill heads to the president")))
    assert story_ids(before) == [grid.pk]

    grid.delete()
    asked = arrive(outlets, "Grid bill: Senate votes again", minutes_ago=-1)
    kept, rebuilt = kept_and_rebuilt(asked)

    assert kept == rebuilt
    assert kept[0][1] == []
    assert engine_state.peek().rebuilds == 2


def test_a_story_deleted_before_its_engine_heard_of_it_is_left_out(outlets, monkeypatch):
    """Between the engine's reads and the answer a story may go: it is not offered."""
    grid = StoryFactory(title="Grid bill")
    filed(grid, outlets, "Senate passes grid bill", "Grid bill: Senate votes", minutes_ago=30)
    suggest_for(arrive(outlets, "Weather: sunny"))
    monkeypatch.setattr(EngineVersion, "bump", classmethod(lambda cls, using="default": None))
    Story.objects.filter(pk=grid.pk).delete()
    asked = arrive(outlets, "Grid bill goes to the president", minutes_ago=-1)

    (answer,) = suggest_for(asked)

    assert answer.stories == []


def test_a_changed_headline_is_read_again(outlets):
    grid = StoryFactory(title="Grid bill")
    filed(grid, outlets, "Senate passes grid bill", "Grid bill: Senate votes", minutes_ago=30)
    (article,) = arrive(outlets, "Volcano erupts near island")
    (before,) = seen(suggest_for([article]))
    # As ingestion changes it: in bulk, without saving the model.
    Article.objects.filter(pk=article.pk).update(title="Senate grid bill goes to the president")
    article.refresh_from_db()

    kept, rebuilt = kept_and_rebuilt([article])

    assert kept == rebuilt
    assert all("grid" not in reason for _, _, reason in before[1])
    assert story_ids(kept[0]) == [grid.pk]
    assert kept[0][1][0][2].startswith("shares: Senate, grid")


@pytest.mark.parametrize(
    "change",
    ["another process", "another tuning", "too old", "database emptied"],
)
def test_what_cannot_be_caught_up_with_builds_the_engine_again(outlets, monkeypatch, change):
    first = arrive(outlets, "Volcano erupts near island")
    suggest_for(first)
    tuning = Tuning()
    if change == "another process":
        monkeypatch.setattr(engine_state.os, "getpid", lambda: -1)
    elif change == "another tuning":
        tuning = Tuning(window_hours=24)
    elif change == "too old":
        monkeypatch.setattr(engine_state, "REBUILD_HOURS", 0.0)
    else:  # restored from a copy, say: nothing told the engine
        monkeypatch.setattr(EngineVersion, "bump", classmethod(lambda cls, using="default": 0))
        Article.objects.all().delete()
    later = arrive(outlets, "Island volcano erupts again", minutes_ago=-1)

    kept = seen(suggest_for(later, tuning=tuning))

    assert engine_state.peek().rebuilt
    engine_state.forget()
    assert seen(suggest_for(later, tuning=tuning)) == kept


def test_articles_committed_late_are_placed_once(outlets):
    """Ids are given at insert, rows seen at commit: an article with an id below what
    the engine has read is placed when it is asked about."""
    first, second = arrive(outlets, "Volcano erupts near island", "Grid bill passes")
    suggest_for([second])
    live = engine_state.peek()
    # As if `first` had not been committed when the engine read `second`.
    live.engine.window.forget(first.pk)
    for book in (live.held, live.prints, live.placed):
        book.pop(first.pk, None)

    (answer,) = suggest_for([first])
    suggest_for([first])

    assert answer.article == first
    assert first.pk in live.engine.window.articles
    assert live.engine.window.df["volcano"] == 1


def test_articles_outside_the_kept_window_are_answered_from_their_own(outlets):
    grid = StoryFactory(title="Grid bill")
    filed(grid, outlets, "Senate passes grid bill", minutes_ago=10 * 24 * 60)
    suggest_for(arrive(outlets, "Weather: sunny"))
    (old,) = arrive(outlets, "Grid bill clears the Senate", minutes_ago=10 * 24 * 60 - 5)

    (answer,) = suggest_for([old])

    assert [s.story for s in answer.stories] == [grid]
    assert old.pk not in engine_state.peek().engine.window.articles


def test_a_build_takes_what_was_filed_hours_ago_as_filed_when_it_came_in(outlets):
    """A build replays only the last hours as they happened: older articles in a story
    are remembered there, not placed first (what a build costs is placing)."""
    grid = StoryFactory(title="Grid bill")
    hours = engine_state.REPLAY_HOURS
    old, recent = (
        ArticleFactory(
            title=title,
            source=outlets[0],
            published_at=NOW - timedelta(hours=ago),
            fetched_at=NOW - timedelta(hours=ago),
        )
        for title, ago in (("Senate passes grid bill", hours + 2), ("Grid bill: a vote", 1))
    )
    for article in (old, recent):
        StoryArticleFactory(
            story=grid, article=article, added_at=article.fetched_at + timedelta(minutes=5)
        )
    asked = arrive(outlets, "Grid bill heads to the president")

    (answer,) = suggest_for(asked)

    live = engine_state.peek()
    assert old.pk not in live.placed and recent.pk in live.placed
    assert {old.pk, recent.pk} <= set(live.engine.window.stories[grid.pk].members)
    assert [s.story for s in answer.stories] == [grid]
