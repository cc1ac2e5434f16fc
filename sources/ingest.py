"""Fetch one feed and store what it brings in: lease, fetch, parse, normalise, store, schedule."""

import logging
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import schedule
from .feed_types import ParsedFeed
from .fetch import FetchError, FetchResult, fetch
from .models import Feed
from .normalize import clean_text, normalize_entry
from .parse import NotAFeed, parse_feed
from .store import store_entries

logger = logging.getLogger(__name__)

MAX_CONSECUTIVE_ERRORS = 10  # then the feed is disabled, with the reason shown in the admin
REDIRECTS_TO_MOVE = 3  # a permanent redirect seen this many fetches in a row moves the feed
BACK_OFF_STATUSES = (429, 503)
# Feed ids per UPDATE when claiming: within SQLite's historical limit of 999 parameters.
_CHUNK = 400


@dataclass(frozen=True)
class IngestResult:
    """What one fetch of a feed did; status is "ok", "not modified", "error", "gone" or
    "skipped: ..." (leased by another worker, inactive, deleted)."""

    feed_id: int
    status: str
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    seconds: float = 0.0
    message: str = ""

    def line(self) -> str:
        """One line for logs and the ingest_feeds command."""
        text = (
            f"feed {self.feed_id}: {self.status}, {self.new} new, {self.updated} updated, "
            f"{self.skipped} skipped, {self.errors} errors, {self.seconds:.2f}s"
        )
        return f"{text} — {self.message}" if self.message else text


def fetch_feed(feed_id: int) -> IngestResult:
    """Fetch feed_id now, whether due or not, unless another worker holds its lease."""
    started = time.monotonic()
    token = acquire_lease(feed_id)
    if token is None:
        return IngestResult(feed_id, _why_not_leased(feed_id))
    try:
        feed = Feed.objects.filter(pk=feed_id).first()
        if feed is None:  # deleted between the lease and here
            return IngestResult(feed_id, "skipped: no such feed")
        result = _fetch_and_store(feed, token)
    except Exception:
        release_lease(feed_id, token)
        raise
    return replace(result, seconds=time.monotonic() - started)


def claim_due_feeds() -> list[int]:
    """The ids of the feeds due now, each marked as queued by moving its next fetch time one
    lease ahead: if its fetch never happens (a lost message), it is due again after that."""
    now = timezone.now()
    with transaction.atomic():
        # SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions serialise claimers anyway.
        due = Feed.objects.due(now).select_for_update(skip_locked=True).order_by("next_fetch_at")
        ids = list(due.values_list("pk", flat=True))
        queued_until = now + timedelta(seconds=lease_seconds())
        for start in range(0, len(ids), _CHUNK):
            Feed.objects.filter(pk__in=ids[start : start + _CHUNK]).update(
                next_fetch_at=queued_until
            )
    return ids


def acquire_lease(feed_id: int) -> str | None:
    """A token if this worker now holds the feed's lease, None if another does (or no feed).

    One conditional UPDATE: the database lets exactly one concurrent caller match the row. A
    lease whose holder died expires after NEWSROOM_FEED_LEASE_SECONDS.
    """
    now = timezone.now()
    token = secrets.token_hex(16)
    won = (
        Feed.objects.filter(pk=feed_id, is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_token=token, lease_until=now + timedelta(seconds=lease_seconds()))
    )
    return token if won else None


def release_lease(feed_id: int, token: str) -> None:
    Feed.objects.filter(pk=feed_id, lease_token=token).update(lease_token="", lease_until=None)


def lease_seconds() -> int:
    return settings.NEWSROOM_FEED_LEASE_SECONDS


def _why_not_leased(feed_id: int) -> str:
    active = Feed.objects.filter(pk=feed_id).values_list("is_active", flat=True).first()
    if active is None:
        return "skipped: no such feed"
    return "skipped: leased" if active else "skipped: inactive"


def _fetch_and_store(feed: Feed, token: str) -> IngestResult:
    now = timezone.now()
    try:
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        return _record_error(feed, token, now, exc.reason)
    if response.status == 304:
        return _record_not_modified(feed, token, now, response)
    if response.status == 410:
        return _record_gone(feed, token, now)
    if not 200 <= response.status < 300:
        return _record_error(feed, token, now, _status_error(response), response)
    try:
        parsed = parse_feed(response.body, response.headers, response.url)
    except NotAFeed as exc:
        return _record_error(feed, token, now, exc.reason, response)
    except Exception:  # a parser bug on hostile input must not stop the feed's schedule
        logger.exception("feed %s: the document could not be parsed", feed.pk)
        reason = "The document could not be read as a feed."
        return _record_error(feed, token, now, reason, response)
    return _store_fetch(feed, token, now, response, parsed)


def _status_error(response: FetchResult) -> str:
    if response.status in BACK_OFF_STATUSES:
        return f"The server asked us to slow down (HTTP {response.status}); backing off."
    return f"The server answered HTTP {response.status} instead of the feed."


# -- outcomes -------------------------------------------------------------------------------


