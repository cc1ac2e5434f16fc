"""Clients logged into the admin as a superuser, as an editor, and as a reader."""

import pytest

from tests.clients import logged_in


@pytest.fixture
def superuser_client(admin_user):
    return logged_in(admin_user)


@pytest.fixture
def editor_client(editor):
    """A Django test client with the editor's session (the API's token client is editor_api)."""
    return logged_in(editor)


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request):
    """The admin as a superuser and as an editor: both must work the same."""
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture(autouse=True)
def feed_hosts_need_not_resolve(private_feeds_allowed):
    """Feed URLs here use example host names, which do not resolve offline.

    These tests are about the admin's forms; the address policy of feed URLs is
    tested with the fetcher. Allowing private feeds also skips the name lookup.
    """
