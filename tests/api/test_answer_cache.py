"""Readers' API answers come from the cache per audience, and never cross the premium gate."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Subscription
from stories.freshness import bump_content_version
from stories.models import Story
from tests.clients import count_queries

from .conftest import session_client, token_client
from .test_gate import PREMIUM_PATHS, factuality_paths

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def answer_cache(settings):
    """The cache on, under a content version no other test used."""
    settings.NEWSROOM_API_CACHE_SECONDS = 300
    bump_content_version()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("endpoint", PREMIUM_PATHS)
@pytest.mark.parametrize("premium_first", [True, False], ids=["premium-first", "free-first"])
def test_each_audience_is_served_its_own_answer(
    story_draft_and_inbox, premium_reader, free_reader, endpoint, premium_first
):
    url = endpoint.format(loose=story_draft_and_inbox["loose"].pk)
    readers = [
        (token_client(premium_reader), PREMIUM_PATHS[endpoint]),
        (APIClient(), set()),
        (session_client(free_reader), set()),
    ]
    if not premium_first:
        readers.reverse()
    for round_, cache_state in ((1, {"miss", "hit"}), (2, {"hit"})):
        for client, expected in readers:
            response = get(client, url)
            assert factuality_paths(response.json()) == expected, (round_, expected)
            assert response["X-Api-Cache"] in cache_state
    # The second round only hit: the three readers share two answers between them.
    assert get(APIClient(), url)["X-Api-Cache"] == "hit"


def test_a_committed_change_is_seen_on_the_next_request(
    story_draft_and_inbox, django_capture_on_commit_callbacks
):
    client = APIClient()
    assert get(client, "/api/v1/stories/")["X-Api-Cache"] == "miss"
    assert get(client, "/api/v1/stories/")["X-Api-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        story = story_draft_and_inbox["story"]
        story.title = "Bridge reopens for good"
        story.save()
    response = get(client, "/api/v1/stories/")
    assert response["X-Api-Cache"] == "miss"
    assert response.json()["results"][0]["title"] == "Bridge reopens for good"


def test_premium_access_ends_on_the_first_request_after_expiry_despite_the_cache(
    story_draft_and_inbox, premium_reader
):
    client = token_client(premium_reader)
    assert "factuality" in get(client, "/api/v1/sources/left-post/").json()
    assert "factuality" in get(client, "/api/v1/sources/left-post/").json()
    Subscription.objects.filter(user=premium_reader).update(
        expires_at=timezone.now() - timedelta(seconds=1),
        starts_at=timezone.now() - timedelta(days=2),
    )
    assert "factuality" not in get(client, "/api/v1/sources/left-post/").json()


def test_editors_are_never_served_from_nor_stored_in_the_cache(story_draft_and_inbox, editor):
    get(APIClient(), "/api/v1/stories/")  # the public answer, stored
    response = get(token_client(editor), "/api/v1/stories/")
    assert "X-Api-Cache" not in response
    assert {story["slug"] for story in response.json()["results"]} == {
        "published-story",
        "draft-story",
    }
    public = get(APIClient(), "/api/v1/stories/")
    assert public["X-Api-Cache"] == "hit"
    assert [story["slug"] for story in public.json()["results"]] == ["published-story"]


@pytest.mark.parametrize(
    "url", ["/api/v1/stories/?page=99", "/api/v1/stories/no-such-story/", "/api/v1/stories/?x=1"]
)
def test_errors_are_not_stored(story_draft_and_inbox, url):
    for _ in range(2):
        response = APIClient().get(url)
        assert response.status_code in {400, 404}
        assert "X-Api-Cache" not in response


def test_a_draft_never_reaches_the_public_through_the_cache(story_draft_and_inbox, editor):
    get(token_client(editor), "/api/v1/stories/draft-story/")
    assert APIClient().get("/api/v1/stories/draft-story/").status_code == 404


def test_a_hit_costs_one_query_for_the_content_version(story_draft_and_inbox):
    client = APIClient()
    url = "/api/v1/stories/published-story/"
    miss = count_queries(client, url)
    assert count_queries(client, url) == 1 < miss


def test_the_answer_is_the_one_the_serialisers_give(story_draft_and_inbox, settings):
    client = APIClient()
    stored = get(client, "/api/v1/stories/published-story/")
    hit = get(client, "/api/v1/stories/published-story/")
    settings.NEWSROOM_API_CACHE_SECONDS = 0
    computed = get(client, "/api/v1/stories/published-story/")
    assert stored.content == hit.content
    assert hit.json() == computed.json()
    assert hit["Content-Type"] == computed["Content-Type"] == "application/json"
    assert hit["Vary"] == computed["Vary"]


class BrokenCache:
    def get(self, key, default=None):
        raise ConnectionError("cache down")

    def set(self, *args, **kwargs):
        raise ConnectionError("cache down")


def test_answers_are_computed_when_the_cache_fails(story_draft_and_inbox, monkeypatch):
    monkeypatch.setattr("api.cache.cache", BrokenCache())
    response = get(APIClient(), "/api/v1/stories/published-story/")
    assert response.json()["slug"] == "published-story"
    assert Story.objects.get(slug="published-story").title == response.json()["title"]
