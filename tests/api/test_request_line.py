"""Long request lines under gunicorn, started as deployed (it reads gunicorn.conf.py)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn serving the app on 127.0.0.1, from the project folder like the deployment."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        NEWSROOM_DATA_DIR=str(tmp_path_factory.mktemp("gunicorn-data")),
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="test-only-secret-key-0123456789abcdefghijklmnopqrstuv",  # noqa: S105
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        # The database is not even migrated: nothing may read it, the answer cache included.
        NEWSROOM_API_CACHE_SECONDS="0",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/nothing/", timeout=5)
            except urllib.error.HTTPError:
                break  # the app answered (a JSON 404)
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_long_query_the_api_refuses_is_answered_by_django_in_json(gunicorn):
    # 5,000 bytes: over gunicorn's default limit (4094), within the configured one.
    status, content_type, body = _get(f"{gunicorn}/api/v1/stories/?search={'a' * 5000}")
    assert (status, content_type) == (400, "application/json")
    assert list(json.loads(body)["error"]["fields"]) == ["search"]


def test_a_request_line_over_the_servers_limit_is_its_414(gunicorn):
    status, content_type, _ = _get(f"{gunicorn}/api/v1/nothing/?search={'a' * 9000}")
    assert (status, content_type) == (414, "text/html")
