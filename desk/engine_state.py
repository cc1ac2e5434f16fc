"""The engine a worker process keeps between calls, brought up to date from the database.

Building an engine means placing every article of the window (tens of thousands on a
busy site), so a process builds one once and then, on each call, applies only what
happened since: articles with an id above the highest it has read, and story links
with an id above the highest it has read. Both are read through their primary keys, so
a call costs what arrived since the last one, not what the window or the archive holds.

Everything is applied as one sequence of events in the order it happened: articles in
the order of their ids, each at the latest fetch time so far (`fetched_at`), and links
when they were made (`added_at`, then id). An article with no link yet, or one filed
only after it was fetched, is placed as it came in (what the engine said then is its
answer) and moved into its story when the link comes; one filed when it came in is
remembered in its story straight away. A build reads the window and applies the same
events in the same order, so it arrives at the engine the increments built
(tests/desk/test_engine_state.py), with one shortcut: what came in more than
`REPLAY_HOURS` before the newest fetch and is in a story now is remembered in it
straight away, so that a build places the articles of a few hours, not of the whole
window. Three things can part them, all bounded by the next build: that shortcut; a
row committed after a newer one was read, applied when it is met, not in its place;
and the trace the engine keeps of articles that have left the window, which a build
from the window alone does not have.

What cannot be applied as an event (an article leaving a story or moving to another,
a merge, a split, a deleted story or article) raises `desk.models.EngineVersion`, in
the transaction that makes the change (desk/signal_handlers.py); so does a call asked
about an article whose headline ingestion has changed since the engine read it. A call
that finds the number changed builds the engine again. So does a call in another process
or against another database, with other tuning, or after `REBUILD_HOURS`.
"""

import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from sources.models import Article
from stories.models import StoryArticle

from .engine.engine import Engine
from .engine.model import HOUR, Proposal, Suggestion, Tuning
from .engine.model import Article as EngineArticle
from .models import EngineVersion

# Rebuilt at least this often (setting NEWSROOM_DESK_ENGINE_REBUILD_HOURS): the engine
# keeps a trace of articles that have left the window (the rhythm of their stories, the
# document frequencies their neighbours were weighed with), which a rebuild from the
# window alone does not have; this bounds how far the two may drift apart.
REBUILD_HOURS = 6.0
# A build replays this much of the window as it happened: an article that came in
# before, and is in a story now, is taken as filed when it came in (remembered, not
# placed and moved later). Placing is what a build costs; the stories an article is
# compared with are those of the last hours, where the replay is exact.
REPLAY_HOURS = 2.0
# Articles dated further ahead than this are not taken into the window (a feed with a
# wrong clock must not push everything else out of it).
FUTURE_SLACK = timedelta(hours=1)

_ROW_FIELDS = (
    "pk",
    "title",
    "summary",
    "source_id",
    "published_at",
    "fetched_at",
    "story_link__id",
    "story_link__story_id",
    "story_link__added_at",
)
_ARTICLE, _LINK = 0, 1


@dataclass(frozen=True, slots=True)
class Placed:
    """What the engine said when it placed an article that came in with no story."""

    suggestion: Suggestion
    proposal: Proposal | None


def fingerprint(title, summary, source_id, published_at, fetched_at) -> tuple:
    """What the engine read of an article: when this changes, what it holds is stale."""
    return (title, summary, source_id, published_at, fetched_at)


def engine_article(row: dict) -> EngineArticle:
    # Outlets are told apart by their source, whatever their names.
    return EngineArticle(
        key=row["pk"],
        title=row["title"],
        at=row["published_at"].timestamp(),
        summary=row["summary"],
        outlet=str(row["source_id"]),
    )


def _rebuild_hours() -> float:
    return float(getattr(settings, "NEWSROOM_DESK_ENGINE_REBUILD_HOURS", REBUILD_HOURS))


