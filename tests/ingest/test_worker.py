"""A real Celery worker process ingests feeds queued through the admin, and survives SIGKILL."""

import threading
import time

import pytest
from django.conf import settings
from django.urls import reverse

from newsroom.celery import app
from sources.models import Article, Feed
from sources.tasks import fetch_feed
from tests.factories import SourceFactory

from .documents import item, rss
from .worker import Worker, queue_name

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ON_REDIS = bool(settings.REDIS_URL)
VISIBILITY_TIMEOUT = 3  # seconds; the crash test's worker is started with it


@pytest.fixture
def queue():
    """This test's own queue: tasks queued here reach only the worker started for it."""
    name = queue_name()
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = previous


@pytest.fixture
def workers(queue, tmp_path):
    """start(**env) starts a worker on the queue; every worker is stopped after the test."""
    started: list[Worker] = []

    def start(**env) -> Worker:
        worker = Worker(queue, tmp_path / "worker.log", **env)
        started.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def wait_for(condition, timeout: float = 45, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def add_feed_in_admin(client, url: str) -> Feed:
    response = client.post(
        reverse("admin:sources_feed_add"),
        {"source": SourceFactory().pk, "url": url, "title": "", "is_active": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    return Feed.objects.get(url=url)


def test_worker_ingests_a_feed_added_and_fetched_through_the_admin(
    admin_client, http_server, workers, tmp_path
):
    http_server.reply("/feed.xml", body=rss([item(n) for n in range(3)]))
    feed = add_feed_in_admin(admin_client, http_server.url("/feed.xml"))
    worker = workers()
    gone = Feed.objects.create(source=feed.source, url=http_server.url("/gone.xml"))
    gone_id = gone.pk
    gone.delete()
    fetch_feed.delay(gone_id)  # queued, then deleted: must not stop the worker
    admin_client.post(
        reverse("admin:sources_feed_changelist"),
        {"action": "fetch_now", "_selected_action": [feed.pk]},
    )
    wait_for(lambda: Article.objects.filter(feed=feed).count() == 3)
    worker.wait_for_log(f"feed {gone_id}: skipped: no such feed", timeout=10)
    feed.refresh_from_db()
    assert (feed.last_status, feed.last_new_count, feed.lease_token) == (200, 3, "")


@pytest.mark.skipif(
    not ON_REDIS,
    reason="needs REDIS_URL: the file-system broker deletes a message as soon as a worker "
    "takes it, so a task of a killed worker cannot be redelivered there",
)
def test_killed_worker_mid_fetch_is_replaced_and_the_feed_ends_up_complete(http_server, workers):
    fetching = threading.Event()

    def stall_first_request(handler):
        if not fetching.is_set():
            fetching.set()
            http_server.stopping.wait(60)  # until the test ends: this worker gets killed meanwhile
            return
        handler.send(200, rss([item(n) for n in range(4)]), {"Content-Type": "application/rss+xml"})

    http_server.route("/feed.xml", stall_first_request)
    feed = Feed.objects.create(source=SourceFactory(), url=http_server.url("/feed.xml"))
    crash_settings = {
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "NEWSROOM_FEED_LEASE_SECONDS": "2",  # the killed worker's lease must lapse too
        "NEWSROOM_FEED_TOTAL_TIMEOUT": "60",
    }
    first = workers(**crash_settings)
    fetch_feed.delay(feed.pk)
    assert fetching.wait(45), "the first worker never fetched the feed"
    first.kill()
    # Redis hands the unacknowledged task out again once its visibility timeout has passed;
    # a worker restores such tasks when it starts.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    workers(**crash_settings)
    wait_for(lambda: Article.objects.filter(feed=feed).count() == 4, what="the redelivered fetch")
    assert sorted(Article.objects.values_list("url", flat=True)) == [
        f"https://news.example/2030/bridge-{n}" for n in range(4)
    ]
    assert http_server.hits("/feed.xml") == 2
