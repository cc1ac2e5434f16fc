"""Every page runs a fixed number of queries, pinned at two data sizes (cold cache)."""

import pytest

from desk.related import refresh_related
from stories.freshness import bump_content_version
from tests.clients import count_queries
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, story_with_coverage

pytestmark = pytest.mark.django_db

# Logged-in readers add three queries: the session, the user, the subscription.
READER_QUERIES = 3
# Cached pages read the page version from the database, hit or miss (web/cache.py).
VERSION_QUERY = 1
# The story page's read (web.pages.story_page) with its digest stored (web/digest.py): the
# story with its digest.
STORY_QUERIES = 1
# Past the first page of a tab: its cards and the outlets of their copies (web/copies.py).
LATER_PAGE_QUERIES = 2
# Computing the digest, once after each change to the story: key points one, topics one
# (web.topics.story_topics), related stories one (stored by desk.related.refresh_related),
# coverage three, the tabs' counts one, the perspectives two, the timeline one, the first page
# of each of the four tabs two,
# and storing it four (a savepoint, an update, an insert, the savepoint's release; the
# insert only the first time).
DIGEST_QUERIES = 1 + 1 + 1 + 3 + 1 + 2 + 1 + 4 * LATER_PAGE_QUERIES + 4
# A logged-in reader's story page asks whether they saved it (web/save_button.py).
SAVED_STATE_QUERY = 1


def cold_queries(client, url) -> int:
    """The queries of a GET of url with a cold page cache: the rendering, not a hit."""
    bump_content_version()
    return count_queries(client, url)


def left_only_stories(n):
    """n published stories, each covered by one Far Left outlet (so each is a blindspot)."""
    return [
        story_with_coverage(articles=2, sources=1, title=f"Canal works {i}", slug=f"canal-{i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("articles", [10, 300])
def test_story_page_for_an_anonymous_reader(client, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    # Other stories to compare it with: 1 at the small size, 30 at the large one.
    for _ in range(articles // 10):
        story_with_coverage(articles=10, sources=3)
    refresh_related([story.pk])
    url = f"/stories/{story.slug}/"
    assert cold_queries(client, url) == STORY_QUERIES + DIGEST_QUERIES + VERSION_QUERY
    assert cold_queries(client, url) == STORY_QUERIES + VERSION_QUERY
    assert cold_queries(client, url + "?bias=right") == STORY_QUERIES + VERSION_QUERY
    # Page 2 when there is one (at 300 articles); the last page, which is the first, if not.
    later = LATER_PAGE_QUERIES if articles > 40 else 0
    assert cold_queries(client, url + "?page=2") == STORY_QUERIES + later + VERSION_QUERY


@pytest.mark.parametrize("articles", [10, 300])
def test_story_page_for_a_premium_reader(client_as, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    premium = client_as("premium")
    url = f"/stories/{story.slug}/"
    reader = READER_QUERIES + SAVED_STATE_QUERY
    assert cold_queries(premium, url) == STORY_QUERIES + DIGEST_QUERIES + VERSION_QUERY + reader
    assert cold_queries(premium, url) == STORY_QUERIES + VERSION_QUERY + reader


@pytest.mark.parametrize("n", [3, 25])
def test_home_page(client, n):
    left_only_stories(n)
    assert cold_queries(client, "/") == 3 + VERSION_QUERY


@pytest.mark.parametrize("articles", [5, 60])
def test_source_page(client_as, articles):
    source = SourceFactory(slug="busy-outlet")
    story = story_with_coverage(articles=0)
    for i in range(articles):
        article = ArticleFactory(source=source)
        if i % 2:
            StoryArticleFactory(story=story, article=article)
    assert cold_queries(client_as("anonymous"), "/sources/busy-outlet/") == 2 + VERSION_QUERY
    assert (
        cold_queries(client_as("premium"), "/sources/busy-outlet/")
        == 2 + VERSION_QUERY + READER_QUERIES
    )


@pytest.mark.parametrize("n", [3, 25])
def test_blindspot_page(client, n):
    left_only_stories(n)
    assert cold_queries(client, "/blindspot/") == 2 + VERSION_QUERY
    assert client.get("/blindspot/").content.decode().count('class="story-teaser"') == min(n, 20)


@pytest.mark.parametrize("n", [3, 25])
def test_search_page(client_as, n):
    left_only_stories(n)
    for i in range(n):
        SourceFactory(name=f"Canal Courier {i}")
    assert cold_queries(client_as("anonymous"), "/search/?q=canal") == 3
    assert cold_queries(client_as("premium"), "/search/?q=canal") == 3 + READER_QUERIES


@pytest.mark.parametrize("n", [3, 25])
def test_story_feed(client, n):
    left_only_stories(n)
    assert cold_queries(client, "/feeds/stories/") == 2 + VERSION_QUERY
    assert cold_queries(client, "/feeds/stories/atom/") == 2 + VERSION_QUERY


def test_static_pages_run_no_queries_for_anonymous_readers(client):
    assert cold_queries(client, "/how-we-rate/") == 0
    assert cold_queries(client, "/premium/") == 0
