"""The premium gate: factuality keys are present exactly for premium readers and staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Subscription

from .conftest import session_client, token_client

pytestmark = pytest.mark.django_db

# Where factuality appears in each endpoint's answer, for those who may see it.
PREMIUM_PATHS = {
    "/api/v1/stories/": {"results[].coverage.factuality"},
    "/api/v1/stories/published-story/": {
        "coverage.factuality",
        "coverage.first_reported.source.factuality",
    },
    "/api/v1/stories/published-story/articles/": {"results[].source.factuality"},
    "/api/v1/articles/": {"results[].source.factuality"},
    "/api/v1/articles/{loose}/": {"source.factuality"},
    "/api/v1/sources/": {"results[].factuality"},
    "/api/v1/sources/left-post/": {"factuality"},
}
READERS = [
    ("anonymous", False),
    ("free_reader", False),
    ("expired_reader", False),
    ("premium_reader", True),
    ("editor", True),
]


def factuality_paths(data, path="") -> set[str]:
    """Dotted paths of every "factuality" key in a JSON document; list items as []."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if key == "factuality":
                found.add(here)
            found |= factuality_paths(value, here)
    elif isinstance(data, list):
        for item in data:
            found |= factuality_paths(item, f"{path}[]")
    return found


def client_of(request, reader):
    if reader == "anonymous":
        from rest_framework.test import APIClient

        return APIClient()
    return session_client(request.getfixturevalue(reader))


@pytest.mark.parametrize("endpoint", PREMIUM_PATHS)
@pytest.mark.parametrize(("reader", "premium"), READERS)
def test_factuality_keys_are_present_exactly_for_premium_and_staff(
    request, story_draft_and_inbox, endpoint, reader, premium
):
    response = client_of(request, reader).get(
        endpoint.format(loose=story_draft_and_inbox["loose"].pk)
    )
    assert response.status_code == 200
    expected = PREMIUM_PATHS[endpoint] if premium else set()
    assert factuality_paths(response.json()) == expected


@pytest.mark.parametrize(("reader", "premium"), [("free_reader", False), ("premium_reader", True)])
def test_a_token_carries_its_owners_premium_access(request, story_draft_and_inbox, reader, premium):
    client = token_client(request.getfixturevalue(reader))
    data = client.get("/api/v1/stories/published-story/").json()
    assert ("factuality" in data["coverage"]) is premium


def test_expired_reader_with_a_token_sees_no_factuality(story_draft_and_inbox, expired_reader):
    data = token_client(expired_reader).get("/api/v1/sources/left-post/").json()
    assert "factuality" not in data


def test_access_ends_on_the_first_request_after_the_subscription_expires(
    story_draft_and_inbox, premium_reader
):
    client = token_client(premium_reader)
    assert "factuality" in client.get("/api/v1/sources/left-post/").json()
    Subscription.objects.filter(user=premium_reader).update(
        expires_at=timezone.now() - timedelta(seconds=1),
        starts_at=timezone.now() - timedelta(days=2),
    )
    assert "factuality" not in client.get("/api/v1/sources/left-post/").json()


def test_premium_story_list_figures_agree_with_the_story_page(
    story_draft_and_inbox, premium_reader
):
    client = session_client(premium_reader)
    listed = client.get("/api/v1/stories/").json()["results"][0]["coverage"]["factuality"]
    detail = client.get("/api/v1/stories/published-story/").json()["coverage"]["factuality"]
    assert listed == detail
    assert {entry["value"]: entry["count"] for entry in listed} == {
        1: 0, 2: 1, 3: 1, 4: 1, 5: 0, None: 1,
    }  # fmt: skip


REFUSED_QUERIES = [
    "/api/v1/sources/?factuality=4",
    "/api/v1/sources/?ordering=factuality",
    "/api/v1/sources/?ordering=-factuality",
    "/api/v1/sources/?ordering=name,-factuality",
    "/api/v1/articles/?factuality=4",
    "/api/v1/articles/?ordering=factuality",
    "/api/v1/articles/?source__factuality=4",
    "/api/v1/stories/?ordering=-factuality",
    "/api/v1/stories/?factuality=3",
]


@pytest.mark.parametrize("url", REFUSED_QUERIES)
@pytest.mark.parametrize("reader", ["anonymous", "free_reader", "expired_reader"])
def test_factuality_filters_and_ordering_are_refused_without_premium(
    request, story_draft_and_inbox, url, reader
):
    response = client_of(request, reader).get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "premium_required"
    assert "premium" in error["message"]


@pytest.mark.parametrize("reader", ["premium_reader", "editor"])
def test_premium_readers_filter_sources_by_factuality(request, story_draft_and_inbox, reader):
    data = client_of(request, reader).get("/api/v1/sources/?factuality=3").json()
    assert [source["slug"] for source in data["results"]] == ["center-daily"]


@pytest.mark.parametrize("reader", ["premium_reader", "editor"])
def test_premium_readers_order_sources_by_factuality(request, story_draft_and_inbox, reader):
    data = client_of(request, reader).get("/api/v1/sources/?ordering=-factuality").json()
    levels = [s["factuality"]["value"] for s in data["results"] if s["factuality"]["value"]]
    assert levels == [4, 3, 2]


def test_premium_readers_filter_and_order_articles_by_their_outlets_factuality(
    story_draft_and_inbox, premium_reader
):
    client = session_client(premium_reader)
    high = client.get("/api/v1/articles/?factuality=4").json()["results"]
    assert {article["source"]["slug"] for article in high} == {"left-post"}
    ordered = client.get("/api/v1/articles/?ordering=factuality").json()["results"]
    levels = [a["source"]["factuality"]["value"] for a in ordered]
    rated = [level for level in levels if level is not None]
    assert rated == sorted(rated)


def test_nested_factuality_parameters_are_unknown_even_to_premium_readers(
    story_draft_and_inbox, premium_reader
):
    response = session_client(premium_reader).get("/api/v1/articles/?source__factuality=4")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_parameter"
