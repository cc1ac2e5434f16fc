"""check_feeds: a batch of feeds fetched at once, with the single fetch's results and guarantees."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources import ingest, tasks
from sources.models import Article, Feed
from sources.schedule import JITTER
from tests.factories import FeedFactory, SourceFactory

from .documents import item, rss
from .test_concurrency import in_threads

RSS = {"Content-Type": "application/rss+xml"}
# Feed fields a fetch writes that must come out the same whichever path fetched the feed.
STATE = [
    *("url", "title", "is_active", "disabled_reason", "etag", "last_modified", "last_status"),
    *("last_error", "last_new_count", "last_updated_count", "last_skipped_count"),
    *("consecutive_errors", "fetch_interval", "redirect_url", "redirect_count", "lease_token"),
]


@pytest.fixture
def outcomes(db, http_server, settings):
    """One feed for each kind of answer: 304, 200, 410, 301 twice, 500 and a time-out."""
    settings.NEWSROOM_FEED_TOTAL_TIMEOUT = 1
    server = http_server
    server.reply("/same.xml", status=304, headers={"ETag": '"v2"'})
    server.reply("/new.xml", body=rss([item(n) for n in range(3)]), headers={"ETag": '"n1"', **RSS})
    server.reply("/gone.xml", status=410)
    server.reply("/moved.xml", status=301, headers={"Location": "/same-elsewhere.xml"})
    server.reply("/same-elsewhere.xml", status=304)
    server.reply("/moving.xml", status=301, headers={"Location": "/moved-here.xml"})
    moved_here = rss([item(n, link=f"https://news.example/m/{n}") for n in range(2)])
    server.reply("/moved-here.xml", body=moved_here, headers=RSS)
    server.reply("/broken.xml", status=500)
    server.route("/slow.xml", lambda handler: server.stopping.wait(3))
    source = SourceFactory()
    initial = {
        "/same.xml": {"etag": '"v1"'},
        "/new.xml": {},
        "/gone.xml": {},
        "/moved.xml": {},
        "/moving.xml": {"redirect_url": server.url("/moved-here.xml"), "redirect_count": 2},
        "/broken.xml": {"consecutive_errors": 2},
        "/slow.xml": {},
    }
    return [
        Feed.objects.create(source=source, url=server.url(path), **fields)
        for path, fields in initial.items()
    ]


def snapshot(feeds: list[Feed]) -> tuple[list[dict], list[tuple]]:
    """The state of each feed and the articles stored, with the wait until the next fetch."""
    states = []
    for feed in Feed.objects.filter(pk__in=[f.pk for f in feeds]).order_by("pk"):
        state = {name: getattr(feed, name) for name in STATE}
        wait = feed.next_fetch_at and (feed.next_fetch_at - feed.last_fetched_at).total_seconds()
        states.append((state, wait))
    articles = sorted(
        Article.objects.values_list("url", "guid", "title", "summary", "feed__url", "published_at")
    )
    return states, articles


def reset(feeds: list[Feed]) -> None:
    Article.objects.all().delete()
    for feed in feeds:
        feed.save()  # as it was when created


def test_a_batch_gives_the_results_and_state_of_fetching_each_feed_alone(outcomes):
    one_by_one = [ingest.fetch_feed(feed.pk) for feed in outcomes]
    alone = snapshot(outcomes)
    reset(outcomes)
    batched = ingest.check_feeds([feed.pk for feed in outcomes])
    together = snapshot(outcomes)

    def strip(results):
        return [(r.feed_id, r.status, r.new, r.updated, r.errors, r.message) for r in results]

    assert strip(batched) == strip(one_by_one)
    assert [r.status for r in batched] == [
        *("not modified", "ok", "gone", "not modified", "ok", "error", "error")
    ]
    assert together[1] == alone[1] and len(alone[1]) == 5
    for (state, wait), (state_alone, wait_alone) in zip(together[0], alone[0], strict=True):
        assert state == state_alone
        # Successes are spread by ±JITTER, drawn anew each time, so two waits for the same
        # interval differ by at most that ratio (1 % slack for the seconds between the runs).
        assert (wait is None) == (wait_alone is None)
        spread = (1 + JITTER) / (1 - JITTER) * 1.01
        assert wait is None or 1 / spread <= wait / wait_alone <= spread


def test_a_batch_records_each_outcome_on_its_feed(outcomes):
    same, new, gone, moved, moving, broken, slow = ingest.check_feeds([f.pk for f in outcomes])
    feeds = {feed.url.rsplit("/", 1)[1]: feed for feed in Feed.objects.all()}
    assert (feeds["same.xml"].etag, feeds["same.xml"].last_status) == ('"v2"', 304)
    assert (new.new, feeds["new.xml"].etag) == (3, '"n1"')
    assert (feeds["gone.xml"].is_active, feeds["gone.xml"].next_fetch_at) == (False, None)
    assert (feeds["moved.xml"].redirect_count, feeds["moved.xml"].last_status) == (1, 304)
    assert "moved-here.xml" in feeds  # the third permanent redirect in a row moved it
    assert (feeds["broken.xml"].consecutive_errors, broken.message) == (
        3,
        "The server answered HTTP 500 instead of the feed.",
    )
    assert "took too long" in feeds["slow.xml"].last_error
    assert all(feed.lease_token == "" for feed in feeds.values())


def test_feed_checks_run_at_once(db, http_server, settings):
    settings.NEWSROOM_FEED_CHECK_THREADS = 4
    settings.NEWSROOM_FEED_TOTAL_TIMEOUT = 10
    together = threading.Barrier(4, timeout=5)

    def meet(handler):
        together.wait()  # four requests must be in flight at the same moment to pass
        handler.send(304)

    http_server.route("/feed.xml", meet)
    feeds = [FeedFactory(url=http_server.url(f"/feed.xml?n={n}")) for n in range(8)]
    results = ingest.check_feeds([feed.pk for feed in feeds])
    assert [r.status for r in results] == ["not modified"] * 8


def serve_unchanged(http_server, count: int) -> list[Feed]:
    """count feeds, each answering 304 with an ETag of its own."""
    source = SourceFactory()
    feeds = []
    for n in range(count):
        path = f"/same-{n}.xml"
        http_server.reply(path, status=304, headers={"ETag": f'"{n}"'})
        feeds.append(Feed.objects.create(source=source, url=http_server.url(path)))
    return feeds


def test_a_batch_writes_the_state_of_its_304s_in_one_statement(db, http_server):
    counts = {}
    for size in (10, 50):
        feeds = serve_unchanged(http_server, size)
        with CaptureQueriesContext(connection) as queries:
            results = ingest.check_feeds([feed.pk for feed in feeds])
        assert {r.status for r in results} == {"not modified"}
        counts[size] = len(queries)
        assert sorted(Feed.objects.filter(pk__in=[f.pk for f in feeds]).values_list("etag")) == (
            sorted((f'"{n}"',) for n in range(size))
        )
        Feed.objects.all().delete()
    # Lease, leased feeds, savepoint, every feed's new state, savepoint released.
    assert counts == {10: 5, 50: 5}


def test_a_feed_deleted_while_queued_is_skipped(db, http_server):
    feeds = serve_unchanged(http_server, 2)
    gone_id = feeds[0].pk
    feeds[0].delete()
    results = ingest.check_feeds([gone_id, feeds[1].pk])
    assert [r.status for r in results] == ["skipped: no such feed", "not modified"]
    assert http_server.hits("/same-0.xml") == 0


def test_a_feed_deleted_mid_batch_is_skipped_and_the_others_are_saved(
    transactional_db, http_server
):
    source = SourceFactory()

    def deleting(status, body=b""):
        def answer(handler):
            Feed.objects.filter(url=http_server.url(handler.path)).delete()
            handler.send(status, body, RSS)

        return answer

    http_server.route("/unchanged.xml", deleting(304))
    http_server.route("/changed.xml", deleting(200, rss([item(1)])))
    http_server.reply("/kept.xml", status=304, headers={"ETag": '"k"'})
    paths = ["/unchanged.xml", "/changed.xml", "/kept.xml"]
    feeds = [Feed.objects.create(source=source, url=http_server.url(p)) for p in paths]
    results = ingest.check_feeds([feed.pk for feed in feeds])
    assert [r.status for r in results] == [
        *("skipped: no such feed", "skipped: no such feed", "not modified")
    ]
    assert not Article.objects.exists()
    kept = Feed.objects.get()
    assert (kept.etag, kept.last_status, kept.lease_token) == ('"k"', 304, "")


def test_two_batches_at_once_never_fetch_one_feed_twice(transactional_db, http_server):
    release = threading.Event()
    first_fetching = threading.Event()
    source = SourceFactory()
    feeds = []
    for n in range(40):
        path = f"/feed-{n}.xml"
        if n < 30:  # the first batch's feeds hang until the second batch has been and gone

            def held(handler):
                first_fetching.set()
                release.wait(10)
                handler.send(304)

            http_server.route(path, held)
        else:
            http_server.reply(path, status=304)
        feeds.append(Feed.objects.create(source=source, url=http_server.url(path)))
    ids = [feed.pk for feed in feeds]

    def second_batch():
        first_fetching.wait(10)
        try:
            return ingest.check_feeds(ids[10:40])
        finally:
            release.set()

    first, second = in_threads(lambda: ingest.check_feeds(ids[:30]), second_batch)
    assert [r.status for r in first] == ["not modified"] * 30
    assert [r.status for r in second] == ["skipped: leased"] * 20 + ["not modified"] * 10
    assert all(http_server.hits(f"/feed-{n}.xml") == 1 for n in range(40))


def test_a_batch_out_of_time_starts_no_more_fetches_and_leaves_the_rest_due(
    db, http_server, settings
):
    settings.NEWSROOM_FEED_CHECK_THREADS = 1
    feeds = serve_unchanged(http_server, 3)
    http_server.route("/same-0.xml", lambda handler: time_passes(handler, 0.5))
    Feed.objects.update(next_fetch_at=timezone.now() + timedelta(minutes=5))
    # A second in all: fetches may start in the first quarter of it, and the first takes half.
    results = ingest.check_feeds([feed.pk for feed in feeds], seconds=1)
    assert [r.status for r in results] == ["not modified"] + ["skipped: out of time"] * 2
    assert [http_server.hits(f"/same-{n}.xml") for n in range(3)] == [1, 0, 0]
    late = Feed.objects.filter(pk__in=[feeds[1].pk, feeds[2].pk])
    assert set(late.values_list("lease_token", flat=True)) == {""}
    assert late.filter(pk__in=Feed.objects.due()).count() == 2


def time_passes(handler, seconds: float) -> None:
    threading.Event().wait(seconds)
    handler.send(304)


def test_a_batch_refuses_private_addresses_feed_by_feed(db, private_feeds_refused, canary):
    feeds = [FeedFactory(url=f"http://127.0.0.1:{canary.port}/{n}.xml") for n in range(3)]
    results = ingest.check_feeds([feed.pk for feed in feeds])
    assert [r.status for r in results] == ["error"] * 3
    assert all("private or local network address" in r.message for r in results)
    assert canary.count() == 0


# -- the tasks ------------------------------------------------------------------------------


def test_beat_queues_due_feeds_in_batches(
    db, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_FEED_CHECK_BATCH = 2
    batches = []
    monkeypatch.setattr(tasks.check_feeds, "delay", batches.append)
    due = [FeedFactory(next_fetch_at=None) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.enqueue_due_feeds.apply().get() == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(pk for batch in batches for pk in batch) == sorted(f.pk for f in due)


def test_check_task_fetches_its_batch(db, http_server):
    feeds = serve_unchanged(http_server, 3)
    gone = FeedFactory()
    gone_id = gone.pk
    gone.delete()
    result = tasks.check_feeds.apply(args=[[gone_id, *(f.pk for f in feeds)]])
    assert result.get() == {"skipped: no such feed": 1, "not modified": 3}


def test_check_task_is_delivered_at_least_once_and_finishes_within_the_lease():
    task = tasks.check_feeds
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert task.soft_time_limit < task.time_limit < settings.NEWSROOM_FEED_LEASE_SECONDS
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility is not None and visibility >= 600:  # (the crash test lowers it on purpose)
        assert task.time_limit < visibility
    # What is left after the last fetch may start fits a fetch and the documents waiting.
    assert ingest._time_to_finish_a_fetch() <= task.soft_time_limit * 3 / 4
