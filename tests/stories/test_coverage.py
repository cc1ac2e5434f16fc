"""Coverage figures: buckets, percentages, mixes, and a constant number of queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.ratings import Bias, Factuality, OwnerCategory
from stories.coverage import BiasSplit, coverage_for
from tests.factories import (
    ArticleFactory,
    OwnerFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    attach,
    story_with_coverage,
)

pytestmark = pytest.mark.django_db


def test_buckets_group_the_seven_points_and_leave_unrated_out_of_percentages():
    story = StoryFactory()
    for bias in [Bias.FAR_LEFT, Bias.LEFT, Bias.LEAN_LEFT, Bias.CENTER, Bias.LEAN_RIGHT, None]:
        attach(story, SourceFactory(bias=bias))
    coverage = coverage_for(story)
    assert (coverage.bias.left, coverage.bias.center, coverage.bias.right) == (3, 1, 1)
    assert coverage.bias.unrated == 1
    assert coverage.source_count == 6
    assert coverage.bias.percentages == {"left": 60, "center": 20, "right": 20}
    assert coverage.bias.sentence == "60% of the sources are Left"


def test_sources_are_counted_once_however_many_articles_they_wrote():
    story = StoryFactory()
    attach(story, SourceFactory(bias=Bias.CENTER), n=5)
    attach(story, SourceFactory(bias=Bias.RIGHT), n=1)
    coverage = coverage_for(story)
    assert coverage.article_count == 6
    assert coverage.source_count == 2
    assert coverage.bias.percentages == {"left": 0, "center": 50, "right": 50}


def test_percentages_always_add_up_to_one_hundred():
    split = BiasSplit(left=1, center=1, right=1)
    assert sum(split.percentages.values()) == 100
    assert BiasSplit().percentages == {"left": 0, "center": 0, "right": 0}
    assert BiasSplit(unrated=3).sentence == "None of the sources has a bias rating yet"


def test_first_reporter_is_the_earliest_article():
    story = StoryFactory()
    early = ArticleFactory(published_at=datetime(2026, 1, 1, 8, tzinfo=UTC))
    late = ArticleFactory(published_at=datetime(2026, 1, 2, 8, tzinfo=UTC))
    StoryArticleFactory(story=story, article=late)
    StoryArticleFactory(story=story, article=early)
    coverage = coverage_for(story)
    assert coverage.first_article == early
    assert coverage.last_updated >= late.published_at


def test_first_reporter_is_of_this_story_and_ties_go_to_the_older_row():
    at = datetime(2026, 1, 1, 8, tzinfo=UTC)
    ArticleFactory(published_at=at)  # the same moment, but in no story
    story = StoryFactory()
    tied = [ArticleFactory(published_at=at) for _ in range(2)]
    StoryArticleFactory(story=story, article=tied[1])
    StoryArticleFactory(story=story, article=tied[0])
    StoryArticleFactory(
        story=story, article=ArticleFactory(published_at=datetime(2026, 1, 3, tzinfo=UTC))
    )
    assert coverage_for(story).first_article == tied[0]


def test_factuality_is_only_computed_when_asked_for():
    story = StoryFactory()
    attach(story, SourceFactory(factuality=Factuality.VERY_HIGH))
    attach(story, SourceFactory(factuality=None))
    assert coverage_for(story).factuality is None
    mix = {entry.key: entry.count for entry in coverage_for(story, with_factuality=True).factuality}
    assert mix[Factuality.VERY_HIGH] == 1
    assert mix[None] == 1
    assert mix[Factuality.LOW] == 0


def test_ownership_mix_counts_owner_categories_of_the_covering_sources():
    story = StoryFactory()
    attach(story, SourceFactory(owner=OwnerFactory(category=OwnerCategory.NONPROFIT)))
    attach(story, SourceFactory(owner=OwnerFactory(category=OwnerCategory.NONPROFIT)))
    attach(story, SourceFactory(owner=None))
    mix = {entry.key: entry for entry in coverage_for(story).ownership}
    assert mix[OwnerCategory.NONPROFIT].count == 2
    assert mix[OwnerCategory.NONPROFIT].percentage == 67
    assert mix[None].count == 1


def test_an_empty_story_has_empty_coverage():
    coverage = coverage_for(StoryFactory(), with_factuality=True)
    assert coverage.article_count == 0
    assert coverage.first_article is None
    assert coverage.bias.largest is None


@pytest.mark.parametrize("articles", [10, 300])
def test_coverage_runs_three_queries_whatever_the_size(articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    with CaptureQueriesContext(connection) as queries:
        coverage = coverage_for(story, with_factuality=True)
    assert coverage.article_count == articles
    assert len(queries) == 3


def test_stored_counters_agree_with_the_selector():
    story = story_with_coverage(articles=24, sources=8)
    from stories.models import Story

    annotated = Story.objects.get(pk=story.pk)
    coverage = coverage_for(story)
    assert annotated.article_count == coverage.article_count
    assert annotated.source_count == coverage.source_count
    assert (annotated.left_count, annotated.center_count, annotated.right_count) == (
        coverage.bias.left,
        coverage.bias.center,
        coverage.bias.right,
    )
