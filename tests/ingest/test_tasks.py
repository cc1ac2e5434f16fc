"""The Celery tasks, run in-process, and the admin's "Fetch now" action that queues them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from newsroom.celery import app
from sources import ingest, tasks
from sources.models import Article, Feed
from tests.factories import FeedFactory

from .documents import item, rss


@pytest.fixture
def queued(monkeypatch):
    """The feed ids of check_feeds.delay(batch) calls, instead of sending them to a broker."""
    calls = []
    monkeypatch.setattr(tasks.check_feeds, "delay", lambda feed_ids: calls.extend(feed_ids))
    return calls


def test_fetch_task_ingests_the_feed(serve_feed):
    feed = serve_feed(rss([item(1), item(2)]))
    result = tasks.fetch_feed.apply(args=[feed.pk])
    assert (result.successful(), result.get()) == (True, "ok")
    assert Article.objects.filter(feed=feed).count() == 2


def test_fetch_task_for_a_feed_deleted_while_queued_exits_cleanly(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]))
    feed_id = feed.pk
    feed.delete()
    result = tasks.fetch_feed.apply(args=[feed_id])
    assert (result.successful(), result.get()) == (True, "skipped: no such feed")
    assert http_server.hits("/feed.xml") == 0


def test_fetch_task_for_a_feed_disabled_while_queued_exits_cleanly(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]), is_active=False)
    assert tasks.fetch_feed.apply(args=[feed.pk]).get() == "skipped: inactive"
    assert http_server.hits("/feed.xml") == 0


def test_fetch_task_retries_when_the_database_is_unavailable(db, monkeypatch):
    attempts = []

    def unavailable(feed_id):
        attempts.append(feed_id)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ingest, "fetch_feed", unavailable)
    assert tasks.fetch_feed.apply(args=[1]).state == "FAILURE"
    assert len(attempts) == 1 + tasks.fetch_feed.max_retries


def test_fetch_task_does_not_retry_other_failures(db, monkeypatch):
    attempts = []
    monkeypatch.setattr(ingest, "fetch_feed", lambda feed_id: attempts.append(feed_id) or 1 / 0)
    assert tasks.fetch_feed.apply(args=[1]).state == "FAILURE"
    assert attempts == [1]


def test_fetch_task_is_delivered_at_least_once_within_the_time_limits():
    task = tasks.fetch_feed
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert task.soft_time_limit < task.time_limit < settings.NEWSROOM_FEED_LEASE_SECONDS
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility is not None and visibility >= 600:  # (the crash test lowers it on purpose)
        assert task.time_limit < visibility


def test_beat_runs_enqueue_due_feeds():
    entry = settings.CELERY_BEAT_SCHEDULE["enqueue-due-feeds"]
    assert entry["task"] == tasks.enqueue_due_feeds.name
    assert entry["task"] in app.tasks


def test_due_feeds_are_queued_after_commit(db, queued, django_capture_on_commit_callbacks):
    now = timezone.now()
    due = [FeedFactory(next_fetch_at=None), FeedFactory(next_fetch_at=now - timedelta(hours=1))]
    FeedFactory(next_fetch_at=now + timedelta(hours=1))
    FeedFactory(is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.enqueue_due_feeds.apply().get() == 2
        assert queued == []
    for callback in callbacks:
        callback()
    assert sorted(queued) == sorted(feed.pk for feed in due)


def test_a_second_beat_does_not_queue_the_same_feeds(
    db, queued, django_capture_on_commit_callbacks
):
    feed = FeedFactory(next_fetch_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_due_feeds.apply()
        tasks.enqueue_due_feeds.apply()
    assert queued == [feed.pk]
    feed.refresh_from_db()
    assert feed.next_fetch_at > timezone.now()


def test_queued_feed_whose_fetch_never_ran_is_due_again_later(db, queued, settings):
    settings.NEWSROOM_FEED_LEASE_SECONDS = 60
    feed = FeedFactory(next_fetch_at=None)
    ingest.claim_due_feeds()
    assert not Feed.objects.due().filter(pk=feed.pk).exists()
    assert Feed.objects.due(timezone.now() + timedelta(seconds=61)).filter(pk=feed.pk).exists()


def test_fetch_now_admin_action_queues_the_feeds_after_commit(
    admin_client, queued, django_capture_on_commit_callbacks
):
    feeds = [FeedFactory(), FeedFactory()]
    data = {"action": "fetch_now", "_selected_action": [feed.pk for feed in feeds]}
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("admin:sources_feed_changelist"), data)
        assert queued == []  # nothing leaves before the admin's transaction commits
    assert response.status_code == 302
    for callback in callbacks:
        callback()
    assert sorted(queued) == sorted(feed.pk for feed in feeds)


def test_fetch_now_with_eager_tasks_ingests_the_feed(
    admin_client, serve_feed, eager_tasks, django_capture_on_commit_callbacks
):
    feed = serve_feed(rss([item(1)]))
    data = {"action": "fetch_now", "_selected_action": [feed.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:sources_feed_changelist"), data)
    assert Article.objects.filter(feed=feed).count() == 1
