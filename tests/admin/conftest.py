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
