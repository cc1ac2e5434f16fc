"""Links stored before they carried their articles' dates migrate forward with them."""

from datetime import UTC, datetime, timedelta

import pytest

from stories.counters import sync_leads
from stories.models import StoryArticle
from tests.migrations.helpers import apps_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("stories", "0017_story_search_document")
AFTER = ("stories", "0018_story_article_published_at")
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_a_populated_database_gets_each_links_date(executor):
    old = apps_at(executor, BEFORE)
    Source, Article = old.get_model("sources.Source"), old.get_model("sources.Article")
    Story, Link = old.get_model("stories.Story"), old.get_model("stories.StoryArticle")
    source = Source.objects.create(name="Outlet", slug="outlet")
    stories = [Story.objects.create(title=f"S{i}", slug=f"s{i}") for i in range(2)]
    for n in range(6):
        article = Article.objects.create(
            source=source,
            url=f"https://x.example/{n}",
            title="T",
            published_at=T0 - timedelta(hours=n * 7),
        )
        if n < 5:  # the last one waits in the inbox
            Link.objects.create(story=stories[n % 2], article=article)
    executor.loader.build_graph()
    executor.migrate([AFTER])

    links = StoryArticle.objects.order_by("article_id").values_list("published_at", "article_id")
    assert [at for at, _ in links] == [T0 - timedelta(hours=n * 7) for n in range(5)]
    # What the recount would have written.
    assert sync_leads([story.pk for story in stories]) == set()
