"""Fixtures for the ingestion tests: feeds served over real HTTP on 127.0.0.1."""

import pytest

from tests.factories import FeedFactory
from tests.httpserver import LoopbackServer

RSS_TYPE = "application/rss+xml; charset=utf-8"


@pytest.fixture(autouse=True)
def private_feeds_allowed(settings):
    """The feeds here live on 127.0.0.1, which the fetcher refuses unless this is on."""
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def serve_feed(db, server):
    """serve_feed(body, path=..., status=..., headers=...): a Feed the server answers with body."""

    def serve(body: bytes = b"", *, path="/feed.xml", status=200, headers=None, **fields):
        server.reply(
            path, status=status, body=body, headers={"Content-Type": RSS_TYPE, **(headers or {})}
        )
        return FeedFactory(url=server.url(path), **fields)

    return serve
