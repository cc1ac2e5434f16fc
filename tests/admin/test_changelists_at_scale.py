"""The Articles and Stories changelists ask the database only what an index answers fast.

What a million articles would cost shows in the SQL, so these tests read it: an anti-join
for "not in a story", counts that stop at a limit, no date hierarchy, searches without
a join, a DISTINCT or a LIKE over links. bench/ measures the times themselves.
"""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.pagination import CappedPaginator
from tests.factories import (
    ArticleFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

from .helpers import ARTICLES, STORIES, listed

pytestmark = pytest.mark.django_db

trigram_migration = importlib.import_module("sources.migrations.0005_article_headline_trigram")


def sql_of(client, url, params=None) -> tuple:
    """The response of GET url and the SQL it ran, in lower case."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, [query["sql"].lower() for query in queries]


def test_not_in_a_story_reads_the_articles_flag_not_the_links(superuser_client):
    ArticleFactory()
    StoryArticleFactory()
    _, sql = sql_of(superuser_client, ARTICLES, {"in_story": "no"})
    listing = [query for query in sql if 'from "sources_article"' in query]
    assert listing and all('"in_story"' in query for query in listing)
    # The links may be joined to show each article's story, never to choose the articles.
    conditions = [query.split(" where ", 1)[-1] for query in listing]
    assert not any("stories_storyarticle" in condition for condition in conditions)


def test_not_in_a_story_lists_exactly_the_articles_no_story_holds(superuser_client):
    waiting = ArticleFactory.create_batch(3)
    StoryArticleFactory.create_batch(2)
    rows = listed(superuser_client, "sources_article", in_story="no")
    assert sorted(article.pk for article in rows) == sorted(article.pk for article in waiting)


@pytest.mark.parametrize("url", [ARTICLES, STORIES])
def test_changelists_count_only_up_to_a_limit(superuser_client, url, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    for _ in range(4):
        StoryArticleFactory()
    response, sql = sql_of(superuser_client, url)
    counts = [query for query in sql if "count(" in query]
    assert counts and all("limit 4" in query for query in counts)  # limit + 1 rows at most
    assert response.context["cl"].result_count == 3
    assert "More than 3" in response.content.decode()


def test_a_short_list_says_its_exact_count(superuser_client):
    ArticleFactory.create_batch(2)
    page = superuser_client.get(ARTICLES).content.decode()
    assert "2 articles" in page and "More than" not in page


def test_articles_have_no_date_hierarchy(superuser_client):
    ArticleFactory()
    _, sql = sql_of(superuser_client, ARTICLES)
    assert not any("distinct" in query or "max(" in query for query in sql)


def test_published_filter_narrows_to_recent_articles(superuser_client):
    today = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    this_week = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(published_at=timezone.now() - timedelta(days=40))
    assert listed(superuser_client, "sources_article", published_within="24h") == [today]
    assert listed(superuser_client, "sources_article", published_within="7d") == [
        today,
        this_week,
    ]


def test_outlet_filter_shows_only_the_chosen_outlet(superuser_client):
    chosen, other = SourceFactory(name="Valley Courier"), SourceFactory(name="Bay Post")
    article = ArticleFactory(source=chosen)
    ArticleFactory(source=other)
    response = superuser_client.get(ARTICLES, {"source__id__exact": chosen.pk})
    assert list(response.context["cl"].result_list) == [article]
    assert "Bay Post" not in response.content.decode()
    assert (
        "Valley Courier"
        not in superuser_client.get(ARTICLES)
        .content.decode()
        .split('id="changelist-filter"')[-1]
        .split("</nav>")[0]
    )


def test_article_search_reads_no_link_column_and_joins_no_outlet(superuser_client):
    ArticleFactory(title="Wildfire smoke drifts east")
    _, sql = sql_of(superuser_client, ARTICLES, {"q": "wildfire"})
    searched = [query for query in sql if "like" in query and "sources_article" in query]
    assert searched
    assert not any('"url"' in query.split("where")[-1] for query in searched)
    assert not any("join" in query.split("where")[-1] for query in searched)


def test_article_search_needs_every_word_of_the_headline(superuser_client):
    both = ArticleFactory(title="Wildfire smoke drifts east")
    ArticleFactory(title="Wildfire contained")
    assert listed(superuser_client, "sources_article", q="smoke wildfire") == [both]


def test_a_pasted_link_with_tracking_finds_its_article(superuser_client):
    article = ArticleFactory(url="https://news.example/articles/wildfire-smoke")
    ArticleFactory(url="https://news.example/articles/wildfire-smoke-2")
    term = "https://NEWS.example/articles/wildfire-smoke?utm_source=feed#top"
    assert listed(superuser_client, "sources_article", q=term) == [article]


def test_story_search_asks_key_points_without_distinct(superuser_client):
    story = StoryFactory(title="Council meeting")
    KeyPointFactory(story=story, text="The flood plan passed.")
    KeyPointFactory(story=story, text="Flood insurance rises.")
    response, sql = sql_of(superuser_client, STORIES, {"q": "flood"})
    assert list(response.context["cl"].result_list) == [story]
    assert not any("distinct" in query for query in sql)


def test_story_search_needs_every_word_in_the_title_or_in_one_key_point(superuser_client):
    by_point = StoryFactory(title="Council meeting")
    KeyPointFactory(story=by_point, text="The flood plan passed.")
    split = StoryFactory(title="Flood barrier")
    KeyPointFactory(story=split, text="The plan passed.")
    assert listed(superuser_client, "stories_story", q="flood plan") == [by_point]


def trigram_migration_sql() -> list[str]:
    """The SQL the trigram migration would run on this database."""
    editor = connection.schema_editor(collect_sql=True)
    trigram_migration.create_trigram_index(ProjectState().apps, editor)
    return editor.collected_sql


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite half")
def test_trigram_migration_does_nothing_on_sqlite():
    assert trigram_migration_sql() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL half")
def test_trigram_index_serves_headline_search_on_postgresql(superuser_client):
    assert any("CONCURRENTLY IF NOT EXISTS" in sql for sql in trigram_migration_sql())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [trigram_migration.INDEX]
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM sources_article WHERE UPPER(title::text) LIKE UPPER(%s)",
            ["%wildfire%"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "gin_trgm_ops" in definition
    assert trigram_migration.INDEX in plan


def analyze():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sources_article")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimates")
def test_a_search_the_planner_expects_far_more_rows_of_is_not_counted(
    superuser_client, monkeypatch
):
    """Counting the limit's worth of matches of a common word reads rows in proportion;
    when the planner expects ten times the limit, the list says "more than" uncounted."""
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    source = SourceFactory()
    ArticleFactory.create_batch(60, source=source, title="Harbour strike goes on")
    analyze()
    response, sql = sql_of(superuser_client, ARTICLES, {"q": "harbour"})
    assert any(query.startswith("explain") for query in sql)
    assert not [query for query in sql if "count(" in query]
    assert "More than 3 articles" in response.content.decode()
    assert len(response.context["cl"].result_list) == 60  # the page itself is whole


def test_a_search_of_few_rows_is_counted_exactly(superuser_client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    source = SourceFactory()
    ArticleFactory.create_batch(60, source=source, title="Council meets")
    ArticleFactory.create_batch(2, source=source, title="Harbour strike goes on")
    analyze()
    response, sql = sql_of(superuser_client, ARTICLES, {"q": "harbour"})
    assert [query for query in sql if "count(" in query]
    assert "2 articles" in response.content.decode()
    # Without a search, nothing is estimated: the plain list's count is cheap.
    _, sql = sql_of(superuser_client, ARTICLES)
    assert not any(query.startswith("explain") for query in sql)
