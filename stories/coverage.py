"""Coverage figures for a story, computed by the database.

coverage_for() answers in three queries whatever the number of articles:
one count of the covering sources grouped by their ratings, one aggregate
over the articles, one for the first reporter. Lists read the counters stored on each
story (stories/counters.py) through split_of().
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q

from sources.models import Article, Source
from sources.ratings import (
    BUCKET_LABELS,
    BUCKETS,
    NOT_RATED,
    UNRATED,
    Bias,
    Factuality,
    OwnerCategory,
)

from .models import StorySource


def _percentages(counts: dict[str, int]) -> dict[str, int]:
    """Whole percentages that add up to 100 (largest remainder), or all 0 when empty."""
    total = sum(counts.values())
    if not total:
        return dict.fromkeys(counts, 0)
    exact = {key: value * 100 / total for key, value in counts.items()}
    result = {key: int(value) for key, value in exact.items()}
    short = 100 - sum(result.values())
    for key in sorted(exact, key=lambda k: exact[k] - result[k], reverse=True)[:short]:
        result[key] += 1
    return result


@dataclass(frozen=True)
class BiasSplit:
    """Sources per bias bucket; percentages are of rated sources only."""

    left: int = 0
    center: int = 0
    right: int = 0
    unrated: int = 0

    @property
    def rated(self) -> int:
        return self.left + self.center + self.right

    @property
    def percentages(self) -> dict[str, int]:
        return _percentages({bucket: getattr(self, bucket) for bucket in BUCKETS})

    @property
    def largest(self) -> str | None:
        """The bucket with the most sources (ties go left to right), or None if none rated."""
        if not self.rated:
            return None
        return max(BUCKETS, key=lambda bucket: getattr(self, bucket))

    @property
    def sentence(self) -> str:
        """E.g. "41% of the sources are Center"."""
        largest = self.largest
        if largest is None:
            return "None of the sources has a bias rating yet"
        return f"{self.percentages[largest]}% of the sources are {BUCKET_LABELS[largest]}"

    def as_dict(self) -> dict:
        return {
            "left": self.left,
            "center": self.center,
            "right": self.right,
            "unrated": self.unrated,
            "percentages": self.percentages,
        }


def split_of(story) -> BiasSplit:
    """The BiasSplit of a story from its stored counters (no query)."""
    rated = [getattr(story, f"{bucket}_count") for bucket in BUCKETS]
    return BiasSplit(*rated, max(story.source_count - sum(rated), 0))


@dataclass(frozen=True)
class MixEntry:
    key: str | int | None
    label: str
    count: int
    percentage: int


@dataclass(frozen=True)
class Coverage:
    article_count: int
    source_count: int
    bias: BiasSplit
    ownership: list[MixEntry]
    first_article: Article | None
    last_updated: datetime | None
    # When the newest article came out (None without articles), for the page's timeline.
    latest_article_at: datetime | None = None
    # None unless the caller may see factuality data (see stories.premium).
    factuality: list[MixEntry] | None = field(default=None)


def mix_entries(row: dict, prefix: str, choices, missing_label: str) -> list[MixEntry]:
    """Entries of a mix from aggregate columns named "<prefix>_<value>" and "<prefix>_none"."""
    counts = {value: row[f"{prefix}_{value}"] for value, _ in choices}
    counts[None] = row[f"{prefix}_none"]
    percentages = _percentages(counts)
    labels = dict(choices) | {None: missing_label}
    return [MixEntry(key, labels[key], counts[key], percentages[key]) for key in counts]


def factuality_counts(*, sources: str = "") -> dict:
    """Aggregates "fact_<level>" and "fact_none": covering sources per factuality level.

    `sources` is the path from the model aggregated to the sources ("" for Source).
    """
    counted, path = (sources, f"{sources}__") if sources else ("id", "")
    counts = {
        f"fact_{value}": Count(
            counted, distinct=bool(sources), filter=Q(**{f"{path}factuality": value})
        )
        for value in Factuality.values
    }
    counts["fact_none"] = Count(
        counted, distinct=bool(sources), filter=Q(**{f"{path}factuality__isnull": True})
    )
    return counts


def factuality_mix(row) -> list[MixEntry]:
    """The factuality mix from the columns of factuality_counts(), in a dict or attributes."""
    if not isinstance(row, dict):
        row = {key: getattr(row, key) for key in factuality_counts()}
    return mix_entries(row, "fact", Factuality.choices, NOT_RATED)


def _source_counts(sources, *, with_factuality: bool) -> Counter:
    """Covering sources in all ("total"), per bias bucket, per owner category ("owner_<value>",
    "owner_none") and, when asked, per factuality level ("fact_<value>", "fact_none").

    One GROUP BY over the sources' ratings: at most 8 x 10 (x 6) groups whatever the number
    of sources, summed here. Cheaper to build than a filtered count per figure.
    """
    columns = ["bias", "owner__category", *(["factuality"] if with_factuality else [])]
    counts = Counter()
    for group in sources.order_by().values(*columns).annotate(n=Count("id")):
        n = group["n"]
        counts["total"] += n
        counts[Bias.bucket_of(group["bias"]) or UNRATED] += n
        counts[f"owner_{group['owner__category'] or 'none'}"] += n
        if with_factuality:
            counts[f"fact_{group['factuality'] or 'none'}"] += n
    return counts


def coverage_for(story, *, with_factuality: bool = False) -> Coverage:
    """Coverage figures for one story, in three queries.

    Factuality is computed only when with_factuality is true; callers pass
    may_see_factuality(user), so the figures cannot leak by accident.
    """
    articles = Article.objects.filter(story_link__story=story)
    # The covering outlets from the story's StorySource rows, which the recount keeps with
    # its counters: through the articles, a story with 20,000 of them took 0.27 s at 1M.
    sources = Source.objects.filter(
        id__in=StorySource.objects.filter(story=story).values("source_id")
    )
    row = _source_counts(sources, with_factuality=with_factuality)
    stats = articles.aggregate(
        count=Count("id"), earliest=Min("published_at"), latest=Max("published_at")
    )
    # The first reporter is looked up by its exact time, which the date index answers at
    # once; ordering the story's articles by date instead let PostgreSQL walk that index
    # from the oldest article in the database (1.2 s for a story at a million articles).
    first = (
        articles.filter(published_at=stats["earliest"])
        .select_related("source")
        .order_by("id")
        .first()
        if stats["earliest"]
        else None
    )

    bias = BiasSplit(
        row["left"], row["center"], row["right"],
        row["total"] - row["left"] - row["center"] - row["right"],
    )  # fmt: skip
    candidates = [moment for moment in (stats["latest"], story.updated_at) if moment]
    return Coverage(
        article_count=stats["count"],
        source_count=row["total"],
        bias=bias,
        ownership=mix_entries(row, "owner", OwnerCategory.choices, "Unknown owner"),
        first_article=first,
        last_updated=max(candidates) if candidates else None,
        latest_article_at=stats["latest"],
        factuality=factuality_mix(row) if with_factuality else None,
    )
