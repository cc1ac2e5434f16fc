"""Clients logged into the admin as a superuser, as an editor, and as a reader."""

import pytest
from django.test import Client


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request):
    """The admin as a superuser and as an editor: both must work the same."""
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture(autouse=True)
def feed_hosts_need_not_resolve(settings):
    """Feed URLs here use example host names, which do not resolve offline.

    These tests are about the admin's forms; the address policy of feed URLs is
    tested with the fetcher.
    """
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
