"""Scheduling: how often a feed is fetched, and how long it waits after failing."""

from datetime import UTC, datetime, timedelta

import pytest

from sources import schedule

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def every(minutes: float, count: int = 10) -> list[datetime]:
    return [NOW - timedelta(minutes=minutes * n) for n in range(count)]


def test_interval_follows_the_median_gap_between_recent_entries():
    times = every(30) + [NOW - timedelta(days=30)]  # one old outlier does not count much
    assert schedule.publishing_interval(times) == 30 * 60


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(1, schedule.MIN_INTERVAL), (60 * 72, schedule.MAX_INTERVAL)],
    ids=["prolific feed: five minutes", "quiet feed: a day"],
)
def test_interval_is_clamped(minutes, expected):
    assert schedule.publishing_interval(every(minutes)) == expected


def test_interval_without_enough_dates_keeps_the_default():
    assert schedule.publishing_interval([NOW], default=7200) == 7200
    assert schedule.publishing_interval([], default=60) == schedule.MIN_INTERVAL


def test_cache_control_max_age_and_ttl_set_a_minimum():
    assert schedule.requested_minimum({"cache-control": "public, max-age=1800"}) == 1800
    assert schedule.requested_minimum({}, ttl="45") == 45 * 60
    assert schedule.requested_minimum({"cache-control": "max-age=60"}, ttl="10") == 600
    assert schedule.requested_minimum({"cache-control": "no-cache"}, ttl="soon") == 0


def test_retry_after_in_seconds_or_as_a_date():
    assert schedule.retry_after({"retry-after": "120"}, now=NOW) == 120
    date = "Sat, 01 Jun 2030 13:00:00 GMT"
    assert schedule.retry_after({"retry-after": date}, now=NOW) == 3600
    assert schedule.retry_after({"retry-after": "whenever"}, now=NOW) is None
    assert schedule.retry_after({}, now=NOW) is None


def test_a_retry_after_date_is_never_rounded_to_an_earlier_second():
    date = "Sat, 01 Jun 2030 13:00:00 GMT"
    almost = NOW + timedelta(milliseconds=400)
    assert schedule.retry_after({"retry-after": date}, now=almost) == 3600


def test_error_backoff_doubles_up_to_a_day():
    delays = [schedule.error_delay(n) for n in (1, 2, 3, 4, 30)]
    assert delays == [600, 1200, 2400, 4800, schedule.MAX_INTERVAL]


def test_next_fetch_is_spread_by_ten_percent_and_respects_the_floor():
    times = {schedule.next_fetch(NOW, 1000) for _ in range(200)}
    assert all(NOW + timedelta(seconds=900) <= t <= NOW + timedelta(seconds=1100) for t in times)
    assert len(times) > 100
    assert schedule.next_fetch(NOW, 1000, floor=1200) == NOW + timedelta(seconds=1200)
