"""Related stories: the engine's words compared across published stories, in three queries,
stored by a task and read by the story page in one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import tasks
from desk.models import RelatedStory
from desk.related import RELATED_DAYS, refresh_related, related_stories, stored_related_stories
from newsroom.celery import app
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    StoryArticleFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


def story(title, points=(), headlines=(), **kw):
    made = StoryFactory(title=title, **kw)
    for text in points:
        KeyPointFactory(story=made, text=text)
    for headline in headlines:
        StoryArticleFactory(story=made, article=ArticleFactory(title=headline))
    return made


def grid_and_panda():
    grid = story(
        "Senate passes grid bill",
        ["The transmission bill funds new power lines."],
        ["Senate approves electricity grid upgrade", "Grid bill heads to the president"],
    )
    other_grid = story(
        "Utilities back the grid bill",
        ["Power companies plan transmission lines."],
        ["Utilities say grid bill speeds transmission"],
    )
    panda = story(
        "Zoo welcomes a panda cub",
        ["The cub weighs 150 grams."],
        ["Panda cub born at the national zoo"],
    )
    return grid, other_grid, panda


def test_a_grid_story_relates_to_another_grid_story_and_not_to_a_panda():
    grid, other_grid, panda = grid_and_panda()
    assert related_stories(grid) == [other_grid]
    assert related_stories(panda) == []


def test_drafts_and_unpublished_stories_never_appear():
    grid, other_grid, _ = grid_and_panda()
    DraftStoryFactory(title="Senate grid bill transmission draft")
    scheduled = story(
        "Senate grid bill transmission vote",
        published_at=timezone.now() + timedelta(hours=2),
    )
    withdrawn = story("Grid bill transmission lines Senate")
    withdrawn.status = withdrawn.Status.DRAFT
    withdrawn.save()
    assert related_stories(grid) == [other_grid]
    assert scheduled not in related_stories(other_grid)


def test_stories_outside_the_window_are_not_compared():
    grid, other_grid, _ = grid_and_panda()
    story(
        "Senate grid bill transmission",
        published_at=grid.published_at - timedelta(days=RELATED_DAYS + 1),
    )
    assert related_stories(grid) == [other_grid]


def test_a_story_with_no_key_points_or_articles_still_finds_its_kin():
    bare = story("Grid bill transmission")
    _, other_grid, _ = grid_and_panda()
    assert other_grid in related_stories(bare)
    assert related_stories(story("")) == []
    assert related_stories(story("the of and")) == []


def test_the_order_is_by_likeness_then_newest_and_stable():
    grid, _, _ = grid_and_panda()
    for i in range(6):
        story(f"Grid bill {i}", published_at=timezone.now() - timedelta(hours=i + 1))
    first = related_stories(grid, limit=4)
    assert len(first) == 4
    assert [related_stories(grid, limit=4) for _ in range(3)] == [first] * 3


@pytest.mark.parametrize("n", [3, 40])
def test_three_queries_whatever_the_number_of_stories(django_assert_num_queries, n):
    grid, _, _ = grid_and_panda()
    for i in range(n):
        story(f"Grid bill {i}", [f"Point {i}"], [f"Headline {i}", "Grid"])
    with django_assert_num_queries(3):
        assert related_stories(grid)


def test_stored_answers_are_read_in_one_query(django_assert_num_queries):
    grid, other_grid, _ = grid_and_panda()
    assert stored_related_stories(grid) == []  # nothing computed yet
    refresh_related([grid.pk])
    with django_assert_num_queries(1):
        assert stored_related_stories(grid) == [other_grid]


def test_a_story_unpublished_since_it_was_stored_is_never_shown():
    grid, other_grid, _ = grid_and_panda()
    refresh_related([grid.pk])
    other_grid.status, other_grid.published_at = other_grid.Status.DRAFT, None
    other_grid.save()
    assert stored_related_stories(grid) == []


def test_a_deleted_story_leaves_no_row_behind():
    grid, other_grid, _ = grid_and_panda()
    refresh_related([grid.pk])
    other_grid.delete()
    assert stored_related_stories(grid) == []
    assert not RelatedStory.objects.filter(related_id=other_grid.pk).exists()


def test_a_refresh_replaces_the_list_and_a_second_one_changes_nothing():
    grid, other_grid, panda = grid_and_panda()
    refresh_related([grid.pk])
    refresh_related([grid.pk])
    assert list(RelatedStory.objects.filter(story=grid).values_list("related_id", "rank")) == [
        (other_grid.pk, 0)
    ]


def test_neighbours_come_to_name_a_new_story():
    grid, other_grid, _ = grid_and_panda()
    refresh_related([other_grid.pk])
    newer = story("Grid bill transmission lines vote", ["The Senate grid bill passes."])
    refresh_related([newer.pk], neighbours=True)
    assert newer in stored_related_stories(other_grid)


def test_a_draft_gets_no_list():
    draft = DraftStoryFactory(title="Senate grid bill transmission")
    grid_and_panda()
    assert refresh_related([draft.pk]) == set()
    assert not RelatedStory.objects.filter(story=draft).exists()


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def test_saving_a_story_refreshes_its_list_and_its_neighbours_after_commit(
    eager_tasks, django_capture_on_commit_callbacks
):
    grid, other_grid, _ = grid_and_panda()
    with django_capture_on_commit_callbacks(execute=True):
        grid.title = "Senate passes grid bill for transmission lines"
        grid.save()
    assert stored_related_stories(grid) == [other_grid]
    assert stored_related_stories(other_grid) == [grid]


def test_the_hourly_pass_covers_the_latest_stories(eager_tasks):
    grid, other_grid, _ = grid_and_panda()
    old = story(
        "Grid bill transmission", ["Grid."], published_at=timezone.now() - timedelta(days=5)
    )
    assert tasks.refresh_recent_related() == 3
    assert other_grid in stored_related_stories(grid)
    assert not RelatedStory.objects.filter(story=old).exists()  # older than RECENT_HOURS


def test_a_broker_that_takes_no_message_is_logged(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.refresh_related_stories, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_related([1, 2])
    assert "could not queue related stories for 2" in caplog.text
