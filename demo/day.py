"""A day of incoming articles for the demo, stored as ingestion stores a fetch.

The content is in day.toml. `build_day()` turns it into articles with outlets, bylines
and times (seeded, no clock); `load_day()` stores the missing ones hour by hour, each
outlet's articles of the hour as one fetch of its feed through `sources.store`, so the
desk queues their suggestions exactly as it does for real feeds.
"""

import random
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sources.models import Article, Feed
from sources.normalize import Entry
from sources.store import store_entries

from .content import FIRST_NAMES, LAST_NAMES, OutletSpec
from .plan import build_plan

_DATA = tomllib.loads((Path(__file__).parent / "day.toml").read_text(encoding="utf-8"))

# Feeds are fetched about once an hour: a fetch brings in what the hour published.
FETCH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class IncomingArticle:
    """One article of the day, and where it belongs: `story` (a demo story's title),
    `event` (a new event's key), or neither (a one-off)."""

    outlet: OutletSpec
    url: str
    title: str
    summary: str
    author: str
    minutes_ago: int
    story: str = ""
    event: str = ""


def build_day() -> list[IncomingArticle]:
    """The day's articles, oldest first; the same every time (a fixed seed, no clock)."""
    rng = random.Random(_DATA["seed"])  # noqa: S311 - reproducible demo text, not security
    outlets = build_plan().outlets
    threads = [(t, {"story": t["story"]}) for t in _DATA["continuing"]]
    threads += [(t, {"event": t["key"]}) for t in _DATA["events"]]
    threads += [(t, {}) for t in _DATA["one_offs"]]
    day = []
    for thread, belongs in threads:
        # Within a story or an event, each article comes from a different outlet.
        covering = rng.sample(outlets, len(thread["articles"]))
        for outlet, article in zip(covering, thread["articles"], strict=True):
            minutes = round(article["hours_ago"] * 60) + rng.randint(-10, 10)
            day.append(
                IncomingArticle(
                    outlet=outlet,
                    url=f"https://{outlet.domain}/{thread['section']}/{slugify(article['title'])}",
                    title=article["title"],
                    summary=article["summary"],
                    author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    minutes_ago=max(minutes, 1),
                    **belongs,
                )
            )
    return sorted(day, key=lambda a: (-a.minutes_ago, a.url))


@dataclass
class DayReport:
    stored: int = 0
    present: int = 0
    fetches: int = 0
    no_feed: int = 0

    def summary(self) -> str:
        line = (
            f"A day of incoming articles: stored {self.stored} in {self.fetches} fetches; "
            f"already present {self.present}."
        )
        if self.no_feed:
            line += f" Left out {self.no_feed}: their outlet has no demo feed."
        return line


def load_day(*, now=None) -> DayReport:
    """Store the day's articles the database lacks, as the hourly fetches of the demo
    outlets' feeds would have stored them, oldest fetch first.

    Each fetch commits on its own, so each sends `articles_stored` after its commit and
    the desk suggests stories for what it brought in, knowing only what came before.
    An article stored already (a second run) is left as it is. Run it after load_demo:
    it needs the demo's feeds.
    """
    now = now or timezone.now()
    day, report = build_day(), DayReport()
    feeds = {
        feed.url: feed
        for feed in Feed.objects.filter(url__in={a.outlet.feed_url for a in day})
        .select_related("source")
        .order_by("pk")
    }
    present = set(
        Article.objects.filter(url__in=[a.url for a in day]).values_list("url", flat=True)
    )
    fetches: dict[tuple[int, str], list[Entry]] = defaultdict(list)
    for article in day:
        feed = feeds.get(article.outlet.feed_url)
        if article.url in present:
            report.present += 1
        elif feed is None:
            report.no_feed += 1
        else:
            # The fetch after the article came out: whole hours back from now.
            hours_before_now = (article.minutes_ago - 1) // 60
            fetches[(hours_before_now, feed.url)].append(_entry(article, now))
    for (hours_before_now, url), entries in sorted(fetches.items(), key=_oldest_first):
        with transaction.atomic():
            stored, *_ = store_entries(
                feeds[url], entries, now=now - hours_before_now * FETCH_EVERY
            )
        report.stored += stored
        report.fetches += 1
    return report


def _oldest_first(item) -> tuple:
    (hours_before_now, url), _ = item
    return (-hours_before_now, url)


def _entry(article: IncomingArticle, now) -> Entry:
    return Entry(
        url=article.url,
        guid=article.url,
        title=article.title,
        summary=article.summary,
        author=article.author,
        image_url="",
        published_at=now - timedelta(minutes=article.minutes_ago),
    )
