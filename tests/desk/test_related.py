"""Related stories: the engine's words compared across published stories, in three queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.related import RELATED_DAYS, cached_related_stories, related_stories
from stories.freshness import bump_content_version
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


def test_cached_answers_last_until_a_story_changes(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    grid, other_grid, _ = grid_and_panda()
    bump_content_version()
    assert cached_related_stories(grid) == [other_grid]
    with django_assert_num_queries(1):  # the content version only
        assert cached_related_stories(grid) == [other_grid]
    other_grid.status = other_grid.Status.DRAFT
    other_grid.published_at = None
    with django_capture_on_commit_callbacks(execute=True):  # the change raises the version
        other_grid.save()
    assert cached_related_stories(grid) == []
