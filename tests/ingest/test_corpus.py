"""Every document of the shared feedparser corpus, served over HTTP and ingested for real."""

import io
import re

import feedparser
import pytest
from django.db import transaction
from django.utils import timezone

from sources import ingest, parse, store
from sources.models import Feed
from sources.normalize import normalize_entry
from tests.factories import SourceFactory

from .corpus import files, folders, headers_of, or_missing, require
from .documents import stored_articles

SANITIZE = "wellformed/sanitize"
CHUNK = 200  # documents per test, so that parallel test workers share the corpus evenly
# Active content in stored text: a script tag, an event-handler attribute, a javascript: URL.
ACTIVE = re.compile(r"<\s*script|<[^>]*\son\w+\s*=|javascript\s*:", re.IGNORECASE)


def chunks(selected) -> list:
    """(folder, first, last) for every CHUNK documents of the selected folders."""
    found = [
        pytest.param(folder, start, id=f"{folder}[{start}:]")
        for folder in folders()
        if selected(folder)
        for start in range(0, len(files(folder)), CHUNK)
    ]
    return or_missing(found, 0)


def expected_urls(feed: Feed, body: bytes, headers: dict[str, str]) -> set[str]:
    """The articles feedparser itself finds in body: one per distinct link (and GUID)."""
    headers = parse.parser_headers(headers, feed.url)
    result = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not result.get("version") and not result.entries:
        return set()
    entries = [normalize_entry(parse.raw_entry(e), now=timezone.now()) for e in result.entries]
    distinct, _ = store._distinct([e for e in entries if e is not None])
    return {entry.url for entry in distinct}


def ingest_each(http_server, folder: str | None, start: int, check) -> None:
    """Serve each document of the chunk with its `Header:` lines and run check(feed, body),
    every document in an otherwise empty database (rolled back after it)."""
    chunk = require(folder)[start : start + CHUNK]
    source = SourceFactory()
    for path in chunk:
        body = path.read_bytes()
        http_server.reply(f"/{folder}/{path.name}", body=body, headers=headers_of(body))
        url = http_server.url(f"/{folder}/{path.name}")
        with transaction.atomic():
            check(Feed.objects.create(source=source, url=url), body)
            transaction.set_rollback(True)


def ingested_once_and_stable(feed: Feed, body: bytes) -> None:
    first = ingest.fetch_feed(feed.pk)
    assert first.status in ("ok", "error"), (feed.url, first)
    urls = [row["url"] for row in stored_articles(feed)]
    assert len(urls) == len(set(urls)), feed.url
    assert set(urls) == expected_urls(feed, body, headers_of(body)), feed.url
    before = stored_articles(feed)
    second = ingest.fetch_feed(feed.pk)
    assert (second.status, second.new, second.updated) == (first.status, 0, 0), feed.url
    assert stored_articles(feed) == before, feed.url


@pytest.mark.parametrize(("folder", "start"), chunks(lambda folder: folder != SANITIZE))
def test_every_corpus_document_is_stored_once_and_reingesting_changes_nothing(
    db, http_server, folder, start
):
    ingest_each(http_server, folder, start, ingested_once_and_stable)


@pytest.mark.parametrize(("folder", "start"), chunks(lambda folder: folder == SANITIZE))
def test_sanitize_corpus_stores_no_active_content(db, http_server, folder, start):
    def check(feed, body):
        ingested_once_and_stable(feed, body)  # the corpus test above, for these documents
        feed.refresh_from_db()
        texts = [feed.title, feed.last_error]
        for row in stored_articles(feed):
            texts += [row[name] for name in ("url", "guid", "title", "summary", "author")]
            texts.append(row["image_url"])
        assert not [text for text in texts if ACTIVE.search(text)], feed.url

    ingest_each(http_server, folder, start, check)
