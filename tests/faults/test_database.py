"""PostgreSQL stops: requests answer 503 with Retry-After (never 500), cached pages keep
serving, and everything answers again once it is back, without restarting anything.

The site runs in a real HTTP server of its own thread (one persistent connection, as a
sync gunicorn worker has), connected to PostgreSQL through a proxy the tests can cut.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import StoryFactory, story_with_coverage

from .pgproxy import SiteServer, TcpProxy

pytestmark = [
    pytest.mark.skipif(
        not settings.ON_POSTGRES,
        reason="cuts PostgreSQL through a proxy; CI runs it in its PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
]

RETRY_AFTER = 7


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(site: SiteServer, path: str, *, cookie: str = "") -> Reply:
    request = urllib.request.Request(site.url + path, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=30) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


@pytest.fixture
def database():
    """The site's connections go through a proxy to PostgreSQL; the test's own stays direct."""
    connection.ensure_connection()
    database = connection.settings_dict  # shared by every thread's connection
    direct = database["HOST"], database["PORT"]
    with TcpProxy(direct[0] or "127.0.0.1", int(direct[1] or 5432)) as proxy:
        database["HOST"], database["PORT"] = "127.0.0.1", str(proxy.port)
        try:
            yield proxy
        finally:
            database["HOST"], database["PORT"] = direct


@pytest.fixture
def site(database, settings):
    settings.NEWSROOM_DB_RETRY_AFTER = RETRY_AFTER
    with SiteServer() as server:
        yield server


@pytest.fixture
def editor_cookie(editor) -> str:
    client = Client()
    client.force_login(editor)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def assert_unavailable_page(reply: Reply) -> None:
    assert reply.status == 503, reply.body[:500]
    assert reply.headers["Retry-After"] == str(RETRY_AFTER)
    assert reply.headers["Content-Type"].startswith("text/html")
    assert b"Temporarily unavailable" in reply.body
    assert "no-store" in reply.headers["Cache-Control"]


def test_a_page_answers_the_503_page_while_the_database_is_down(site, database, caplog):
    story = story_with_coverage(articles=2)
    assert get(site, f"/stories/{story.slug}/").status == 200
    database.cut()
    assert_unavailable_page(get(site, f"/stories/{story.slug}/?bias=left"))
    assert "database unavailable, answered 503 to GET /stories/" in caplog.text


def test_the_admin_answers_the_503_page_while_the_database_is_down(site, database, editor_cookie):
    assert get(site, "/admin/stories/story/", cookie=editor_cookie).status == 200
    database.cut()
    assert_unavailable_page(get(site, "/admin/stories/story/", cookie=editor_cookie))


def test_an_api_list_answers_503_in_the_api_error_shape(site, database):
    story_with_coverage(articles=2)
    assert get(site, "/api/v1/stories/").status == 200
    database.cut()
    reply = get(site, "/api/v1/stories/")
    assert (reply.status, reply.headers["Retry-After"]) == (503, str(RETRY_AFTER))
    assert reply.headers["Content-Type"] == "application/json"
    error = reply.json()["error"]
    assert (error["status"], error["code"]) == (503, "unavailable")
    assert "temporarily unavailable" in error["message"]


def test_an_outage_met_by_the_session_middleware_answers_503(
    site, database, editor_cookie, settings
):
    # Sessions saved after every response: the save, not the view, is what fails.
    settings.SESSION_SAVE_EVERY_REQUEST = True
    assert get(site, "/api/v1/no-such-thing/", cookie=editor_cookie).status == 404
    database.cut()
    reply = get(site, "/api/v1/no-such-thing/", cookie=editor_cookie)
    assert (reply.status, reply.json()["error"]["code"]) == (503, "unavailable")
    assert reply.headers["Retry-After"] == str(RETRY_AFTER)


def test_a_cached_page_keeps_serving_while_the_database_is_down(site, database):
    story_with_coverage(articles=2)
    assert get(site, "/").headers["X-Page-Cache"] == "miss"
    database.cut()
    reply = get(site, "/")
    assert (reply.status, reply.headers["X-Page-Cache"]) == (200, "hit")


def test_health_check_still_answers_503_json(site, database):
    database.cut()
    reply = get(site, "/healthz")
    assert (reply.status, reply.headers["Content-Type"]) == (503, "application/json")
    body = reply.json()
    assert (body["status"], body["checks"]["database"]) == ("unavailable", "OperationalError")


def test_requests_succeed_again_once_the_database_is_back(site, database, editor_cookie):
    story = StoryFactory()
    pages = [f"/stories/{story.slug}/", "/admin/stories/story/", "/api/v1/stories/"]
    for path in pages:
        assert get(site, path, cookie=editor_cookie).status == 200
    assert database.connections_made == 1  # one persistent connection, as in production
    database.cut()
    assert {get(site, path, cookie=editor_cookie).status for path in pages} == {503}
    database.restore()
    assert [get(site, path, cookie=editor_cookie).status for path in pages] == [200, 200, 200]
    assert database.connections_made == 2
