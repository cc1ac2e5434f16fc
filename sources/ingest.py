"""Fetch one feed and store what it brings in: lease, fetch, parse, normalise, store, schedule."""

import logging
import secrets
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
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
# Feed ids per statement: within SQLite's historical limit of 999 parameters.
_CHUNK = 400
# Feeds per batched state UPDATE: each differing field costs two parameters per feed.
_STATES_PER_UPDATE = 100
# Seconds a batch keeps, besides the parse budget, for storing each waiting document.
_STORE_SECONDS = 10


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
    return check_feeds([feed_id])[0]


def check_feeds(feed_ids: list[int], *, seconds: float | None = None) -> list[IngestResult]:
    """Fetch these feeds now, due or not, several at once; one result per id, in order.

    One UPDATE leases the whole batch. The fetches run in a few threads, each request with
    the SSRF guard, time-outs and size cap of its own. A document that came back is parsed
    and stored here, in this thread, as it arrives; every other outcome (304, 410, errors)
    is written at the end, in one transaction, one UPDATE per kind of outcome. Given
    seconds, no fetch starts once what is left could not finish it: those feeds are left due.
    """
    started = time.monotonic()
    token = secrets.token_hex(16)
    feeds = _lease_batch(list(dict.fromkeys(feed_ids)), token)
    results = _why_not_leased([pk for pk in feed_ids if pk not in feeds])
    cutoff = None
    if seconds is not None:  # (at least a quarter of the time for fetching, however configured)
        cutoff = started + max(seconds - _time_to_finish_a_fetch(), seconds / 4)
    try:
        results.update(_check(list(feeds.values()), token, cutoff))
    except BaseException:
        _release_leases(list(feeds), token)
        raise
    return [results[pk] for pk in feed_ids]


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
    """A token if this worker now holds the feed's lease, None if another does (or no feed)."""
    token = secrets.token_hex(16)
    return token if _lease_batch([feed_id], token) else None


def release_lease(feed_id: int, token: str) -> None:
    _release_leases([feed_id], token)


def lease_seconds() -> int:
    return settings.NEWSROOM_FEED_LEASE_SECONDS


def _lease_batch(feed_ids: list[int], token: str) -> dict[int, Feed]:
    """The feeds of feed_ids this worker now holds the lease of, by id.

    One conditional UPDATE: the database lets exactly one concurrent caller match each row,
    so a feed leased by another worker is left out. A lease whose holder died expires after
    NEWSROOM_FEED_LEASE_SECONDS.
    """
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    until = now + timedelta(seconds=lease_seconds())
    leased = {}
    for chunk in _chunks(feed_ids):
        won = Feed.objects.filter(free, pk__in=chunk, is_active=True).update(
            lease_token=token, lease_until=until
        )
        if won:
            rows = Feed.objects.filter(pk__in=chunk, lease_token=token).order_by()
            leased.update((feed.pk, feed) for feed in rows)
    return leased


def _release_leases(feed_ids: list[int], token: str) -> None:
    for chunk in _chunks(feed_ids):
        Feed.objects.filter(pk__in=chunk, lease_token=token).update(
            lease_token="", lease_until=None
        )


def _why_not_leased(feed_ids: list[int]) -> dict[int, IngestResult]:
    active = {}
    for chunk in _chunks(list(dict.fromkeys(feed_ids))):
        active.update(Feed.objects.filter(pk__in=chunk).values_list("pk", "is_active"))
    statuses = {None: "skipped: no such feed", True: "skipped: leased", False: "skipped: inactive"}
    return {pk: IngestResult(pk, statuses[active.get(pk)]) for pk in feed_ids}


def _chunks(items: list, size: int = _CHUNK):
    return (items[start : start + size] for start in range(0, len(items), size))


# -- one batch ------------------------------------------------------------------------------


