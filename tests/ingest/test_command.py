"""python manage.py ingest_feeds: synchronous fetching with one line per feed."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sources.models import Article
from tests.factories import FeedFactory

from .documents import item, rss

LINE = re.compile(
    r"^feed (\d+): (ok|not modified|error|gone|skipped: [a-z ]+), (\d+) new, (\d+) updated, "
    r"(\d+) skipped, (\d+) errors, \d+\.\d\ds"
)


def run(*args) -> list[str]:
    out = StringIO()
    call_command("ingest_feeds", *args, stdout=out)
    return out.getvalue().splitlines()


def parsed(lines: list[str]) -> dict[int, tuple]:
    """{feed id: (status, new, updated, skipped, errors)} from the per-feed lines."""
    found = {}
    for line in lines:
        match = LINE.match(line)
        if match:
            feed_id, status, *counts = match.groups()
            found[int(feed_id)] = (status, *map(int, counts))
    return found


def test_due_feeds_are_fetched_with_one_line_each(serve_feed, http_server):
    due = serve_feed(rss([item(1), item(2, link=None, guid=None)]))
    http_server.reply("/later.xml", body=rss([item(3)]))
    later = FeedFactory(
        url=http_server.url("/later.xml"), next_fetch_at=timezone.now() + timedelta(1)
    )
    lines = run()
    assert parsed(lines) == {due.pk: ("ok", 1, 0, 1, 0)}
    assert lines[-1] == "1 feed(s): 1 new, 0 updated, 0 errors"
    assert not Article.objects.filter(feed=later).exists()


def test_all_fetches_every_active_feed_due_or_not(serve_feed):
    feed = serve_feed(rss([item(1)]), next_fetch_at=timezone.now() + timedelta(days=1))
    FeedFactory(is_active=False)
    assert parsed(run("--all")) == {feed.pk: ("ok", 1, 0, 0, 0)}


def test_named_feeds_are_fetched_and_failures_say_why(serve_feed, http_server):
    good = serve_feed(rss([item(1)]))
    http_server.reply("/broken.xml", status=500)
    broken = FeedFactory(url=http_server.url("/broken.xml"))
    lines = run("--feed", str(good.pk), str(broken.pk))
    assert parsed(lines) == {good.pk: ("ok", 1, 0, 0, 0), broken.pk: ("error", 0, 0, 0, 1)}
    assert "HTTP 500" in next(line for line in lines if line.startswith(f"feed {broken.pk}:"))


def test_unknown_feed_id_is_a_clear_error(db):
    feed = FeedFactory()
    with pytest.raises(CommandError, match=r"^No feed with id 999999\.$"):
        run("--feed", str(feed.pk), "999999")


def test_no_due_feeds_says_so(db):
    FeedFactory(next_fetch_at=timezone.now() + timedelta(hours=1))
    assert run() == ["No feeds to fetch."]
