"""Every list (and detail) runs a fixed number of queries, whatever the amount of data."""

import pytest

from tests.clients import count_queries
from tests.factories import ArticleFactory, SourceFactory, story_with_coverage

from .conftest import session_client, token_client

pytestmark = pytest.mark.django_db

# Queries per endpoint for an anonymous reader. A signed-in reader adds the
# session and user look-ups and the subscription check (3); an editor's token
# adds its look-up and, where drafts matter, the permission check.
ANONYMOUS = {
    "/api/v1/stories/": 4,  # count, page, key points, topics
    "/api/v1/stories/{story}/": 6,  # story, key points, topics, coverage (3)
    "/api/v1/stories/{story}/articles/": 3,  # story, count, page
    "/api/v1/articles/": 2,  # count, page (outlet and story joined)
    "/api/v1/articles/{article}/": 1,
    "/api/v1/sources/": 2,  # count, page (owner joined)
    "/api/v1/sources/{source}/": 1,
}
EXTRA = {"premium_reader": 3}
# Readers who may see factuality (premium readers, editors) get the story list's factuality
# mix from one more query, an aggregate over the page's stories only.
FACTUALITY_EXTRA = {"/api/v1/stories/": 1}
EDITOR_EXTRA = {  # token+user, then user and group permissions where visibility depends on them
    "/api/v1/stories/": 3,
    "/api/v1/stories/{story}/": 3,
    "/api/v1/stories/{story}/articles/": 3,
    "/api/v1/articles/": 3,
    "/api/v1/articles/{article}/": 3,
    "/api/v1/sources/": 1,
    "/api/v1/sources/{source}/": 1,
}


def build(size: int) -> dict:
    """size stories of size articles each, plus size loose articles."""
    stories = [story_with_coverage(articles=size, sources=min(size, 6)) for _ in range(size)]
    ArticleFactory.create_batch(size, source=SourceFactory())
    article = stories[0].story_articles.first().article
    return {"story": stories[0].slug, "article": article.pk, "source": article.source.slug}


@pytest.mark.parametrize("size", [2, 7])
@pytest.mark.parametrize("endpoint", ANONYMOUS)
def test_anonymous_reads_run_a_fixed_number_of_queries(anon, endpoint, size):
    url = endpoint.format(**build(size))
    assert count_queries(anon, url) == ANONYMOUS[endpoint]


@pytest.mark.parametrize("size", [2, 7])
@pytest.mark.parametrize("endpoint", ANONYMOUS)
def test_premium_reads_run_a_fixed_number_of_queries(premium_reader, endpoint, size):
    url = endpoint.format(**build(size))
    client = session_client(premium_reader)
    expected = ANONYMOUS[endpoint] + EXTRA["premium_reader"] + FACTUALITY_EXTRA.get(endpoint, 0)
    assert count_queries(client, url) == expected


@pytest.mark.parametrize("size", [2, 7])
@pytest.mark.parametrize("endpoint", ANONYMOUS)
def test_editor_reads_run_a_fixed_number_of_queries(editor, endpoint, size):
    url = endpoint.format(**build(size))
    client = token_client(editor)
    expected = ANONYMOUS[endpoint] + EDITOR_EXTRA[endpoint] + FACTUALITY_EXTRA.get(endpoint, 0)
    assert count_queries(client, url) == expected
