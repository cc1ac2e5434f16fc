"""Every page runs a fixed number of queries, pinned at two data sizes (cold cache)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, story_with_coverage
from web.cache import bump_pages_version

pytestmark = pytest.mark.django_db

# Logged-in readers add three queries: the session, the user, the subscription.
READER_QUERIES = 3


def count_queries(client, url) -> int:
    bump_pages_version()  # cold cache: measure the rendering, not a hit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def stories(n):
    """n published stories, each covered by one Far Left outlet (so each is a blindspot)."""
    return [
        story_with_coverage(articles=2, sources=1, title=f"Canal works {i}", slug=f"canal-{i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("articles", [10, 300])
def test_story_page_for_an_anonymous_reader(client, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    assert count_queries(client, f"/stories/{story.slug}/") == 7
    assert count_queries(client, f"/stories/{story.slug}/?bias=right&page=2") == 7


@pytest.mark.parametrize("articles", [10, 300])
def test_story_page_for_a_premium_reader(client_as, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    assert count_queries(client_as("premium"), f"/stories/{story.slug}/") == 7 + READER_QUERIES


@pytest.mark.parametrize("n", [3, 25])
def test_home_page(client, n):
    stories(n)
    assert count_queries(client, "/") == 3


@pytest.mark.parametrize("articles", [5, 60])
def test_source_page(client_as, articles):
    source = SourceFactory(slug="busy-outlet")
    story = story_with_coverage(articles=0)
    for i in range(articles):
        article = ArticleFactory(source=source)
        if i % 2:
            StoryArticleFactory(story=story, article=article)
    assert count_queries(client_as("anonymous"), "/sources/busy-outlet/") == 2
    assert count_queries(client_as("premium"), "/sources/busy-outlet/") == 2 + READER_QUERIES


@pytest.mark.parametrize("n", [3, 25])
def test_blindspot_page(client, n):
    stories(n)
    assert count_queries(client, "/blindspot/") == 2
    assert client.get("/blindspot/").content.decode().count('class="story-teaser"') == min(n, 20)


@pytest.mark.parametrize("n", [3, 25])
def test_search_page(client_as, n):
    stories(n)
    for i in range(n):
        SourceFactory(name=f"Canal Courier {i}")
    assert count_queries(client_as("anonymous"), "/search/?q=canal") == 3
    assert count_queries(client_as("premium"), "/search/?q=canal") == 3 + READER_QUERIES


@pytest.mark.parametrize("n", [3, 25])
def test_story_feed(client, n):
    stories(n)
    assert count_queries(client, "/feeds/stories/") == 2
    assert count_queries(client, "/feeds/stories/atom/") == 2


def test_static_pages_run_no_queries_for_anonymous_readers(client):
    assert count_queries(client, "/how-we-rate/") == 0
    assert count_queries(client, "/premium/") == 0
