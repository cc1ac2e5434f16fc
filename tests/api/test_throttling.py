"""Request rates: per address for anonymous readers, per user otherwise; 429 with Retry-After."""

import uuid

import pytest
from django.core.cache import cache

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """Low rates for this test. Only this test's own counters are reset: clearing the
    whole cache would wipe what parallel test workers keep in a shared Redis."""

    def set_rates(anon="off", user="off"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


@pytest.fixture
def address():
    """An address no other test uses, with no request history."""
    ip = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])
    cache.delete(f"throttle_anon_{ip}")
    return ip


def test_anonymous_requests_beyond_the_rate_get_429_with_retry_after(anon, rates, address):
    rates(anon="3/minute")
    statuses = [anon.get("/api/v1/sources/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon.get("/api/v1/sources/", REMOTE_ADDR=address)
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (429, "throttled")


def test_the_anonymous_rate_counts_per_address(anon, rates, address):
    rates(anon="1/minute")
    assert anon.get("/api/v1/sources/", REMOTE_ADDR=address).status_code == 200
    other = "10.255.{}.{}".format(*uuid.uuid4().bytes[:2])
    cache.delete(f"throttle_anon_{other}")
    assert anon.get("/api/v1/sources/", REMOTE_ADDR=other).status_code == 200
    assert anon.get("/api/v1/sources/", REMOTE_ADDR=address).status_code == 429


def test_a_forwarded_for_header_does_not_reset_the_anonymous_count(anon, rates, address):
    rates(anon="1/minute")
    assert anon.get("/api/v1/sources/", REMOTE_ADDR=address).status_code == 200
    spoofed = anon.get("/api/v1/sources/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert spoofed.status_code == 429


def test_signed_in_users_have_their_own_rate(free_reader, rates, address):
    rates(anon="1/minute", user="2/minute")
    cache.delete(f"throttle_user_{free_reader.pk}")
    client = token_client(free_reader)
    statuses = [client.get("/api/v1/sources/", REMOTE_ADDR=address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_rates_can_be_turned_off(anon, rates, address):
    rates(anon="off")
    statuses = {anon.get("/api/v1/sources/", REMOTE_ADDR=address).status_code for _ in range(5)}
    assert statuses == {200}
