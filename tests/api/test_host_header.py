"""Every address the API builds names SITE_URL, never the request's Host header.

Django checks the Host header without its port, so "127.0.0.1:6666" passes ALLOWED_HOSTS.
"""

import json
from urllib.parse import urlsplit

import pytest

from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

SITE = "https://newsroom.test:8443"
POISONED = "127.0.0.1:6666"
# The outlets' own addresses (articles, homepages) are on .example (tests/factories.py).
OUTLET_DOMAIN = ".example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def strings(data):
    """Every string in a JSON document, at any depth."""
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            yield from strings(item)
    elif isinstance(data, str):
        yield data


def site_links(response) -> list[str]:
    """The response's addresses on this site; fails if any names the poisoned host."""
    assert response.status_code in (200, 201), response.content
    assert POISONED not in response.content.decode()
    links = [s for s in strings(response.json()) if "://" in s]
    return [link for link in links if not urlsplit(link).hostname.endswith(OUTLET_DOMAIN)]


def assert_on_site(links: list[str], count: int) -> None:
    assert len(links) == count, links
    assert all(link.startswith(f"{SITE}/") for link in links), links


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/api/v1/", 4),
        ("/api/v1/stories/?page_size=1&page=2", 4),  # url, page_url, next, previous
        ("/api/v1/stories/published-story/", 3),  # url, page_url, first reporter
        ("/api/v1/stories/published-story/articles/", 8),  # sources, story
        ("/api/v1/articles/?page_size=2&page=2", 6),
        ("/api/v1/sources/?page_size=2", 5),
        ("/api/v1/sources/left-post/", 2),
    ],
)
def test_reads_link_to_the_site_under_a_poisoned_host(anon, story_draft_and_inbox, path, count):
    StoryFactory.create_batch(2)  # three published stories, so that the lists have pages
    assert_on_site(site_links(anon.get(path, HTTP_HOST=POISONED)), count)


def test_a_created_story_is_located_on_the_site_under_a_poisoned_host(editor_api):
    response = editor_api.post(
        "/api/v1/stories/", json.dumps({"title": "Ring road"}),
        content_type="application/json", HTTP_HOST=POISONED,
    )  # fmt: skip
    assert response.status_code == 201
    assert response["Location"] == f"{SITE}/api/v1/stories/ring-road/"
    assert_on_site(site_links(response), 2)


def test_the_token_page_example_names_site_url(free_reader):
    from rest_framework.authtoken.models import Token

    from tests.clients import logged_in

    Token.objects.create(user=free_reader)
    response = logged_in(free_reader).get("/api/token/", HTTP_HOST=POISONED)
    assert response.status_code == 200
    assert POISONED not in response.content.decode()
    assert f"{SITE}/api/v1/stories/" in response.content.decode()
