"""Fetch one feed and store what it brings in: lease, fetch, parse, normalise, store, schedule."""

import logging
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import schedule
from .fetch import FetchError, FetchResult, fetch
from .models import Article, Feed
from .normalize import Entry, clean_text, normalize_entry
from .parse import NotAFeed, ParsedFeed, parse_feed
from .signals import articles_changed

logger = logging.getLogger(__name__)

MAX_CONSECUTIVE_ERRORS = 10  # then the feed is disabled, with the reason shown in the admin
REDIRECTS_TO_MOVE = 3  # a permanent redirect seen this many fetches in a row moves the feed
BACK_OFF_STATUSES = (429, 503)
# URLs plus GUIDs per lookup query: within SQLite's historical limit of 999 parameters.
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


# -- articles -------------------------------------------------------------------------------


def store_entries(feed: Feed, entries: list[Entry], *, now: datetime) -> tuple[int, int, int, int]:
    """Insert or update the feed's articles; (new, updated, duplicates, errors).

    Keyed on the unique canonical URL and, within the feed, on the GUID, so that running the
    same entries twice, or in two workers at once, stores each article once and the second
    run changes nothing. Call inside a transaction.
    """
    entries, duplicates = _distinct(entries)
    by_url, by_guid = _existing(feed, entries)
    to_create, to_update = [], []
    for entry in entries:
        row = (by_guid.get(entry.guid) if entry.guid else None) or by_url.get(entry.url)
        if row is None:
            to_create.append(entry)
        elif row["feed_id"] == feed.pk:  # an article another feed brought in stays as it is
            changed = _changes(row, entry, by_url, by_guid)
            if changed:
                to_update.append((row["id"], changed))
    new = _insert(feed, to_create, now)
    updated, errors = _update(to_update, now)
    if to_update:
        ids = [pk for pk, _ in to_update]
        transaction.on_commit(lambda: articles_changed.send(sender=Article, article_ids=ids))
    return new, updated, duplicates, errors


def _distinct(entries: list[Entry]) -> tuple[list[Entry], int]:
    """The first entry for each URL and each GUID; later repeats are counted, not stored."""
    urls, guids, kept = set(), set(), []
    for entry in entries:
        if entry.url in urls or (entry.guid and entry.guid in guids):
            continue
        urls.add(entry.url)
        if entry.guid:
            guids.add(entry.guid)
        kept.append(entry)
    return kept, len(entries) - len(kept)


_COMPARED = ("id", "feed_id", "url", "guid", "title", "summary", "author", "image_url")


def _existing(feed: Feed, entries: list[Entry]) -> tuple[dict, dict]:
    """Stored articles matching the entries, as dicts: by URL (any feed), by GUID (this feed)."""
    urls = [entry.url for entry in entries]
    guids = [entry.guid for entry in entries if entry.guid]
    by_url, by_guid = {}, {}
    for start in range(0, max(len(urls), len(guids)), _CHUNK):
        query = Q(url__in=urls[start : start + _CHUNK])
        if guids[start : start + _CHUNK]:
            query |= Q(feed=feed, guid__in=guids[start : start + _CHUNK])
        for row in Article.objects.filter(query).values(*_COMPARED, "published_at"):
            by_url[row["url"]] = row
            if row["feed_id"] == feed.pk and row["guid"]:
                by_guid[row["guid"]] = row
    return by_url, by_guid


def _changes(row: dict, entry: Entry, by_url: dict, by_guid: dict) -> dict:
    """The fields of the stored article (row) that entry changes, with their new values."""
    wanted = {
        "title": entry.title,
        "summary": entry.summary,
        "author": entry.author,
        "image_url": entry.image_url,
    }
    if entry.published_at:  # without a date of its own, the arrival time stays
        wanted["published_at"] = entry.published_at
    if entry.url != row["url"] and entry.url not in by_url:  # the GUID's article moved
        wanted["url"] = entry.url
        by_url[entry.url] = by_url.pop(row["url"], row)
    if entry.guid and not row["guid"] and entry.guid not in by_guid:
        wanted["guid"] = entry.guid
        by_guid[entry.guid] = row
    return {name: value for name, value in wanted.items() if row[name] != value}


def _insert(feed: Feed, entries: list[Entry], now: datetime) -> int:
    """Insert new articles, skipping any that a concurrent writer stored first; how many
    were inserted.

    Plain SQL: INSERT ... ON CONFLICT DO NOTHING honours both unique constraints on SQLite
    and PostgreSQL, RETURNING counts exactly the rows inserted, and it costs a fraction of
    bulk_create, whose per-value preparation dominated ingestion time.
    """
    if not entries:
        return 0
    adapt = connection.ops.adapt_datetimefield_value
    arrived = adapt(now)
    rows = [
        (feed.source_id, feed.pk, e.url, e.guid, e.title, e.summary, e.author, e.image_url)
        + (adapt(e.published_at) if e.published_at else arrived, arrived, arrived)
        for e in entries
    ]
    per_batch = (connection.features.max_query_params or 65535) // len(_INSERTED)
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            cursor.execute(_insert_sql(len(batch)), [value for row in batch for value in row])
            inserted += len(cursor.fetchall())
    return inserted


def _insert_sql(count: int) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Article._meta.get_field(name).column) for name in _INSERTED)
    values = ", ".join(["(" + ", ".join(["%s"] * len(_INSERTED)) + ")"] * count)
    # Only quoted model metadata and placeholders go into the text; values are parameters.
    return (
        f"INSERT INTO {quote(Article._meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT DO NOTHING RETURNING {quote(Article._meta.pk.column)}"
    )


_INSERTED = (
    *("source", "feed", "url", "guid", "title", "summary", "author", "image_url"),
    *("published_at", "fetched_at", "updated_at"),
)


def _update(changes: list[tuple[int, dict]], now: datetime) -> tuple[int, int]:
    """Save each article's changed fields (pk, {field: value}); (updated, errors). A row that
    would now break a unique constraint (a concurrent writer) is skipped, not the batch."""
    groups: dict[tuple, list[Article]] = {}
    for pk, changed in changes:
        fields = (*sorted(changed), "updated_at")
        groups.setdefault(fields, []).append(Article(pk=pk, updated_at=now, **changed))
    updated = errors = 0
    for fields, articles in groups.items():
        try:
            with transaction.atomic():
                Article.objects.bulk_update(articles, fields, batch_size=100)
            updated += len(articles)
            continue
        except IntegrityError:
            pass
        for article in articles:
            try:
                with transaction.atomic():
                    Article.objects.filter(pk=article.pk).update(
                        **{name: getattr(article, name) for name in fields}
                    )
                updated += 1
            except IntegrityError:
                errors += 1
                logger.warning("article %s: update skipped, it would duplicate another", article.pk)
    return updated, errors
