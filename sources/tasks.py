"""Celery tasks for feed ingestion: beat enqueues due feeds, workers fetch them one by one."""

import logging

from celery import shared_task
from django.db import OperationalError, transaction

from . import ingest

logger = logging.getLogger(__name__)


@shared_task(
    # At-least-once: the message is acknowledged only after the fetch, and redelivered if
    # the worker dies meanwhile. Running twice is harmless (lease, idempotent upsert).
    acks_late=True,
    reject_on_worker_lost=True,
    # Well below the broker's visibility timeout (settings), and below the feed lease.
    soft_time_limit=90,
    time_limit=120,
    # Only a database that is briefly unavailable is worth retrying; feed problems are
    # recorded on the feed and wait for its next scheduled fetch.
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def fetch_feed(feed_id: int) -> str:
    """Fetch one feed; a feed deleted or disabled since it was queued is skipped."""
    result = ingest.fetch_feed(feed_id)
    logger.info(result.line())
    return result.status


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def enqueue_due_feeds() -> int:
    """Queue a fetch for every feed that is due; how many were queued.

    Claiming a feed moves its next fetch time on, so a second beat running by mistake, or
    the next tick while the queue is long, does not queue it again.
    """
    ids = ingest.claim_due_feeds()
    queue_fetches(ids)
    return len(ids)


def queue_fetches(feed_ids: list[int]) -> None:
    """Queue a fetch of each feed once the current transaction commits (at once outside one),
    so a worker never looks for a feed, or a feed state, that is not saved yet."""

    def enqueue():
        for pk in feed_ids:
            fetch_feed.delay(pk)

    transaction.on_commit(enqueue)