def _check(feeds: list[Feed], token: str, cutoff: float | None) -> dict[int, IngestResult]:
    """Fetch, judge and record each leased feed; the results by feed id."""
    results, unwritten = {}, []
    for feed, now, started, outcome in _fetch_each(feeds, cutoff):
        judged = _judge(feed, now, outcome)
        if judged is None:  # a document came back
            result = _parse_and_store(feed, token, now, outcome)
            results[feed.pk] = replace(result, seconds=time.monotonic() - started)
        else:
            state, result = judged
            unwritten.append((feed, state, replace(result, seconds=time.monotonic() - started)))
    results.update(_save_states(token, unwritten))
    late = [feed.pk for feed in feeds if feed.pk not in results]
    if late:
        _leave_due(late, token)
        results.update((pk, IngestResult(pk, "skipped: out of time")) for pk in late)
    return results


def _fetch_each(feeds: list[Feed], cutoff: float | None):
    """Yield (feed, fetch time, monotonic start, response or FetchError) as each fetch ends.

    At most NEWSROOM_FEED_CHECK_THREADS fetches run at once, so at most that many bodies are
    held in memory; none starts after cutoff (time.monotonic()).
    """
    threads = min(settings.NEWSROOM_FEED_CHECK_THREADS, len(feeds))
    waiting = iter(feeds)
    if threads <= 1:  # nothing to overlap: no thread needed
        for feed in waiting:
            if _too_late(cutoff):
                return
            yield _fetch_one(feed)
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="feed-check") as pool:
        running = set()
        while True:
            while len(running) < threads and not _too_late(cutoff):
                feed = next(waiting, None)
                if feed is None:
                    break
                running.add(pool.submit(_fetch_one, feed))
            if not running:
                return
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def _fetch_one(feed: Feed) -> tuple[Feed, datetime, float, FetchResult | FetchError]:
    now, started = timezone.now(), time.monotonic()
    try:
        return feed, now, started, fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        return feed, now, started, exc


def _too_late(cutoff: float | None) -> bool:
    return cutoff is not None and time.monotonic() > cutoff


def _time_to_finish_a_fetch() -> float:
    """How long a batch may still need once its last fetch has started: that fetch, then
    parsing and storing each document that may be waiting in the other threads."""
    per_document = settings.NEWSROOM_FEED_PARSE_SECONDS + _STORE_SECONDS
    return (
        settings.NEWSROOM_FEED_TOTAL_TIMEOUT + settings.NEWSROOM_FEED_CHECK_THREADS * per_document
    )


def _leave_due(feed_ids: list[int], token: str) -> None:
    """Release feeds the batch had no time left for, due now so the next beat queues them."""
    now = timezone.now()
    for chunk in _chunks(feed_ids):
        Feed.objects.filter(pk__in=chunk, lease_token=token).update(
            lease_token="", lease_until=None, next_fetch_at=now
        )


def _judge(feed: Feed, now: datetime, outcome) -> tuple[dict, IngestResult] | None:
    """The new state and the result of a fetch that brought no document; None if it did."""
    if isinstance(outcome, FetchError):
        return _error_state(feed, now, outcome.reason)
    if outcome.status == 304:
        return _not_modified_state(feed, now, outcome)
    if outcome.status == 410:
        return _gone_state(feed, now)
    if not 200 <= outcome.status < 300:
        return _error_state(feed, now, _status_error(outcome), outcome)
    return None


def _parse_and_store(feed: Feed, token: str, now: datetime, response: FetchResult):
    try:
        parsed = parse_feed(response.body, response.headers, response.url)
    except NotAFeed as exc:
        return _record_error(feed, token, now, exc.reason, response)
    except Exception:  # a parser bug on hostile input must not stop the feed's schedule
        logger.exception("feed %s: the document could not be parsed", feed.pk)
        reason = "The document could not be read as a feed."
        return _record_error(feed, token, now, reason, response)
    try:
        return _store_fetch(feed, token, now, response, parsed)
    except IntegrityError:  # the feed was deleted meanwhile: its articles have nothing to join
        if Feed.objects.filter(pk=feed.pk).exists():
            raise
        return IngestResult(feed.pk, "skipped: no such feed")


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


