"""Generate a large, realistic data set fast, to measure the site at scale.

Rows are drawn in Python from generators seeded with `seed` and streamed to the
database in bulk (COPY on PostgreSQL, batched INSERTs on SQLite); nothing goes
through save(), so a million articles take minutes. The shape follows real news:
a few outlets publish most articles, a few stories gather thousands, most gather
a handful, and a tenth of the articles wait in no story.
"""

import math
import random
import time
from array import array
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import accumulate, islice

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from sources.models import Article, Feed, Owner, Source
from sources.ratings import BUCKETS, Bias, Factuality, OwnerCategory
from stories.counters import COUNTERS, fill_story_sources
from stories.models import KeyPoint, Story, StoryArticle, StorySource
from stories.signals import coverage_changed

# --- The shape of the data -------------------------------------------------------------

UNASSIGNED_SHARE = 0.10  # articles no editor has placed in a story yet
# Articles arrive at the pace of a newsroom with 1,000 feeds, about 30,000 a day, so a
# database of N articles holds the last N / 30,000 days: a smaller database is the same
# newsroom earlier, with as many stories an hour. --days spreads them otherwise.
ARTICLES_PER_DAY = 30_000
MIN_WINDOW_DAYS = 0.1  # 2.4 hours: a story's first article comes an hour before now or earlier
# Zipf exponents. Outlets: of 1,000, the largest publishes ~23% of all articles (230,000
# of a million), the smallest a few dozen. Stories: at a million articles and 33,000
# stories the largest gathers ~20,000, the median about ten.
OUTLET_SKEW = 1.2
STORY_SKEW = 0.77
OWNER_SKEW = 1.0  # a few groups own many outlets
# A story stays a draft while editors work on it: the chance that one is still a draft
# falls by e every DRAFT_HOURS after its first article, down to the share never published.
# So drafts are mostly the last hours' stories and do not pile up with the archive. The
# largest hundredth are always published.
DRAFT_HOURS = 6
NEVER_PUBLISHED_SHARE = 0.03
OWNED_SHARE = 0.8  # outlets with an owner on record

BIAS_MIX = {
    Bias.FAR_LEFT: 3,
    Bias.LEFT: 9,
    Bias.LEAN_LEFT: 20,
    Bias.CENTER: 30,
    Bias.LEAN_RIGHT: 16,
    Bias.RIGHT: 10,
    Bias.FAR_RIGHT: 4,
    None: 8,
}
FACTUALITY_MIX = {
    Factuality.VERY_HIGH: 12,
    Factuality.HIGH: 38,
    Factuality.MIXED: 28,
    Factuality.LOW: 10,
    Factuality.VERY_LOW: 4,
    None: 8,
}
# Outlets at the far ends of the spectrum are rated less factual more often.
FAR_FACTUALITY_MIX = {
    Factuality.HIGH: 10,
    Factuality.MIXED: 35,
    Factuality.LOW: 30,
    Factuality.VERY_LOW: 15,
    None: 10,
}
OWNER_MIX = {
    OwnerCategory.MEDIA_CONGLOMERATE: 20,
    OwnerCategory.INDEPENDENT: 20,
    OwnerCategory.PUBLIC_COMPANY: 15,
    OwnerCategory.PRIVATE_EQUITY: 12,
    OwnerCategory.WEALTHY_INDIVIDUAL: 12,
    OwnerCategory.NONPROFIT: 10,
    OwnerCategory.GOVERNMENT: 4,
    OwnerCategory.TELECOM: 4,
    OwnerCategory.OTHER: 3,
}
COUNTRY_MIX = {"US": 70, "GB": 10, "CA": 6, "IN": 5, "AU": 5, "IE": 2, "NZ": 2}

# --- Words -----------------------------------------------------------------------------
# Invented, and apart from the demo's (demo/content.toml), so the two never share a slug.