class LiveEngine:
    """An engine with what it has read of one database, and how to catch up with it."""

    def __init__(self, tuning: Tuning, identity: tuple, version: int):
        self.tuning = tuning
        self.identity = identity
        self.version = version
        self.engine = Engine(tuning)
        self.built = time.monotonic()
        self.article_mark = 0  # highest article id read
        self.anchor = None  # (id, fetched_at) of that article, to tell the database is the same
        self.link_mark = 0  # highest link id read
        self.clock = None  # latest fetch time of the articles taken in, in id order
        self.held: dict[int, EngineArticle] = {}
        self.prints: dict[int, tuple] = {}
        self.links: dict[int, int] = {}  # article -> id of the link last applied
        self.placed: dict[int, Placed] = {}
        self.rebuilds = 0
        self.rebuilt = False  # by the call that returned it
        self.events = 0

    # --- what a call asks -----------------------------------------------------------

    def answer(self, article: Article) -> Placed | None:
        """The placement of an article the engine holds as it is now, or None."""
        if article.pk not in self.engine.window.articles:
            return None
        if self.prints.get(article.pk) != fingerprint(
            article.title,
            article.summary,
            article.source_id,
            article.published_at,
            article.fetched_at,
        ):
            return None
        return self.placed.get(article.pk)

    def holds_stale(self, article: Article) -> bool:
        """Whether the engine holds this article with words or dates it no longer has."""
        held = self.prints.get(article.pk)
        return held is not None and held != fingerprint(
            article.title,
            article.summary,
            article.source_id,
            article.published_at,
            article.fetched_at,
        )

    def horizon(self) -> float:
        return self.engine.window.now - self.tuning.window_hours * HOUR

    # --- building and catching up ---------------------------------------------------

    def build(self) -> None:
        """Read the window and apply it: the newest date, the highest ids, the window."""
        newest = (
            Article.objects.filter(published_at__lte=timezone.now() + FUTURE_SLACK)
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        last = Article.objects.order_by("-pk").values_list("pk", "fetched_at").first()
        self.link_mark = StoryArticle.objects.aggregate(pk=Max("pk"))["pk"] or 0
        rows = []
        if newest is not None:
            since = newest - timedelta(hours=self.tuning.window_hours)
            rows = list(
                Article.objects.filter(published_at__gte=since, published_at__lte=newest)
                .order_by("-published_at", "-pk")
                .values(*_ROW_FIELDS)[: self.tuning.max_articles]
            )
        fetched = max((row["fetched_at"] for row in rows), default=None)
        replay_since = fetched - timedelta(hours=REPLAY_HOURS) if fetched else None
        self._apply_rows(rows, [], replay_since)
        # An article stored between the reads may be newer than `last`.
        for row in rows:
            if last is None or row["pk"] > last[0]:
                last = (row["pk"], row["fetched_at"])
        if last is not None:
            self.article_mark, self.anchor = last[0], last
        self.rebuilt = True

    def catch_up(self) -> bool:
        """Apply what arrived since the last call (two reads by primary key); False when
        the database is not the one read before (restored, emptied, rolled back)."""
        rows = list(
            Article.objects.filter(pk__gte=self.article_mark).order_by("pk").values(*_ROW_FIELDS)
        )
        if self.anchor is not None:
            if not rows or (rows[0]["pk"], rows[0]["fetched_at"]) != self.anchor:
                return False
            rows = rows[1:]
        links = list(
            StoryArticle.objects.filter(pk__gt=self.link_mark)
            .order_by("pk")
            .values("pk", "article_id", "story_id", "added_at")
        )
        self._apply_rows([row for row in rows if row["pk"] not in self.prints], links)
        if links:
            self.link_mark = links[-1]["pk"]
        if rows:
            self.article_mark = rows[-1]["pk"]
            self.anchor = (rows[-1]["pk"], rows[-1]["fetched_at"])
        return True

    def place_late(self, articles: list[Article]) -> None:
        """Articles committed after a newer one had been read (their ids are below the
        mark): placed now, so that they are answered and counted once."""
        rows = [
            {
                "pk": a.pk,
                "title": a.title,
                "summary": a.summary,
                "source_id": a.source_id,
                "published_at": a.published_at,
                "fetched_at": a.fetched_at,
                "story_link__id": None,
                "story_link__story_id": None,
                "story_link__added_at": None,
            }
            for a in articles
        ]
        self._apply_rows(rows, [])

    def _apply_rows(self, rows: list[dict], links: list[dict], replay_since=None) -> None:
        """Turn articles and links into events and apply them in the order they happened.

        Articles dated after `FUTURE_SLACK` from now, or before the window of the newest
        article read, are left out: the window never holds them. An article that came in
        before `replay_since` and is in a story now is remembered there as it comes."""
        window = timedelta(hours=self.tuning.window_hours)
        future = timezone.now() + FUTURE_SLACK
        dates = [row["published_at"] for row in rows if row["published_at"] <= future]
        now = max([*dates, *([_at(self.engine.window.now)] if self.held else [])], default=None)
        events = []
        for row in sorted(rows, key=lambda row: row["pk"]):
            if now is None or not now - window <= row["published_at"] <= future:
                continue
            # Articles come in id order; an article's time is the latest fetch so far, so
            # that a fetch stamped before an earlier insert committed does not go first.
            self.clock = max(self.clock or row["fetched_at"], row["fetched_at"])
            key = (self.clock, _ARTICLE, row["pk"])
            link, added = row["story_link__id"], row["story_link__added_at"]
            settled = replay_since is not None and self.clock < replay_since
            if link is not None and (added <= self.clock or settled):
                events.append((key, row, row))
                continue
            events.append((key, row, None))
            if link is not None:
                linked = {
                    "pk": link,
                    "article_id": row["pk"],
                    "story_id": row["story_link__story_id"],
                }
                events.append(((added, _LINK, link), linked, None))
        for link in links:
            events.append(((link["added_at"], _LINK, link["pk"]), link, None))
        events.sort(key=lambda event: event[0])
        for _, item, filed in events:
            if "title" in item:
                self._arrive(item, filed)
            else:
                self._file(item)
        self.events += len(events)
        self._forget_evicted()

    def _arrive(self, row: dict, filed: dict | None) -> None:
        article = engine_article(row)
        if row["pk"] in self.prints:
            return
        self.held[row["pk"]] = article
        self.prints[row["pk"]] = fingerprint(
            row["title"], row["summary"], row["source_id"], row["published_at"], row["fetched_at"]
        )
        if filed is None:
            self.placed[row["pk"]] = Placed(*self.engine.place(article))
        else:
            self.engine.remember(article, filed["story_link__story_id"])
            self.links[row["pk"]] = filed["story_link__id"]

    def _file(self, link: dict) -> None:
        """A link made after its article came in: the article moves into the story."""
        pk = link["article_id"]
        article = self.held.get(pk)
        if article is None or pk not in self.engine.window.articles:
            return
        if self.links.get(pk) == link["pk"]:
            return  # applied already (read by a rebuild and again as new)
        self.links[pk] = link["pk"]
        self.engine.remember(article, link["story_id"])

    def _forget_evicted(self) -> None:
        """Drop what the window has let go of, once it is a good part of what is kept."""
        articles = self.engine.window.articles
        if len(self.held) <= 2 * len(articles) + 1000:
            return
        for book in (self.held, self.prints, self.links, self.placed):
            for pk in [pk for pk in book if pk not in articles]:
                del book[pk]


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.get_current_timezone())


