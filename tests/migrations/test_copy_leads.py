"""Links stored before copies had leads migrate forward with the leads worked out by the
database: the first published copy of each text in each story, and of each side's."""

from datetime import UTC, datetime, timedelta

import pytest

from stories.counters import sync_leads
from stories.models import StoryArticle
from tests.migrations.helpers import apps_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("stories", "0015_story_published_search_idx")
AFTER = ("stories", "0016_story_article_lead")
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_a_populated_database_gets_its_leads(executor):
    old = apps_at(executor, BEFORE)
    Source, Article = old.get_model("sources.Source"), old.get_model("sources.Article")
    Story, Link = old.get_model("stories.Story"), old.get_model("stories.StoryArticle")
    left = Source.objects.create(name="Left", slug="left", bias=-2)
    right = Source.objects.create(name="Right", slug="right", bias=2)
    unrated = Source.objects.create(name="Unrated", slug="unrated")
    stories = [Story.objects.create(title=f"S{i}", slug=f"s{i}") for i in range(2)]
    # Two stories carrying the same wire text, each from three outlets, and a text of
    # its own; the links were written newest first.
    for story in stories:
        for minutes, source, key in [
            (50, unrated, None),
            (40, right, "k" * 40),
            (30, left, "k" * 40),
            (20, right, "k" * 40),
            (10, left, "other" + "0" * 35),
        ][::-1]:
            article = Article.objects.create(
                source=source,
                url=f"https://x.example/{story.slug}/{minutes}",
                title="T",
                copy_key=key,
                published_at=T0 - timedelta(minutes=minutes),
            )
            Link.objects.create(story=story, article=article)
    executor.loader.build_graph()
    executor.migrate([AFTER])

    for story in stories:
        links = StoryArticle.objects.filter(story_id=story.pk).order_by("article__published_at")
        assert list(links.values_list("lead", "side_lead")) == [
            (True, True),  # no key
            (True, True),  # the first copy, and the right's first
            (False, True),  # the left's first copy
            (False, False),
            (True, True),  # a text of its own
        ]
    # What the recount would have written, once the later migrations have run too.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sync_leads([story.pk for story in stories]) == set()
