"""Redis down, hung or back with old data: requests still answer, in bounded time, correctly."""

import time

import pytest

from stories.services import unpublish_story
from tests.factories import story_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return story_with_coverage(articles=4, sources=2, title="Harbour bridge reopens")


@pytest.fixture
def api_rate(settings):
    """api_rate("2/minute") sets the anonymous API rate (the per-user one is off)."""

    def set_rate(rate: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": rate, "user": "off"},
        }

    return set_rate


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def api_urls(story):
    return ["/api/v1/stories/", f"/api/v1/stories/{story.slug}/"]


def page_urls(story):
    return ["/", f"/stories/{story.slug}/", "/feeds/stories/"]


# --- Redis down -------------------------------------------------------------------


def test_the_api_and_the_pages_answer_while_redis_is_down(
    client, story, redis_server, cache_on_redis
):
    cache_on_redis()
    redis_server.stop()
    for url in api_urls(story):
        response = client.get(url)
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/json"
    assert client.get(f"/api/v1/stories/{story.slug}/").json()["title"] == story.title
    for url in page_urls(story):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"


def test_the_api_rate_fails_open_whatever_the_cache_backend(
    client, story, redis_server, settings, api_rate
):
    """Django's own Redis backend raises when Redis is gone: the rate must not make it a 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
        }
    }
    api_rate("2/minute")
    redis_server.stop()
    statuses = [client.get("/api/v1/stories/").status_code for _ in range(4)]
    assert statuses == [200] * 4


def test_the_api_rate_counts_again_once_redis_is_back(
    client, story, redis_server, cache_on_redis, api_rate
):
    cache_on_redis(breaker_seconds=0.5)
    api_rate("2/minute")
    redis_server.stop()
    assert [client.get("/api/v1/stories/").status_code for _ in range(3)] == [200] * 3
    redis_server.start()
    time.sleep(0.6)  # the breaker's pause
    statuses = [client.get("/api/v1/stories/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# --- Redis hung -------------------------------------------------------------------


def test_a_hung_redis_costs_each_request_a_bounded_time(
    client, story, redis_server, cache_on_redis
):
    # A breaker pause shorter than the requests: each of them meets the hung server anew.
    cache_on_redis(timeout_ms=200, breaker_seconds=0.01)
    redis_server.pause()
    for url in [*page_urls(story), *api_urls(story)]:
        response, seconds = timed_get(client, url)
        assert response.status_code == 200, (url, response.content)
        # Without a bound, redis-py waits 5 s per call and a request makes two or more.
        assert seconds < 1.5, (url, seconds)


def test_after_one_timeout_requests_skip_the_hung_redis(
    client, story, redis_server, cache_on_redis
):
    cache_on_redis(timeout_ms=500, breaker_seconds=60)
    redis_server.pause()
    first, seconds = timed_get(client, f"/stories/{story.slug}/")
    assert first.status_code == 200
    assert seconds >= 0.45  # it did meet the hung server and wait for it
    later = [timed_get(client, url) for url in [*page_urls(story), *api_urls(story)]]
    assert [response.status_code for response, _ in later] == [200] * len(later)
    # Paying the timeout again would cost each of them at least 0.5 s.
    assert max(seconds for _, seconds in later) < 0.4, later


def test_the_cache_is_used_again_once_a_hung_redis_resumes(
    client, story, redis_server, cache_on_redis, api_rate
):
    cache_on_redis(timeout_ms=200, breaker_seconds=0.5)
    api_rate("2/minute")
    url = f"/stories/{story.slug}/"
    redis_server.pause()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert [client.get("/api/v1/stories/").status_code for _ in range(3)] == [200] * 3
    redis_server.resume()
    time.sleep(0.6)  # the breaker's pause
    assert [client.get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    statuses = [client.get("/api/v1/stories/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# --- Redis back with the entries it kept -----------------------------------------------


def unpublish(story):
    unpublish_story(story=story)


def delete(story):
    story.delete()


@pytest.mark.parametrize("change", [unpublish, delete])
def test_a_story_taken_down_while_redis_was_down_is_not_served_when_it_returns(
    client, story, redis_server, cache_on_redis, django_capture_on_commit_callbacks, change
):
    cache_on_redis()
    url = f"/stories/{story.slug}/"
    for page in (url, "/"):
        client.get(page)
        assert client.get(page)["X-Page-Cache"] == "hit"
    redis_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        change(story)
    redis_server.start()
    assert redis_server.client().dbsize() > 0  # the old entries are back
    assert client.get(url).status_code == 404
    home = client.get("/")
    assert home.status_code == 200
    assert story.title not in home.content.decode()
