"""Celery tasks for feed ingestion: beat enqueues due feeds in batches, workers check each
batch several feeds at a time."""

import contextlib
import logging
import time
from collections import Counter

import kombu.exceptions
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from . import ingest, thumbnails
from .models import Feed
from .thumbnails import DOWNLOAD_SECONDS

logger = logging.getLogger(__name__)

# A broker that cannot take a message: Celery wraps connection errors in kombu's
# OperationalError; the file-system broker lets some disk errors through as they are.
BROKER_ERRORS = (kombu.exceptions.OperationalError, OSError)


# What every fetching task declares. At-least-once: the message is acknowledged only after
# the fetch, and redelivered if the worker dies meanwhile; running twice is harmless (lease,
# idempotent upsert). Only a database that is briefly unavailable is worth retrying; feed
# problems are recorded on the feed and wait for its next scheduled fetch.
FETCHING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


# Well below the broker's visibility timeout (settings), and below the feed lease.
@shared_task(**FETCHING, soft_time_limit=90, time_limit=120)
def fetch_feed(feed_id: int) -> str:
    """Fetch one feed; a feed deleted or disabled since it was queued is skipped."""
    result = ingest.fetch_feed(feed_id)
    logger.info(result.line())
    return result.status


# The batch starts no fetch it could not finish within the soft limit (ingest.check_feeds);
# both limits are below the feed lease and the broker's visibility timeout.
@shared_task(**FETCHING, soft_time_limit=240, time_limit=270)
def check_feeds(feed_ids: list[int]) -> dict[str, int]:
    """Fetch a batch of feeds; how many ended with each status. Feeds deleted or disabled
    since they were queued are skipped; feeds the batch had no time left for stay due."""
    results = ingest.check_feeds(feed_ids, seconds=check_feeds.soft_time_limit)
    for result in results:
        logger.info(result.line())
    return dict(Counter(result.status for result in results))


# Articles per make_thumbnails task: a message per picture cost ingestion more than parsing.
THUMBNAILS_PER_TASK = 50
# Seconds a make_thumbnails task keeps, besides one download, to re-encode and record.
_THUMBNAIL_MARGIN = 15


# Pictures that could not be fetched this time are tried again together, a few times, minutes
# apart; then, like those that can never be shown, the reason is recorded on each article.
@shared_task(**{**FETCHING, "max_retries": 3}, bind=True, soft_time_limit=240, time_limit=270)
def make_thumbnails(self, article_ids: list[int]) -> dict[str, int]:
    """Make the thumbnails of these articles' pictures, one after another; how many ended
    each way. Articles deleted or done meanwhile are skipped; those the task has no time
    left for are queued again."""
    last_try = self.request.retries >= self.max_retries
    cutoff = time.monotonic() + self.soft_time_limit - DOWNLOAD_SECONDS - _THUMBNAIL_MARGIN
    outcomes, unavailable = Counter(), []
    for position, article_id in enumerate(article_ids):
        if time.monotonic() > cutoff:
            queue_thumbnails(article_ids[position:])
            outcomes["queued again"] += len(article_ids) - position
            break
        try:
            outcome = thumbnails.make_thumbnail(article_id, last_try=last_try)
        except thumbnails.Unavailable:
            unavailable.append(article_id)
            continue
        except SoftTimeLimitExceeded:
            thumbnails.record_failure(article_id, "Making the thumbnail took too long.")
            queue_thumbnails(article_ids[position + 1 :])
            outcomes["failed"] += 1
            break
        outcomes[outcome.partition(":")[0]] += 1
    if unavailable:
        raise self.retry(args=[unavailable], countdown=120 * 2**self.request.retries)
    return dict(outcomes)


def queue_thumbnails(article_ids: list[int]) -> None:
    """Queue make_thumbnails tasks for these articles, THUMBNAILS_PER_TASK to a task. A broker
    that takes no message is logged: those articles keep waiting for a thumbnail, and
    `ingest_feeds --thumbnails` makes them."""
    for start in range(0, len(article_ids), THUMBNAILS_PER_TASK):
        try:
            make_thumbnails.delay(article_ids[start : start + THUMBNAILS_PER_TASK])
        except BROKER_ERRORS as exc:
            left = len(article_ids) - start
            logger.error("could not queue %d thumbnail(s), left waiting: %s", left, exc)
            return


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def enqueue_due_feeds() -> int:
    """Queue every feed that is due, in batches; how many feeds were queued.

    Claiming a feed moves its next fetch time on, so a second beat running by mistake, or
    the next tick while the queue is long, does not queue it again.
    """
    ids = ingest.claim_due_feeds()
    queue_fetches(ids)
    return len(ids)


class QueueUnavailable(Exception):
    """The broker took no message; the feeds not queued were left due for beat to queue."""

    def __init__(self, unqueued: list[int]):
        super().__init__(f"the task queue is unavailable; {len(unqueued)} feed(s) left due")
        self.unqueued = unqueued


def queue_fetches(feed_ids: list[int]) -> None:
    """Queue a fetch of each feed once the current transaction commits (at once outside one),
    so a worker never looks for a feed, or a feed state, that is not saved yet.

    When the broker is unreachable the feeds not queued are made due now, so beat queues
    them once it is back, and the failure is logged. Queued at once, QueueUnavailable is
    raised too, for the caller to tell the editor; after a commit nobody is left to tell.
    """
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _send_fetches_or_log(feed_ids))
    else:
        send_fetches(feed_ids)


def send_fetches(feed_ids: list[int]) -> None:
    """Send the feeds to the broker now, NEWSROOM_FEED_CHECK_BATCH to a check_feeds task; at
    the first batch it refuses, leave that batch and the rest due and raise QueueUnavailable.

    A publish gives up within the bounds set in settings (CELERY_TASK_PUBLISH_RETRY_POLICY
    and the broker's socket time-outs), so a dead broker costs the caller seconds at most.
    """
    size = max(1, settings.NEWSROOM_FEED_CHECK_BATCH)
    for start in range(0, len(feed_ids), size):
        try:
            check_feeds.delay(feed_ids[start : start + size])
        except BROKER_ERRORS as exc:
            unqueued = feed_ids[start:]
            _leave_due(unqueued)
            logger.error("could not queue %d feed fetch(es), left due: %s", len(unqueued), exc)
            raise QueueUnavailable(unqueued) from exc


def _send_fetches_or_log(feed_ids: list[int]) -> None:
    # Logged, and the feeds are due: an on-commit callback has nobody else to tell.
    with contextlib.suppress(QueueUnavailable):
        send_fetches(feed_ids)


def _leave_due(feed_ids: list[int]) -> None:
    # Due now rather than when a claim would expire: beat queues them on its next tick.
    now = timezone.now()
    for start in range(0, len(feed_ids), 400):
        chunk = feed_ids[start : start + 400]
        Feed.objects.filter(pk__in=chunk, is_active=True).update(next_fetch_at=now)