TOWNS = (
    "Alderbrook", "Ashcombe", "Bellmoor", "Birchfield", "Blackwater", "Bramwell", "Calder",
    "Carrow", "Dalesford", "Drayton", "Eastholm", "Elderglen", "Fairhaven", "Fenwick",
    "Gorsedale", "Greyport", "Halden", "Hollins", "Ivybridge", "Kingsmere", "Larchmont",
    "Linwood", "Marlow Bay", "Mossgate", "Netherby", "Oldcastle", "Orchard Vale", "Penhallow",
    "Redmoor", "Rookwood", "Saltcote", "Sandown", "Shalford", "Silverdale", "Southmere",
    "Thornbury", "Tolland", "Upton Cross", "Wakefield Point", "Westerly", "Whitcombe",
    "Willowmere", "Wrenfield", "Yarrow",
)  # fmt: skip
MASTHEADS = (
    "Beacon", "Clarion", "Courant", "Monitor", "Register", "Reporter", "Voice", "Spectator",
    "Mirror", "Leader", "Express", "Argus", "Enquirer", "Pioneer", "Packet", "Press", "Star",
    "Sun", "Digest", "Today", "Insider", "Wire", "Daily", "News",
)  # fmt: skip
OWNER_NAMES = (
    "Albright", "Bancroft", "Carrington", "Delacroix", "Ellsworth", "Fairbanks", "Garrick",
    "Holloway", "Irvine", "Jarrow", "Kensley", "Lockhart", "Montague", "Norcross", "Oakley",
    "Pembroke", "Quill", "Radcliffe", "Sterling", "Thackeray", "Underhill", "Vance", "Whitlock",
    "Yardley",
)  # fmt: skip
OWNER_KINDS = (
    "Media Group", "Holdings", "Communications", "Publishing", "Press Trust", "Networks",
    "Broadcasting", "News Partners",
)  # fmt: skip
SECTIONS = ("latest", "politics", "world", "business")

SUBJECTS = (
    "City council", "Senate committee", "Central bank", "Transit authority", "Health ministry",
    "School board", "Port workers", "Wildfire crews", "Election officials", "Regulators",
    "Tech firms", "Farmers' union", "Supreme Court", "Coast guard", "Teachers' union",
    "Energy regulator", "Housing agency", "Airlines", "Governor", "Prime minister",
)  # fmt: skip
ACTIONS = (
    "approves", "rejects", "delays", "announces", "investigates", "expands", "cuts",
    "defends", "unveils", "suspends", "debates", "backs", "challenges", "revises",
)  # fmt: skip
OBJECTS = (
    "budget plan", "rate increase", "water rights deal", "emergency funding",
    "new safety rules", "merger", "climate target", "tax overhaul", "bridge repairs",
    "vaccine campaign", "data privacy law", "trade agreement", "strike settlement",
    "rail expansion", "housing bill", "border policy", "pension reform", "school funding",
)  # fmt: skip
CONTEXTS = (
    "after long debate", "amid protests", "ahead of winter", "despite warnings",
    "in late-night vote", "as costs rise", "after court ruling", "before election",
    "under pressure", "in surprise move", "after months of talks", "as deadline nears",
)  # fmt: skip
HEADLINES = (
    "{S} {a} {o} {c}",
    "{S} {a} {o}, officials say",
    "What to know as {s} {a} {o}",
    "Live updates: {S} {a} {o}",
    "Analysis: why the {o} matters",
    "{S} {a} {o} {c}, drawing criticism",
    "Opinion: the {o} deserves a closer look",
)
ATTRIBUTIONS = (
    "according to officials",
    "according to people familiar with the matter",
    "according to documents seen by reporters",
    "a spokesperson said",
)
FILLERS = (
    "Critics said the decision came too quickly.",
    "Supporters called it long overdue.",
    "The vote followed weeks of public hearings.",
    "Details of the plan are expected next week.",
    "Several groups said they would challenge it.",
    "Markets reacted calmly to the news.",
    "Local leaders asked for more time to respond.",
    "It is the third such move this year.",
)
KEY_POINTS = (
    "{S} {a} the {o} {c}.",
    "The {o} would take effect within months if it survives legal challenges.",
    "Supporters say the {o} is overdue; opponents question its cost.",
    "Coverage split over whether the {o} goes far enough.",
    "Officials expect a final decision on the {o} before the end of the quarter.",
)
FIRST_NAMES = ("Alex", "Bea", "Cyrus", "Dara", "Emil", "Fay", "Gil", "Hugo", "Iris", "Jon")
LAST_NAMES = ("Archer", "Blake", "Coles", "Drummond", "Ellery", "Frost", "Greer", "Hale")


