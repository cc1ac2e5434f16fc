"""A writer holding the SQLite file does not turn into "database is locked" for a reader."""

import sqlite3
import threading
import time

import pytest
from django.db import connection

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="only SQLite has a whole-file write lock"
    ),
]


def hold_write_lock(path, seconds, started):
    """Another process's view of the file: take the write lock, write, wait, commit."""
    other = sqlite3.connect(path, isolation_level=None, timeout=20)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO sources_owner (name, category, country, website, notes) "
                  "VALUES ('Held by another writer', 'other', '', '', '')")  # fmt: skip
    started.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def test_logins_and_pages_wait_for_a_writer_instead_of_failing(client):
    UserFactory(username="waiting", password="a long enough password", is_staff=True)
    started = threading.Event()
    writer = threading.Thread(
        target=hold_write_lock, args=(connection.settings_dict["NAME"], 1.5, started)
    )
    writer.start()
    try:
        assert started.wait(10)
        began = time.monotonic()
        # Reading works while the writer holds the lock (WAL) ...
        assert client.get("/healthz").status_code == 200
        # ... and a login, which writes last_login and the session, waits its turn.
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "waiting", "password": "a long enough password"},
        )
        waited = time.monotonic() - began
    finally:
        writer.join()
    assert response.status_code == 302, response.content[:500]
    assert waited >= 1.0, "the login should have waited for the other writer"
    from sources.models import Owner

    assert Owner.objects.filter(name="Held by another writer").exists()
