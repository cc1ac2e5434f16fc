"""Celery tasks for the desk: suggest stories for the articles a fetch brought in, and
store each story's related stories."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from sources.models import Article
from sources.tasks import BROKER_ERRORS
from stories.models import Story

from .auto_attach import auto_attach
from .related import refresh_related
from .services import store_suggestions
from .suggestions import suggest_for

logger = logging.getLogger(__name__)

# Articles per suggest_for call and per task: a chunk stays well within the time limits
# below whatever a fetch brought in (the worker's engine is kept between calls).
SUGGEST_BATCH = 200


# At-least-once like the fetching tasks (sources/tasks.py): storing suggestions replaces
# the article's waiting ones, so a second run changes nothing.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=270,
)
def suggest_stories(article_ids: list[int]) -> int:
    """Store up to three stories (and a proposed new story) for each of these articles that
    is still in no story, and file those whose best story scores high enough (auto_attach);
    how many such articles there were. Deleted ones are skipped."""
    suggested = 0
    for start in range(0, len(article_ids), SUGGEST_BATCH):
        chunk = article_ids[start : start + SUGGEST_BATCH]
        waiting = list(Article.objects.filter(pk__in=chunk, in_story=False))
        store_suggestions(suggest_for(waiting))
        auto_attach([article.pk for article in waiting])
        suggested += len(waiting)
    return suggested


def queue_suggestions(article_ids: list[int]) -> None:
    """Queue suggest_stories once the current transaction commits, SUGGEST_BATCH ids to a
    task. A broker that takes no message is logged: those articles wait in the inbox with
    no suggestion until they change again."""
    transaction.on_commit(lambda: _send(list(article_ids)))


def _send(article_ids: list[int]) -> None:
    for start in range(0, len(article_ids), SUGGEST_BATCH):
        try:
            suggest_stories.delay(article_ids[start : start + SUGGEST_BATCH])
        except BROKER_ERRORS as exc:
            left = len(article_ids) - start
            logger.error("could not queue suggestions for %d article(s): %s", left, exc)
            return


# Stories published within this many hours are compared again every hour (the beat
# schedule), so that older stories come to name the newer ones; at most RECENT_LIMIT.
RECENT_HOURS = 48
RECENT_LIMIT = 200


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    soft_time_limit=240,
    time_limit=270,
)
def refresh_related_stories(story_ids: list[int], neighbours: bool = True) -> int:
    """Compute and store the related stories of these stories (and, with neighbours, of
    the stories they name); how many stories they name."""
    return len(refresh_related(story_ids, neighbours=neighbours))


@shared_task(ignore_result=True)
def refresh_recent_related() -> int:
    """The hourly pass: the related stories of the stories published lately, newest first."""
    since = timezone.now() - timedelta(hours=RECENT_HOURS)
    ids = list(
        Story.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_LIMIT]
    )
    refresh_related(ids)
    return len(ids)


def queue_related(story_ids) -> None:
    """Queue refresh_related_stories for these stories once the transaction commits. A
    broker that takes no message is logged: the hourly pass catches up."""
    ids = sorted(set(story_ids))
    if ids:
        transaction.on_commit(lambda: _send_related(ids))


def _send_related(story_ids: list[int]) -> None:
    try:
        refresh_related_stories.delay(story_ids)
    except BROKER_ERRORS as exc:
        logger.error("could not queue related stories for %d story(ies): %s", len(story_ids), exc)
