"""Fixtures for the public site: readers of every audience and a page cache per test."""

import pytest
from django.test import Client

from stories.freshness import bump_content_version
from tests.clients import logged_in

AUDIENCES = ("anonymous", "free", "expired", "premium", "staff")
PREMIUM_AUDIENCES = {"premium", "staff"}


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts under a page version no other test used.

    Bumping rather than cache.clear(): on Redis, clear() flushes the database that
    parallel test workers share.
    """
    bump_content_version()


@pytest.fixture
def staff_reader(db):
    from tests.factories import UserFactory

    return UserFactory(username="staffer", is_staff=True)


@pytest.fixture
def client_as(request, db):
    """client_as("premium") -> a test client logged in as a reader of that audience."""

    def make(audience: str) -> Client:
        if audience == "anonymous":
            return Client()
        fixture = {
            "free": "free_reader",
            "expired": "expired_reader",
            "premium": "premium_reader",
            "staff": "staff_reader",
        }[audience]
        return logged_in(request.getfixturevalue(fixture))

    return make
