"""API lists ask the database only what an index answers fast, and say how exact their count is.

The time a million articles would take shows in the SQL, so these tests read it; bench/
measures the times themselves.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import TITLE_ORDER_PREFIX
from sources.pagination import CappedPaginator
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, story_with_coverage

from .conftest import session_client
from .openapi import fetch_schema

pytestmark = pytest.mark.django_db


def sql_of(client, url) -> tuple:
    """The JSON of GET url and the SQL it ran, in lower case."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"].lower() for query in queries]


def test_a_filtered_list_counts_exactly(anon):
    source = SourceFactory(slug="valley-courier")
    ArticleFactory.create_batch(3, source=source)
    ArticleFactory.create_batch(2)
    data = anon.get("/api/v1/articles/?source=valley-courier").json()
    assert (data["count"], data["count_exact"]) == (3, True)


def test_counts_stop_at_the_limit_and_say_so(anon, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    ArticleFactory.create_batch(5)
    data, sql = sql_of(anon, "/api/v1/articles/?page_size=2")
    assert (data["count"], data["count_exact"]) == (3, False)
    assert all("limit 4" in query for query in sql if "count(" in query)
    last = anon.get("/api/v1/articles/?page_size=2&page=2").json()
    assert last["next"] is None


def test_a_page_past_the_limit_is_a_404_that_says_how_to_reach_further(anon, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    ArticleFactory.create_batch(5)
    response = anon.get("/api/v1/articles/?page_size=2&page=3")
    assert response.status_code == 404
    assert "pages stop at 3 results" in response.json()["error"]["message"]


def test_the_schema_documents_how_exact_the_count_is(db):
    schema = fetch_schema()["components"]["schemas"]
    listing = schema["PaginatedArticleList"]
    assert "count_exact" in listing["required"]
    assert "1,000" in listing["properties"]["count"]["description"]


def test_ordering_by_title_reads_the_title_index_and_keeps_the_full_order(anon):
    prefix = "x" * TITLE_ORDER_PREFIX
    second, first = ArticleFactory(title=prefix + "b"), ArticleFactory(title=prefix + "a")
    ArticleFactory(title="y")
    data, sql = sql_of(anon, "/api/v1/articles/?ordering=title")
    assert [row["id"] for row in data["results"]][:2] == [first.pk, second.pk]
    (page,) = [query for query in sql if "order by" in query]
    assert "substr" in page.split("order by")[-1] or "left(" in page.split("order by")[-1]


def test_unassigned_reads_the_articles_flag_not_the_links(editor_api):
    waiting = ArticleFactory()
    StoryArticleFactory()
    data, sql = sql_of(editor_api, "/api/v1/articles/?unassigned=true")
    assert [row["id"] for row in data["results"]] == [waiting.pk]
    (page,) = [query for query in sql if "order by" in query]
    assert '"in_story"' in page.split(" where ", 1)[-1]
    assert "stories_storyarticle" not in page.split(" where ", 1)[-1]


def test_factuality_of_the_story_list_is_counted_for_the_page_only(premium_reader):
    for _ in range(3):
        story_with_coverage(articles=3, sources=3)
    client = session_client(premium_reader)
    data, sql = sql_of(client, "/api/v1/stories/?page_size=2")
    (factuality,) = [query for query in sql if "factuality" in query]
    assert "limit" not in factuality and " in (" in factuality  # the page's ids
    for row in data["results"]:
        detail = client.get(f"/api/v1/stories/{row['slug']}/").json()  # coverage_for()
        assert row["coverage"]["factuality"] == detail["coverage"]["factuality"]


def test_a_storys_articles_are_paged_by_the_dates_on_their_links(anon):
    story = story_with_coverage(articles=4, sources=2)
    newest_first = list(
        story.story_articles.order_by("-article__published_at", "-article_id").values_list(
            "article_id", flat=True
        )
    )
    for url in (f"/api/v1/articles/?story={story.slug}", f"/api/v1/stories/{story.slug}/articles/"):
        data, sql = sql_of(anon, url)
        assert [row["id"] for row in data["results"]] == newest_first
        (page,) = [query for query in sql if "order by" in query]
        # The order the index of the links (story, date, article) gives.
        order = page.split("order by")[-1].strip()
        assert order.startswith('"stories_storyarticle"."published_at" desc')
    by_title = anon.get(f"/api/v1/articles/?story={story.slug}&ordering=title").json()["results"]
    titles = [row["title"] for row in by_title]
    assert titles == sorted(titles) and len(titles) == 4
