"""The broker is down or hung: "Fetch now" tells the editor and leaves the feeds due, a fetch
queued after a commit is logged and left due, and no publish waits more than a few seconds.
"""

import logging
import socket
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from newsroom.celery import app
from sources import tasks
from sources.models import Feed
from tests.clients import logged_in
from tests.factories import FeedFactory

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction: as in production

# A publish makes at most two attempts, each bounded by the broker's socket time-outs.
PUBLISH_BOUND = 2 * settings.BROKER_TIMEOUT_SECONDS + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker():
    """broker(url, options) points the Celery app at another broker for this test."""
    previous = app.conf.broker_url, app.conf.broker_transport_options

    def use(url: str, options: dict) -> None:
        app.conf.broker_url, app.conf.broker_transport_options = url, options
        # Connections and producers are pooled per app; drop them so the new broker is used.
        app._pool = None
        app.amqp._producer_pool = None

    yield use
    use(*previous)


@pytest.fixture(params=["redis refusing connections", "file-system folder gone"])
def dead_broker(request, broker, tmp_path):
    if request.param.startswith("redis"):
        broker(f"redis://127.0.0.1:{free_port()}/0", settings.REDIS_BROKER_OPTIONS)
    else:
        gone = str(tmp_path / "gone")
        broker("filesystem://", {"data_folder_in": gone, "data_folder_out": gone})


@pytest.fixture
def hung_broker(broker, canary):
    """Redis as settings configure it, at an address that accepts and never answers."""
    broker(f"redis://127.0.0.1:{canary.port}/0", settings.REDIS_BROKER_OPTIONS)


def fetch_now(editor, feeds):
    data = {"action": "fetch_now", "_selected_action": [feed.pk for feed in feeds]}
    client = logged_in(editor)
    return client.post(reverse("admin:sources_feed_changelist"), data, follow=True)


def later() -> timezone.datetime:
    return timezone.now() + timedelta(hours=1)


def test_fetch_now_with_the_broker_down_tells_the_editor_and_leaves_the_feeds_due(
    editor, dead_broker, caplog
):
    feeds = [FeedFactory(next_fetch_at=later()), FeedFactory(next_fetch_at=later())]
    started = time.monotonic()
    response = fetch_now(editor, feeds)
    assert time.monotonic() - started < PUBLISH_BOUND
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Could not queue 2 feeds for fetching: the task queue is unavailable. "
        "They stay due and will be fetched when it is back."
    ]
    assert Feed.objects.due().count() == 2
    assert "could not queue 2 feed fetch(es), left due" in caplog.text


def test_a_hung_broker_holds_fetch_now_for_seconds_at_most(editor, hung_broker):
    feed = FeedFactory(next_fetch_at=later())
    started = time.monotonic()
    response = fetch_now(editor, [feed])
    assert time.monotonic() - started < PUBLISH_BOUND
    assert "the task queue is unavailable" in str(list(response.context["messages"])[0])
    assert Feed.objects.due().filter(pk=feed.pk).exists()


def test_fetches_queued_after_a_commit_are_left_due_when_the_broker_is_down(dead_broker, caplog):
    with caplog.at_level(logging.ERROR, logger="sources.tasks"), transaction.atomic():
        feed = FeedFactory(next_fetch_at=later())
        tasks.queue_fetches([feed.pk])
    # The commit went through and the callback's failure stayed inside it.
    assert Feed.objects.due().filter(pk=feed.pk).exists()
    assert "could not queue 1 feed fetch(es), left due" in caplog.text


def test_feeds_beat_could_not_queue_are_due_again_at_its_next_tick(dead_broker):
    feed = FeedFactory(next_fetch_at=None)
    result = tasks.enqueue_due_feeds.apply()
    assert isinstance(result.result, tasks.QueueUnavailable)
    assert Feed.objects.due().filter(pk=feed.pk).exists()  # not one lease later


def test_a_redis_broker_is_configured_with_socket_time_outs():
    options = settings.REDIS_BROKER_OPTIONS
    assert options["socket_timeout"] == options["socket_connect_timeout"] > 0
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] == 1
