"""When to fetch a feed next: as often as it publishes, never more often than it asks."""

import math
import random
import re
import statistics
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 24 * 60 * 60
DEFAULT_INTERVAL = 60 * 60
FIRST_ERROR_DELAY = 10 * 60  # doubles with every further failure, up to MAX_INTERVAL
JITTER = 0.10
RECENT_ENTRIES = 20

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def clamp(seconds: float) -> int:
    return int(min(MAX_INTERVAL, max(MIN_INTERVAL, seconds)))


def publishing_interval(published: list[datetime], *, default: int = DEFAULT_INTERVAL) -> int:
    """The median gap between the most recent entries' times, clamped; default with < 2 times."""
    recent = sorted(set(published), reverse=True)[:RECENT_ENTRIES]
    if len(recent) < 2:
        return clamp(default)
    gaps = [
        (newer - older).total_seconds() for newer, older in zip(recent, recent[1:], strict=False)
    ]
    return clamp(statistics.median(gaps))


def requested_minimum(headers: dict[str, str], ttl: str = "") -> int:
    """The shortest interval the server asks for: Cache-Control max-age or RSS <ttl> (minutes)."""
    floor = 0
    match = _MAX_AGE.search(headers.get("cache-control", ""))
    if match:
        floor = int(match.group(1))
    if ttl.strip().isdigit():
        floor = max(floor, int(ttl.strip()) * 60)
    return min(floor, MAX_INTERVAL)


def retry_after(headers: dict[str, str], *, now: datetime) -> int | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date), if any."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return min(int(value), MAX_INTERVAL)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    # Rounded up: coming back a fraction of a second early is coming back too early.
    return math.ceil(min(max((when - now).total_seconds(), 0), MAX_INTERVAL))


def error_delay(consecutive_errors: int) -> int:
    """Geometric backoff: 10 minutes after the first failure, doubling, at most a day."""
    exponent = min(max(consecutive_errors - 1, 0), 16)
    return min(FIRST_ERROR_DELAY * 2**exponent, MAX_INTERVAL)


def next_fetch(now: datetime, seconds: float, *, floor: float = 0) -> datetime:
    """now + seconds (at least floor), spread by ±10% so feeds added together drift apart."""
    jittered = seconds * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - not security
    return now + timedelta(seconds=max(jittered, floor))
