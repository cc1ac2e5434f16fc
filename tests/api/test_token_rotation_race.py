"""Readers pressing "replace my token" several times at once get a token, never a 500."""

import re
import threading
import urllib.request
from collections import Counter
from http.client import HTTPConnection
from urllib.parse import urlsplit

from rest_framework.authtoken.models import Token

from tests.clients import logged_in

BURSTS, PER_BURST = 5, 8
CSRF = "a" * 32  # any 32-character secret will do, as long as cookie and form agree


def post_token_page(server_url: str, session_id: str) -> int:
    """POST /api/token/ over a connection of its own; the status, redirects not followed."""
    address = urlsplit(server_url)
    connection = HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request(
        "POST",
        "/api/token/",
        body=f"csrfmiddlewaretoken={CSRF}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}; sessionid={session_id}",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def shown_token(server_url: str, session_id: str) -> str:
    request = urllib.request.Request(
        f"{server_url}/api/token/", headers={"Cookie": f"sessionid={session_id}"}
    )
    page = urllib.request.urlopen(request, timeout=30).read().decode()  # noqa: S310 (loopback)
    return re.search(r'id="api-token">([0-9a-f]{40})<', page).group(1)


def burst(size: int, action) -> None:
    """Run action in size threads that start together, and wait for them all."""
    start = threading.Barrier(size)

    def run():
        start.wait()
        action()

    threads = [threading.Thread(target=run) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_rotations_leave_exactly_one_token_and_no_error(live_api, free_reader):
    session_id = logged_in(free_reader).cookies["sessionid"].value
    statuses = []
    for _ in range(BURSTS):
        burst(PER_BURST, lambda: statuses.append(post_token_page(live_api.url, session_id)))

    # On PostgreSQL two rotations used to race on the token's unique user column (500s);
    # SQLite's BEGIN IMMEDIATE already queued them.
    assert Counter(statuses) == {302: BURSTS * PER_BURST}
    (token,) = Token.objects.filter(user=free_reader)
    assert shown_token(live_api.url, session_id) == token.key
