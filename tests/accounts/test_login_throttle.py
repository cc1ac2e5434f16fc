"""Guessing passwords is refused after a few failures, on the site's log-in and the admin's."""

import socket
import time
import uuid

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts; try again in"


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.NEWSROOM_LOGIN_FAILURES_PER_ADDRESS = 3
    settings.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS = 900


def new_address() -> str:
    """An address no other test (or earlier run against a shared Redis) has used."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


@pytest.fixture
def reader():
    return UserFactory(username=f"reader-{uuid.uuid4().hex[:8]}", password=PASSWORD)


def log_in(user, password, address, url="/accounts/login/"):
    """POST the log-in form from address; the client, logged in or not, and the response."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(url, {"username": user.username, "password": password})
    return client, response


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(user, times, *, address=None, url="/accounts/login/"):
    for _ in range(times):
        client, response = log_in(user, "wrong guess", address or new_address(), url)
        assert response.status_code == 200 and not is_logged_in(client)


def test_after_too_many_wrong_passwords_the_right_one_is_refused(reader):
    address = new_address()
    fail(reader, 3, address=address)
    client, response = log_in(reader, PASSWORD, address)
    assert response.status_code == 200 and not is_logged_in(client)
    assert "Too many failed attempts; try again in 15 minutes." in response.content.decode()


def test_fewer_failures_do_not_stand_in_the_way(reader):
    address = new_address()
    fail(reader, 2, address=address)
    client, response = log_in(reader, PASSWORD, address)
    assert response.status_code == 302 and is_logged_in(client)


def test_a_locked_address_does_not_lock_the_account_elsewhere(reader):
    fail(reader, 3, address=new_address())
    client, response = log_in(reader, PASSWORD, new_address())
    assert response.status_code == 302 and is_logged_in(client)


def test_a_locked_address_does_not_lock_other_accounts_elsewhere(reader):
    address = new_address()
    fail(reader, 3, address=address)
    other = UserFactory(username=f"other-{uuid.uuid4().hex[:8]}", password=PASSWORD)
    client, response = log_in(other, PASSWORD, new_address())
    assert response.status_code == 302 and is_logged_in(client)


def test_an_account_guessed_from_many_addresses_is_locked_from_all(reader):
    fail(reader, 5)  # one guess from each of five addresses
    client, response = log_in(reader, PASSWORD, new_address())
    assert not is_logged_in(client)
    assert LOCKED in response.content.decode()


def test_a_success_clears_the_accounts_count(reader):
    fail(reader, 4)
    assert is_logged_in(log_in(reader, PASSWORD, new_address())[0])
    fail(reader, 4)
    assert is_logged_in(log_in(reader, PASSWORD, new_address())[0])


def test_the_lock_ends_by_itself(reader, settings):
    settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS = 1
    address = new_address()
    fail(reader, 3, address=address)
    assert LOCKED in log_in(reader, PASSWORD, address)[1].content.decode()
    time.sleep(2.1)  # Redis keeps expiry times in whole seconds
    client, response = log_in(reader, PASSWORD, address)
    assert response.status_code == 302 and is_logged_in(client)


def test_the_admin_log_in_is_throttled_too():
    editor = UserFactory(username=f"editor-{uuid.uuid4().hex[:8]}", password=PASSWORD)
    editor.is_staff = True
    editor.save()
    address = new_address()
    fail(editor, 3, address=address, url="/admin/login/")
    client, response = log_in(editor, PASSWORD, address, url="/admin/login/")
    assert response.status_code == 200 and not is_logged_in(client)
    assert "Too many failed attempts; try again in 15 minutes." in response.content.decode()


def test_failures_at_the_admin_count_for_the_site_too(reader):
    address = new_address()
    fail(reader, 3, address=address, url="/admin/login/")
    assert LOCKED in log_in(reader, PASSWORD, address)[1].content.decode()


def test_logging_in_works_unthrottled_while_the_cache_is_down(reader, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
        }
    }
    address = new_address()
    fail(reader, 4, address=address)
    client, response = log_in(reader, PASSWORD, address)
    assert response.status_code == 302 and is_logged_in(client)
