"""Fixtures for the ingestion tests: feeds served over real HTTP on 127.0.0.1."""

import pytest

from newsroom.celery import app
from tests.factories import FeedFactory

RSS_TYPE = "application/rss+xml; charset=utf-8"


@pytest.fixture(autouse=True)
def feeds_on_loopback(private_feeds_allowed):
    """The feeds here live on 127.0.0.1 (http_server), which the fetcher refuses unless allowed."""


@pytest.fixture
def serve_feed(db, http_server):
    """serve_feed(body, path=..., status=..., headers=...): a Feed http_server answers with body."""

    def serve(body: bytes = b"", *, path="/feed.xml", status=200, headers=None, **fields):
        http_server.reply(
            path, status=status, body=body, headers={"Content-Type": RSS_TYPE, **(headers or {})}
        )
        return FeedFactory(url=http_server.url(path), **fields)

    return serve


@pytest.fixture
def eager_tasks():
    """Tasks queued during the test run at once, in this process."""
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