# --- one per process --------------------------------------------------------------------

# Guards the engine of a process whose calls may come from several threads.
lock = threading.Lock()
_live: LiveEngine | None = None


def _identity(using: str) -> tuple:
    """Which process and which database the engine was read in and from: a forked worker
    or another database builds its own."""
    conn = settings.DATABASES[using]
    return (os.getpid(), using, conn.get("NAME"), conn.get("HOST"), conn.get("PORT"))


def current(tuning: Tuning, using: str = "default") -> LiveEngine:
    """The process's engine, up to date with the database. Call with `lock` held."""
    global _live
    version = EngineVersion.current()
    identity = _identity(using)
    live = _live
    fresh = (
        live is not None
        and live.identity == identity
        and live.tuning == tuning
        and live.version == version
        and time.monotonic() - live.built < _rebuild_hours() * 3600
    )
    if fresh:
        try:
            caught_up = live.catch_up()
        except BaseException:
            _live = None  # cut short half way: what it holds is not to be trusted
            raise
        if caught_up:
            live.rebuilt = False
            return live
    rebuilds = live.rebuilds + 1 if live is not None else 1
    # Kept only once built: a build cut short (a time limit, a lost connection) leaves
    # nothing half-read behind, and the next call builds again.
    _live = None
    live = LiveEngine(tuning, identity, version)
    live.rebuilds = rebuilds
    live.build()
    _live = live
    return live


def forget() -> None:
    """Drop the process's engine; the next call builds one (tests, a changed headline)."""
    global _live
    _live = None


def peek() -> LiveEngine | None:
    return _live
