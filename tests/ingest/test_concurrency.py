"""Two workers on one feed at once: the lease lets one through, the constraints guard the rest."""

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from sources import ingest
from sources.models import Article, Feed
from sources.normalize import normalize_entry
from sources.parse import parse_feed
from sources.store import store_entries

from .documents import item, rss


def in_threads(*work: Callable[[], object]) -> list[object]:
    """Run each callable in its own thread, with its own database connection; their results."""
    results: list[object] = [None] * len(work)

    def run(index, job):
        try:
            results[index] = job()
        except Exception as exc:  # reported to the test instead of lost in the thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    return results


def test_two_workers_fetching_one_feed_store_each_article_once(
    transactional_db, serve_feed, http_server
):
    body = rss([item(n) for n in range(20)])
    both_asked = threading.Barrier(2, timeout=10)
    first_request = threading.Event()

    def slow_feed(handler):
        # The first fetch waits here until the second worker has tried for the lease.
        if not first_request.is_set():
            first_request.set()
            both_asked.wait()
        handler.send(200, body, {"Content-Type": "application/rss+xml"})

    feed = serve_feed()
    http_server.route("/feed.xml", slow_feed)

    def second_worker():
        first_request.wait(10)
        result = ingest.fetch_feed(feed.pk)
        both_asked.wait()
        return result

    results = in_threads(lambda: ingest.fetch_feed(feed.pk), second_worker)
    assert sorted(r.status for r in results) == ["ok", "skipped: leased"]
    assert Article.objects.filter(feed=feed).count() == 20
    assert http_server.hits("/feed.xml") == 1


def test_concurrent_stores_without_a_lease_still_never_duplicate(transactional_db, serve_feed):
    feed = serve_feed()
    now = timezone.now()
    raw = parse_feed(rss([item(n) for n in range(30)]), {}, feed.url).entries
    entries = [normalize_entry(entry, now=now) for entry in raw]
    start = threading.Barrier(2, timeout=10)

    def store():
        start.wait()
        with transaction.atomic():
            return store_entries(Feed.objects.get(pk=feed.pk), entries, now=now)

    results = in_threads(store, store)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(new for new, _updated, _duplicates, _errors in results) == [0, 30]
    assert Article.objects.count() == 30