def _not_modified_state(feed, now, response: FetchResult) -> tuple[dict, IngestResult]:
    floor = schedule.requested_minimum(response.headers)
    state = {
        **_success_state(now, response),
        **_redirect_state(feed, response),
        "last_new_count": 0,
        "last_updated_count": 0,
        "last_skipped_count": 0,
        "next_fetch_at": schedule.next_fetch(now, max(feed.fetch_interval, floor), floor=floor),
    }
    return state, IngestResult(feed.pk, "not modified")


def _gone_state(feed, now) -> tuple[dict, IngestResult]:
    reason = "The server says this feed is gone for good (HTTP 410); it is no longer fetched."
    state = {
        "last_fetched_at": now,
        "last_status": 410,
        "last_error": reason,
        "is_active": False,
        "disabled_reason": reason,
        "next_fetch_at": None,
    }
    return state, IngestResult(feed.pk, "gone", errors=1, message=reason)


def _error_state(feed, now, reason: str, response: FetchResult | None = None):
    """The failure noted on the feed, and its backoff; stored articles are never touched."""
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
    return state, IngestResult(feed.pk, "error", errors=1, message=reason)


def _record_error(feed, token, now, reason: str, response: FetchResult | None = None):
    state, result = _error_state(feed, now, reason, response)
    _save_state(feed, token, state)
    return result


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


# -- writing the state ----------------------------------------------------------------------


def _save_states(token: str, judged: list[tuple[Feed, dict, IngestResult]]):
    """Write the batch's states and release their leases in one transaction: one UPDATE per
    set of fields (per kind of outcome), each feed's own values picked by a CASE on its id.
    The results by feed id; a feed deleted meanwhile is "skipped: no such feed"."""
    results, kinds = {}, defaultdict(list)
    for feed, state, result in judged:
        if "url" in state:  # a move is checked against the other feeds' URLs, feed by feed
            message = _save_state(feed, token, state)
            results[feed.pk] = (
                replace(result, status="error", message=message) if message else result
            )
        else:
            kinds[frozenset(state)].append((feed.pk, state))
            results[feed.pk] = result
    if not kinds:
        return results
    with transaction.atomic():
        for rows in kinds.values():
            for chunk in _chunks(rows, _STATES_PER_UPDATE):
                saved = _update_states(token, chunk)
                if saved < len(chunk):
                    results.update(_lost(token, [pk for pk, _state in chunk], saved))
    return results


def _update_states(token: str, rows: list[tuple[int, dict]]) -> int:
    """One UPDATE giving each feed of rows its state and releasing its lease; how many rows."""
    columns = {}
    for name in rows[0][1]:
        values = [state[name] for _pk, state in rows]
        if all(value == values[0] for value in values):
            columns[name] = values[0]
        else:
            field = Feed._meta.get_field(name)
            whens = [When(pk=pk, then=Value(state[name], output_field=field)) for pk, state in rows]
            columns[name] = Case(*whens, default=F(name), output_field=field)
    held = Feed.objects.filter(pk__in=[pk for pk, _state in rows], lease_token=token)
    return held.update(lease_token="", lease_until=None, **columns)


def _lost(token: str, feed_ids: list[int], saved: int) -> dict[int, IngestResult]:
    """Results for the feeds whose state could not be saved: deleted, or lease lost."""
    existing = set(Feed.objects.filter(pk__in=feed_ids).values_list("pk", flat=True))
    if len(existing) > saved:
        logger.warning("%d feed(s): lease lost before the state was saved", len(existing) - saved)
    return {pk: IngestResult(pk, "skipped: no such feed") for pk in feed_ids if pk not in existing}


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