def _store_fetch(feed, token, now, response: FetchResult, parsed: ParsedFeed) -> IngestResult:
    entries = [normalize_entry(raw, now=now) for raw in parsed.entries]
    usable = [entry for entry in entries if entry is not None]
    interval = schedule.publishing_interval(
        [e.published_at for e in usable if e.published_at], default=feed.fetch_interval
    )
    floor = schedule.requested_minimum(response.headers, parsed.ttl)
    with transaction.atomic():
        new, updated, duplicates, row_errors = store_entries(feed, usable, now=now)
        skipped = len(entries) - len(usable) + duplicates
        state = {
            **_success_state(now, response),
            **_redirect_state(feed, response),
            "last_new_count": new,
            "last_updated_count": updated,
            "last_skipped_count": skipped,
            "fetch_interval": interval,
            "next_fetch_at": schedule.next_fetch(now, max(interval, floor), floor=floor),
        }
        if not feed.title and parsed.title:
            state["title"] = clean_text(parsed.title, Feed._meta.get_field("title").max_length)
        message = _save_state(feed, token, state)
    return IngestResult(
        feed.pk,
        "error" if message else "ok",
        new=new,
        updated=updated,
        skipped=skipped,
        errors=row_errors + bool(message),
        message=message,
    )


def _record_not_modified(feed, token, now, response: FetchResult) -> IngestResult:
    floor = schedule.requested_minimum(response.headers)
    state = {
        **_success_state(now, response),
        **_redirect_state(feed, response),
        "last_new_count": 0,
        "last_updated_count": 0,
        "last_skipped_count": 0,
        "next_fetch_at": schedule.next_fetch(now, max(feed.fetch_interval, floor), floor=floor),
    }
    message = _save_state(feed, token, state)
    return IngestResult(feed.pk, "error" if message else "not modified", message=message)


def _record_gone(feed, token, now) -> IngestResult:
    reason = "The server says this feed is gone for good (HTTP 410); it is no longer fetched."
    state = {
        "last_fetched_at": now,
        "last_status": 410,
        "last_error": reason,
        "is_active": False,
        "disabled_reason": reason,
        "next_fetch_at": None,
    }
    _save_state(feed, token, state)
    return IngestResult(feed.pk, "gone", errors=1, message=reason)


def _record_error(feed, token, now, reason: str, response: FetchResult | None = None):
    """Note the failure on the feed and back off; stored articles are never touched."""
    errors = feed.consecutive_errors + 1
    delay = schedule.error_delay(errors)
    if response is not None and response.status in BACK_OFF_STATUSES:
        delay = max(delay, schedule.retry_after(response.headers, now=now) or 0)
    state = {
        "last_fetched_at": now,
        "last_status": response.status if response else None,
        "last_error": reason,
        "last_new_count": 0,
        "last_updated_count": 0,
        "last_skipped_count": 0,
        "consecutive_errors": errors,
        "next_fetch_at": now + timedelta(seconds=delay),
    }
    if errors >= MAX_CONSECUTIVE_ERRORS:
        state["is_active"] = False
        state["disabled_reason"] = f"Disabled after {errors} failed fetches in a row: {reason}"
    _save_state(feed, token, state)
    return IngestResult(feed.pk, "error", errors=1, message=reason)


def _success_state(now: datetime, response: FetchResult) -> dict:
    headers = response.headers
    return {
        "last_fetched_at": now,
        "last_status": response.status,
        "last_error": "",
        "consecutive_errors": 0,
        # A 304 may omit the validators; the ones we sent are still the right ones then.
        **({"etag": headers["etag"][:500]} if "etag" in headers else {}),
        **({"last_modified": headers["last-modified"][:100]} if "last-modified" in headers else {}),
    }


def _redirect_state(feed: Feed, response: FetchResult) -> dict:
    """Count fetches in a row that ended at the same permanent redirect; move after a few."""
    target = response.permanent_redirect
    if not target or len(target) > Feed._meta.get_field("url").max_length:
        return {"redirect_url": "", "redirect_count": 0}
    count = feed.redirect_count + 1 if target == feed.redirect_url else 1
    if count < REDIRECTS_TO_MOVE:
        return {"redirect_url": target, "redirect_count": count}
    return {"url": target, "redirect_url": "", "redirect_count": 0}


def _save_state(feed: Feed, token: str, state: dict) -> str:
    """Write state and release the lease; "" or an error message when the URL could not move."""
    message = ""
    new_url = state.get("url")
    if new_url and Feed.objects.filter(url=new_url).exclude(pk=feed.pk).exists():
        message = _keep_url(state, new_url)
    state.update(lease_token="", lease_until=None)
    try:
        with transaction.atomic():
            saved = Feed.objects.filter(pk=feed.pk, lease_token=token).update(**state)
    except IntegrityError:  # another feed took the new URL in the meantime
        message = _keep_url(state, new_url)
        saved = Feed.objects.filter(pk=feed.pk, lease_token=token).update(**state)
    if not saved:
        logger.warning("feed %s: lease lost before its state was saved", feed.pk)
    return message


def _keep_url(state: dict, new_url: str) -> str:
    """Leave the feed where it is, keeping the redirect on show; the message saying why."""
    message = f"The feed moved permanently to {new_url}, but another feed already has it."
    del state["url"]
    state.update(redirect_url=new_url, redirect_count=REDIRECTS_TO_MOVE - 1, last_error=message)
    return message
