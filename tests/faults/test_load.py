"""A short load test: pages, API and admin at once on gunicorn, then with Redis killed.

The long one is bench/loadtest.py (`make loadtest`); both drive tests/traffic.py. Here
gunicorn serves the demo data from the test database, its cache and broker on this
test's own redis-server (tests/faults/conftest.py), so that it may be killed.
"""

import io
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.factories import PASSWORD, UserFactory
from tests.traffic import (
    Event,
    discover,
    figures,
    kill_hard,
    report,
    run_phase,
    server_environment,
    server_exceptions,
    start_gunicorn,
    stop_gunicorn,
)

pytestmark = pytest.mark.skipif(
    not (settings.ON_POSTGRES and settings.REDIS_URL),
    reason="the load test runs on PostgreSQL with Redis: set DATABASE_URL and REDIS_URL",
)

CLIENTS = 4  # a reader, an API client, an editor and a second reader (tests/traffic.py)


def database_url() -> str:
    """The test database's address, for the server processes."""
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"])
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def served(transactional_db, redis_server, tmp_path):
    """(site, server log): the demo data served by gunicorn, with the test's settings.

    Transactional, so that the server's processes see the data; it is stopped before
    the database is flushed. A superuser of our own edits: the Editors group that the
    demo's editor needs may have gone with an earlier transactional test's flush.
    """
    call_command("load_demo", allow_production=True, stdout=io.StringIO())
    UserFactory(username="load-editor", is_staff=True, is_superuser=True)
    env = server_environment(
        database_url=database_url(),
        redis_url=redis_server.url,
        data_dir=str(tmp_path),
        settings="tests.settings",
    )
    log = tmp_path / "gunicorn.log"
    server, base = start_gunicorn(env, workers=2, log=log)
    try:
        yield discover(base, username="load-editor", password=PASSWORD), log
    finally:
        stop_gunicorn(server)


def explain(phase, log) -> str:
    logged = "\n".join(f"  {count} × {line}" for line, count in server_exceptions(log))
    return f"{report('load', phase)}\nserver log:\n{logged}"


def test_every_request_succeeds_under_load(served):
    site, log = served

    phase = run_phase(site, clients=CLIENTS, seconds=3)

    assert figures(phase).requests > CLIENTS
    assert figures(phase).errors == 0, explain(phase, log)


def test_no_request_fails_with_500_when_redis_is_killed_under_load(served, redis_server):
    site, log = served
    kill = Event(1.5, "Redis killed", lambda: kill_hard(redis_server.process))

    phase = run_phase(site, clients=CLIENTS, seconds=4, events=[kill])

    after_kill = [r for r in phase.results if r.at >= 2]
    assert after_kill, explain(phase, log)
    assert figures(phase).server_errors == 0, explain(phase, log)
    assert figures(phase).no_response == 0, explain(phase, log)