# --- What to generate ------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSpec:
    articles: int
    sources: int
    stories: int
    days: float  # the articles came out over this many days, up to now
    seed: int = 0

    @classmethod
    def of(
        cls, *, articles: int, sources=None, stories=None, days=None, seed: int = 0
    ) -> "ScaleSpec":
        """The spec for this many articles; outlets, stories and the days they span
        scale with it unless given.

        Raises ValueError for counts that cannot be generated.
        """
        if articles < 1:
            raise ValueError(f"--articles must be a positive number, not {articles}.")
        days = max(MIN_WINDOW_DAYS, articles / ARTICLES_PER_DAY) if days is None else days
        if not MIN_WINDOW_DAYS <= days <= 3650:
            raise ValueError(f"--days must be between {MIN_WINDOW_DAYS} and 3650, not {days}.")
        sources = min(1000, max(10, articles // 100)) if sources is None else sources
        stories = max(1, articles // 30) if stories is None else stories
        if sources < 1:
            raise ValueError(f"--sources must be a positive number, not {sources}.")
        placed = articles - round(articles * UNASSIGNED_SHARE)
        if not 0 <= stories <= placed:
            raise ValueError(
                f"--stories must be between 0 and {placed} (the articles placed in stories, "
                f"each story needs one), not {stories}."
            )
        return cls(articles=articles, sources=sources, stories=stories, days=days, seed=seed)

    @property
    def placed(self) -> int:
        """How many articles are in a story: all but a tenth, none without stories."""
        return self.articles - round(self.articles * UNASSIGNED_SHARE) if self.stories else 0


@dataclass
class ScaleReport:
    """What was generated, and how long each step took."""

    created: Counter = field(default_factory=Counter)
    in_no_story: int = 0
    published: int = 0
    largest_story: int = 0
    largest_source: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        c = self.created
        steps = ", ".join(f"{step} {secs:.1f} s" for step, secs in self.seconds.items())
        return (
            f"Generated {c['articles']:,} articles ({self.in_no_story:,} in no story), "
            f"{c['sources']:,} sources (the largest has {self.largest_source:,} articles), "
            f"{c['owners']:,} owners, {c['feeds']:,} feeds, {c['stories']:,} stories "
            f"({self.published:,} published; the largest has {self.largest_story:,} "
            f"articles), {c['key_points']:,} key points "
            f"in {sum(self.seconds.values()):.1f} s ({steps})."
        )


def generate_scale_data(*, spec: ScaleSpec, now: datetime | None = None) -> ScaleReport:
    """Insert the data set of `spec`, published over the `spec.days` before `now`.

    The same spec and `now` give the same rows on an empty database. Ids follow the
    largest already present, so --append adds beside existing data; the tables are
    locked meanwhile (PostgreSQL) so no other writer takes those ids.
    """
    now = now or timezone.now()
    report = ScaleReport()
    tables = (Owner, Source, Feed, Article, Story, StoryArticle, StorySource, KeyPoint)
    started = time.perf_counter()
    with transaction.atomic():
        _lock(*tables)
        with _indexes_built_after(*tables, report=report):
            with _step(report, "outlets"):
                outlets = _Outlets.generate(spec, now, report)
            with _step(report, "stories"):
                plan = _StoryPlan.draw(spec, now)
                story_ids = _write_stories(plan, outlets, spec, now, report)
            with _step(report, "articles"):
                _write_articles(plan, outlets, story_ids, spec, now, report)
                if story_ids:
                    fill_story_sources(min(story_ids), max(story_ids))
                coverage_changed.send(sender=Story, story_ids=story_ids)
        with _step(report, "statistics"):
            _reset_sequences_and_analyze(*tables)
    # Committing checks every foreign key of the rows written (PostgreSQL defers them).
    report.seconds["commit"] = time.perf_counter() - started - sum(report.seconds.values())
    return report


class _step:
    """Time a step of the generation into report.seconds."""

    def __init__(self, report: ScaleReport, name: str):
        self.report, self.name = report, name

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        self.report.seconds[self.name] = time.perf_counter() - self.started


# --- Outlets, owners, feeds ------------------------------------------------------------


def _rng(spec: ScaleSpec, purpose: str) -> random.Random:
    """A generator of its own for each purpose, so changing one leaves the others' rows alone."""
    return random.Random(f"{spec.seed}:{purpose}")  # noqa: S311 - reproducible, not secret


def _pick(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _zipf_weights(count: int, skew: float) -> list[float]:
    """Cumulative weights of ranks 1..count under Zipf's law, for random.choices."""
    return list(accumulate(1 / rank**skew for rank in range(1, count + 1)))


def _unique_name(pk: int, firsts: tuple, seconds: tuple) -> str:
    """A name from two word lists, different for every pk (a number once they run out)."""
    combos = len(firsts) * len(seconds)
    index = (pk * 7919) % combos  # 7919 is prime, so coprime to combos: a permutation
    name = f"{firsts[index // len(seconds)]} {seconds[index % len(seconds)]}"
    lap = pk // combos
    return f"{name} {lap + 1}" if lap else name


@dataclass
class _Outlets:
    """The generated outlets, by rank (0 publishes the most), and their feeds."""

    ids: list[int]
    domains: list[str]
    feeds: list[list[int]]
    buckets: list[str | None]  # bias bucket: "left", "center", "right", None if not rated

    @classmethod
    def generate(cls, spec: ScaleSpec, now: datetime, report: ScaleReport) -> "_Outlets":
        rng = _rng(spec, "outlets")
        owner_ids = _write_owners(max(3, spec.sources // 8), rng, report)
        first = _next_id(Source)
        ids = list(range(first, first + spec.sources))
        rng.shuffle(ids)  # the busiest outlet is not the oldest one
        owner_weights = _zipf_weights(len(owner_ids), OWNER_SKEW)
        rows, names, domains = [], [], []
        for pk in ids:
            name = _unique_name(pk, TOWNS, MASTHEADS)
            name = f"The {name}" if pk % 3 == 0 else name
            slug = slugify(name)
            names.append(name)
            domains.append(f"{slug}.example")
            owner = rng.choices(owner_ids, cum_weights=owner_weights)[0]
            rows.append(
                _source_row(
                    pk,
                    name,
                    slug,
                    owner if rng.random() < OWNED_SHARE else None,
                    rng,
                    now,
                    spec.days,
                )
            )
        buckets = [Bias.bucket_of(row[_SOURCE_FIELDS.index("bias")]) for row in rows]
        report.created["sources"] = _insert(Source, _SOURCE_FIELDS, sorted(rows))
        feeds = _write_feeds(ids, names, domains, rng, now, spec.days, report)
        return cls(ids=ids, domains=domains, feeds=feeds, buckets=buckets)


def _write_owners(count: int, rng: random.Random, report: ScaleReport) -> list[int]:
    first = _next_id(Owner)
    rows = [
        (
            pk,
            _unique_name(pk, OWNER_NAMES, OWNER_KINDS),
            _pick(rng, OWNER_MIX).value,
            _pick(rng, COUNTRY_MIX),
        )
        for pk in range(first, first + count)
    ]
    report.created["owners"] = _insert(Owner, ("id", "name", "category", "country"), rows)
    return [row[0] for row in rows]


_SOURCE_FIELDS = (
    "id", "name", "slug", "homepage", "domain", "country", "description", "owner_id",
    "bias", "bias_rated_by", "bias_rated_at", "bias_rating_note",
    "factuality", "factuality_rated_by", "factuality_rated_at", "created_at", "updated_at",
)  # fmt: skip


def _source_row(pk, name, slug, owner_id, rng: random.Random, now: datetime, days) -> tuple:
    bias = _pick(rng, BIAS_MIX)
    far = bias is not None and abs(bias) == 3
    factuality = _pick(rng, FAR_FACTUALITY_MIX if far else FACTUALITY_MIX)
    rated = (now - timedelta(days=rng.randint(30, 700))).date()
    created = now - timedelta(days=rng.randint(30, 2000) + days)
    by = "Newsroom ratings desk"
    return (
        pk,
        name,
        slug,
        f"https://{slug}.example/",
        f"{slug}.example",
        _pick(rng, COUNTRY_MIX),
        f"{name} covers {rng.choice(SECTIONS)} news.",
        owner_id,
        None if bias is None else int(bias),
        by if bias is not None else "",
        rated if bias is not None else None,
        "Based on a review of recent articles." if bias is not None else "",
        None if factuality is None else int(factuality),
        by if factuality is not None else "",
        rated if factuality is not None else None,
        created,
        created,
    )


_FEED_FIELDS = (
    "id", "source_id", "url", "title", "is_active", "disabled_reason", "last_fetched_at",
    "last_status", "last_error", "consecutive_errors", "next_fetch_at", "fetch_interval",
    "created_at",
)  # fmt: skip


def _write_feeds(ids, names, domains, rng, now: datetime, days, report) -> list[list[int]]:
    """Feeds of each outlet, by rank: busy outlets have several. Most are healthy."""
    pk = _next_id(Feed)
    rows, feeds = [], []
    for rank, (source_id, name, domain) in enumerate(zip(ids, names, domains, strict=True)):
        count = 4 if rank < len(ids) * 0.02 else 2 if rank < len(ids) * 0.1 else 1
        feeds.append(list(range(pk, pk + count)))
        for section in SECTIONS[:count]:
            interval = rng.choice((600, 900, 1800)) if count > 1 else rng.choice((1800, 3600))
            fetched = now - timedelta(seconds=rng.uniform(0, interval))
            url = f"https://{domain}/feeds/{section}.xml"
            title = f"{name}: {section}"
            health = _feed_health(rng, fetched, interval)
            created = now - timedelta(days=days + 30)
            rows.append((pk, source_id, url, title, *health, interval, created))
            pk += 1
    report.created["feeds"] = _insert(Feed, _FEED_FIELDS, rows)
    return feeds


def _feed_health(rng: random.Random, fetched: datetime, interval: int) -> tuple:
    """(is_active, disabled_reason, last_fetched_at, last_status, last_error,
    consecutive_errors, next_fetch_at) of a feed: mostly healthy, a few failing or off."""
    state = rng.random()
    if state < 0.03:  # failing: the fetcher backs off
        errors = rng.randint(1, 6)
        retry = fetched + timedelta(seconds=interval * 2**errors)
        return (True, "", fetched, 503, "HTTP 503 Service Unavailable", errors, retry)
    if state < 0.045:  # switched off by the fetcher
        return (False, "The feed answered 410 Gone.", fetched, 410, "", 0, None)
    status = rng.choice((200, 304))
    return (True, "", fetched, status, "", 0, fetched + timedelta(seconds=interval))


# --- Stories and key points ------------------------------------------------------------


@dataclass
class _StoryPlan:
    """Stories by rank (0 is the largest), and every article's time and story, oldest first."""

    sizes: list[int]
    topics: list[int]
    first: list[float]  # timestamp of each story's first and last article
    last: list[float]
    times: array  # publication timestamp of each article, ascending
    ranks: array  # story rank of each article, -1 for an article in no story
    outlets: array  # outlet rank of each article

    @classmethod
    def draw(cls, spec: ScaleSpec, now: datetime) -> "_StoryPlan":
        rng = _rng(spec, "stories")
        end = now.timestamp() - 60
        start = end - spec.days * 86400
        placed = spec.placed
        sizes = _story_sizes(placed, spec.stories) if spec.stories else []
        times, ranks = array("d"), array("l")
        first, last = [], []
        for rank, size in enumerate(sizes):
            began = rng.uniform(start, end - 3600)
            story_times = [began, *_follow_ups(rng, began, end, size - 1)]
            first.append(began)
            last.append(max(story_times))
            times.extend(story_times)
            ranks.extend([rank] * size)
        times.extend(rng.uniform(start, end) for _ in range(spec.articles - placed))
        ranks.extend([-1] * (spec.articles - placed))
        # Ids grow with time, as ingestion gives them.
        order = sorted(range(len(times)), key=times.__getitem__)
        times, ranks = array("d", (times[i] for i in order)), array("l", (ranks[i] for i in order))
        topics = [rng.randrange(_TOPICS) for _ in sizes]
        weights = _zipf_weights(spec.sources, OUTLET_SKEW)
        outlets = array("l", rng.choices(range(spec.sources), cum_weights=weights, k=len(times)))
        return cls(sizes, topics, first, last, times, ranks, outlets)

    def counters(self, buckets: list[str | None]) -> list[dict[str, int]]:
        """The counters stored on each story (stories.counters), by rank: its articles,
        the outlets covering it, and those per bias bucket."""
        covering = [set() for _ in self.sizes]
        for rank, outlet in zip(self.ranks, self.outlets, strict=True):
            if rank >= 0:
                covering[rank].add(outlet)
        per_bucket = [Counter(buckets[outlet] for outlet in outlets) for outlets in covering]
        return [
            {"article_count": size, "source_count": len(outlets)}
            | {f"{bucket}_count": count[bucket] for bucket in BUCKETS}
            for size, outlets, count in zip(self.sizes, covering, per_bucket, strict=True)
        ]


def _story_sizes(placed: int, count: int) -> list[int]:
    """Articles of each story by rank under Zipf's law: `placed` in all, at least one each."""
    weights = [1 / rank**STORY_SKEW for rank in range(1, count + 1)]
    exact = [placed * weight / sum(weights) for weight in weights]
    sizes = [max(1, int(share)) for share in exact]
    short = placed - sum(sizes)
    # Largest remainders take the articles rounding left over...
    for rank in sorted(range(count), key=lambda r: int(exact[r]) - exact[r])[: max(0, short)]:
        sizes[rank] += 1
    # ...and the largest stories give back what "at least one each" took too many.
    rank = 0
    while short < 0:
        if sizes[rank] > 1:
            sizes[rank] -= 1
            short += 1
        rank = (rank + 1) % count
    return sizes


def _follow_ups(rng: random.Random, began: float, end: float, count: int) -> list[float]:
    """Times of a story's later articles: most soon after the first, big stories for longer."""
    mean = 3600 * (3 + 6 * len(str(count + 1)))  # hours grow with the story's order of size
    times = []
    for _ in range(count):
        at = began + rng.expovariate(1 / mean)
        times.append(at if at <= end else rng.uniform(began, end))
    return times


# The counters are written with the stories: recounting a million articles afterwards
# (stories.counters.recount_stories) would take longer than generating them.
_STORY_FIELDS = (
    "id", "title", "slug", "status", "published_at", "created_at", "updated_at", *COUNTERS
)  # fmt: skip


def _write_stories(plan: _StoryPlan, outlets: _Outlets, spec, now: datetime, report) -> list[int]:
    """Write the stories and their key points; return the story ids by rank."""
    rng = _rng(spec, "story-rows")
    first_id = _next_id(Story)
    by_start = sorted(range(len(plan.sizes)), key=plan.first.__getitem__)
    ids = [0] * len(by_start)
    for offset, rank in enumerate(by_start):
        ids[rank] = first_id + offset
    always = max(1, len(ids) // 100)
    published = [
        rank < always or rng.random() >= _draft_chance(now.timestamp() - plan.first[rank])
        for rank in range(len(ids))
    ]
    counters = plan.counters(outlets.buckets)
    rows = [
        _story_row(ids[rank], plan, rank, published[rank], rng, now.timestamp())
        + tuple(counters[rank][name] for name in COUNTERS)
        for rank in by_start
    ]
    key_points = list(_key_point_rows(ids, published, plan.topics, rng, _next_id(KeyPoint)))
    # Each story's joined key points, as stories.search_text would store them.
    joined = defaultdict(list)
    for _, story_id, _, text in key_points:
        joined[story_id].append(text)
    rows = [row + (" ".join(joined[row[0]]),) for row in rows]
    report.created["stories"] = _insert(Story, (*_STORY_FIELDS, "key_points_text"), rows)
    report.published = sum(published)
    report.created["key_points"] = _insert(
        KeyPoint, ("id", "story_id", "position", "text"), key_points
    )
    return ids


def _draft_chance(age_seconds: float) -> float:
    """The chance that a story begun this long ago is still a draft."""
    fading = math.exp(-age_seconds / (DRAFT_HOURS * 3600))
    return NEVER_PUBLISHED_SHARE + (1 - NEVER_PUBLISHED_SHARE) * fading


def _story_row(pk, plan: _StoryPlan, rank, published: bool, rng: random.Random, now: float):
    title = _topic(plan.topics[rank])["title"]
    created = min(plan.first[rank] + rng.uniform(600, 1800), now - 120)
    published_at = min(created + rng.uniform(600, 3 * 3600), now - 60) if published else None
    updated = max(published_at or created, min(plan.last[rank] + 300, now - 1))
    return (
        pk,
        title,
        f"{slugify(title)[:150]}-{pk}",
        Story.Status.PUBLISHED.value if published else Story.Status.DRAFT.value,
        _utc(published_at) if published_at else None,
        _utc(created),
        _utc(updated),
    )


def _key_point_rows(ids, published, topics, rng: random.Random, pk: int):
    """Three to five key points for a published story; a draft has up to two so far."""
    for story_id, is_published, topic in zip(ids, published, topics, strict=True):
        count = rng.randint(3, 5) if is_published else rng.choice((0, 0, 1, 2))
        words = _topic(topic)
        for position, template in enumerate(KEY_POINTS[:count]):
            yield (pk, story_id, position, template.format(**words))
            pk += 1


_TOPICS = len(SUBJECTS) * len(ACTIONS) * len(OBJECTS) * len(CONTEXTS)


@cache
def _topic(index: int) -> dict[str, str]:
    """The words of a topic (one of _TOPICS), for the headline and key point templates."""
    index, context = divmod(index, len(CONTEXTS))
    index, obj = divmod(index, len(OBJECTS))
    subject, action = divmod(index, len(ACTIONS))
    words = {
        "S": SUBJECTS[subject],
        "s": SUBJECTS[subject].lower(),
        "a": ACTIONS[action],
        "o": OBJECTS[obj],
        "c": CONTEXTS[context],
    }
    words["title"] = HEADLINES[0].format(**words)
    words["slug"] = slugify(words["title"])
    return words


# --- Articles --------------------------------------------------------------------------

_ARTICLE_FIELDS = (
    "id", "source_id", "feed_id", "url", "guid", "title", "summary", "author", "image_url",
    "published_at", "fetched_at", "updated_at", "in_story",
)  # fmt: skip


def _write_articles(plan: _StoryPlan, outlets: _Outlets, story_ids, spec, now, report) -> None:
    """Write the articles, oldest first, then the links that place them in stories."""
    rng = _rng(spec, "articles")
    first_id = _next_id(Article)
    rows = _article_rows(plan, outlets, first_id, rng, now.timestamp())
    report.created["articles"] = _insert(Article, _ARTICLE_FIELDS, rows)
    links = _link_rows(plan, story_ids, first_id, _next_id(StoryArticle))
    report.created["story_articles"] = _insert(
        StoryArticle, ("id", "story_id", "article_id", "added_at", "lead", "published_at"), links
    )
    report.in_no_story = plan.ranks.count(-1)
    report.largest_story = max(plan.sizes, default=0)
    report.largest_source = Counter(plan.outlets).most_common(1)[0][1]


def _article_rows(plan: _StoryPlan, outlets: _Outlets, first_id, rng, now: float):
    for position, (at, rank) in enumerate(zip(plan.times, plan.ranks, strict=True)):
        pk = first_id + position
        outlet = plan.outlets[position]
        domain = outlets.domains[outlet]
        words = _topic(plan.topics[rank] if rank >= 0 else rng.randrange(_TOPICS))
        published = _utc(at)
        fetched = _utc(min(_fetched(plan.times, position), now))
        url = f"https://{domain}/{published:%Y/%m/%d}/{words['slug']}-{pk}"
        summary = (
            f"{words['S']} {words['a']} the {words['o']} {words['c']}, "
            f"{rng.choice(ATTRIBUTIONS)}. {rng.choice(FILLERS)}"
        )
        yield (
            pk,
            outlets.ids[outlet],
            rng.choice(outlets.feeds[outlet]),
            url,
            url,
            rng.choice(HEADLINES).format(**words),
            summary,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.8 else "",
            f"https://{domain}/images/{pk}.jpg" if rng.random() < 0.7 else "",
            published,
            fetched,
            fetched,
            rank >= 0,  # placed in a story by _link_rows
        )


def _link_rows(plan: _StoryPlan, story_ids, first_article: int, pk: int):
    """StoryArticle rows: each article placed in its story five minutes after it was fetched,
    with its article's date. Every one leads its copies: the invented articles have no copy
    key (sources/copies.py)."""
    for position, rank in enumerate(plan.ranks):
        if rank >= 0:
            added = _utc(_fetched(plan.times, position) + 300)
            published = _utc(plan.times[position])
            yield (pk, story_ids[rank], first_article + position, added, True, published)
            pk += 1


def _fetched(times: array, position: int) -> float:
    """When the article at `position` was fetched: one to thirty minutes after it came out."""
    return times[position] + 60 + (position * 7919) % 1740


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


# --- Writing in bulk -------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.aggregate(largest=Max("pk"))["largest"] or 0) + 1


def _insert(model, names: tuple[str, ...], rows) -> int:
    """Insert rows of the fields `names` into model's table; return how many.

    Fields not named take their default, so a field added later (a counter, say)
    does not break the generator. `rows` may be a generator, but one that queries
    nothing: on PostgreSQL the COPY holds the connection while it runs.
    """
    named = [model._meta.get_field(name) for name in names]
    rest = [f for f in model._meta.concrete_fields if f not in named]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in named + rest)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = (row + defaults for row in rows)
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    return _insert_batches(table, columns, len(named) + len(rest), rows)


def _copy(table: str, columns: str, rows) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _insert_batches(table: str, columns: str, width: int, rows, size: int = 5000) -> int:
    placeholders = ", ".join(["%s"] * width)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - quoted names
    ops, count = connection.ops, 0
    adapt = {datetime: ops.adapt_datetimefield_value, date: ops.adapt_datefield_value}
    with connection.cursor() as cursor:
        while batch := list(islice(rows, size)):
            cursor.executemany(sql, [[adapt.get(type(v), _same)(v) for v in row] for row in batch])
            count += len(batch)
    return count


def _same(value):
    return value


def _lock(*models) -> None:
    """Keep other writers out until commit, so none takes the ids chosen here (PostgreSQL).

    SQLite needs nothing: its transactions start IMMEDIATE, one writer at a time.
    """
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def _reset_sequences_and_analyze(*models) -> None:
    """Move id sequences past the ids written, and give the planner fresh statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Indexes of a table that no constraint uses (those stay: they keep the data valid).
_DROPPABLE_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


@contextmanager
def _indexes_built_after(*models, report: ScaleReport):
    """On PostgreSQL, drop the secondary indexes of empty tables while they fill and build
    them after: one sort each instead of a million inserts into each (the text search
    indexes most of all). A unique index built after still refuses duplicates."""
    indexes = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                if not model.objects.exists():
                    cursor.execute(_DROPPABLE_INDEXES, [model._meta.db_table])
                    indexes += cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
    yield
    if not indexes:
        return
    with connection.cursor() as cursor:
        with _step(report, "foreign keys"):
            # Checked now rather than at commit: PostgreSQL builds no index on a table
            # with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with _step(report, "indexes"):
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
