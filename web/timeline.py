"""The story page's coverage timeline: how many articles each side published, period by period.

The database counts the articles per period and outlet rating in one grouped query;
Python only fills the empty periods in and lays out the bars of an SVG that the
template (web/_timeline.html) draws, so neither the data nor the drawing needs a
script. The period adapts to the story's span (UNITS): hours for a story of two days,
days for one of three months, then weeks, then months, so a chart has at most about
a hundred bars.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import Trunc

from sources.models import Article
from sources.ratings import BUCKET_LABELS, BUCKETS, NOT_RATED, UNRATED, Bias
from stories.coverage import Coverage

# The longest span each period is used for; the last one takes every longer story.
UNITS = (
    ("hour", timedelta(hours=48)),
    ("day", timedelta(days=90)),
    ("week", timedelta(days=730)),
    ("month", None),
)
_STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
SIDES = (*BUCKETS, UNRATED)  # the order of every count, and of each bar's blocks from the bottom
SIDE_LABELS = BUCKET_LABELS | {UNRATED: NOT_RATED}

# The drawing's coordinates (its viewBox): about the width of the coverage column, so its
# text keeps its size there and on a phone; CSS scales it to the width it is given.
WIDTH, HEIGHT = 320, 156
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 28, 312, 26, 128
WIDEST_BAR = 24


@dataclass(frozen=True)
class Period:
    start: datetime
    label: str
    counts: tuple[int, ...]  # articles per side, in the order of SIDES
    total: int


@dataclass(frozen=True)
class SideTotal:
    side: str
    label: str
    count: int


@dataclass(frozen=True)
class Block:
    """One side's part of one bar, in the drawing's coordinates."""

    side: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Timeline:
    unit: str
    periods: list[Period]
    blocks: list[Block]
    totals: list[SideTotal]  # articles per side over the whole story
    peak: int  # the most articles in one period: the top of the scale
    first_x: float  # the middle of the first period's bar, where the first report is marked
    start_label: str  # short dates under the two ends of the axis
    end_label: str
    geometry: dict  # the viewBox and the plot's edges, for the template's axes and labels


def unit_for(span: timedelta) -> str:
    return next(unit for unit, longest in UNITS if longest is None or span <= longest)


def _next(start: datetime, unit: str) -> datetime:
    if unit == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start + _STEP[unit]


def period_label(start: datetime, unit: str) -> str:
    """The period's name in the table, e.g. "3 Mar 2026, 14:00 UTC" or "Week of 2 Mar 2026"."""
    if unit == "hour":
        return f"{start.day} {start:%b %Y, %H:00} UTC"
    if unit == "month":
        return f"{start:%B %Y}"
    return f"{'Week of ' if unit == 'week' else ''}{start.day} {start:%b %Y}"


def short_label(start: datetime, unit: str) -> str:
    """The period's name under the axis, e.g. "3 Mar 14:00", "3 Mar" or "Mar 2026"."""
    if unit == "hour":
        return f"{start.day} {start:%b %H:00}"
    if unit == "month":
        return f"{start:%b %Y}"
    return f"{start.day} {start:%b}"


def _periods(story, unit: str) -> list[Period]:
    """Every period from the first article's to the newest one's, empty ones too (one query)."""
    counted = {}
    rows = (
        Article.objects.filter(story_link__story=story)
        .annotate(period=Trunc("published_at", unit))
        .values("period", "source__bias")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts = counted.setdefault(row["period"], dict.fromkeys(SIDES, 0))
        counts[Bias.bucket_of(row["source__bias"]) or UNRATED] += row["n"]
    periods, start, last = [], min(counted, default=None), max(counted, default=None)
    while start is not None and start <= last:
        counts = tuple(counted.get(start, {}).get(side, 0) for side in SIDES)
        periods.append(Period(start, period_label(start, unit), counts, sum(counts)))
        start = _next(start, unit)
    return periods


def _blocks(periods: list[Period], peak: int) -> list[Block]:
    """Stacked bars across the plot: one Block per side with articles in a period."""
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(periods)
    width = min(slot * 0.8 if slot >= 3 else slot, WIDEST_BAR)
    scale = (PLOT_BOTTOM - PLOT_TOP) / peak
    blocks = []
    for index, period in enumerate(periods):
        x = round(PLOT_LEFT + index * slot + (slot - width) / 2, 2)
        bottom = PLOT_BOTTOM
        for side, count in zip(SIDES, period.counts, strict=True):
            if count:
                height = count * scale
                bottom -= height
                blocks.append(Block(side, x, round(bottom, 2), round(width, 2), round(height, 2)))
    return blocks


def timeline_for(story, coverage: Coverage) -> Timeline | None:
    """The story's timeline, from its first article to its newest (one query).

    The span comes from the story's coverage figures. None when the story has no
    dated article, which the page says in words.
    """
    first, latest = coverage.first_article, coverage.latest_article_at
    if first is None or latest is None:
        return None
    unit = unit_for(latest - first.published_at)
    periods = _periods(story, unit)
    if not periods:  # the articles left the story after its coverage was read
        return None
    peak = max(period.total for period in periods)
    totals = [sum(period.counts[i] for period in periods) for i in range(len(SIDES))]
    return Timeline(
        unit=unit,
        periods=periods,
        blocks=_blocks(periods, peak),
        totals=[SideTotal(s, SIDE_LABELS[s], n) for s, n in zip(SIDES, totals, strict=True)],
        peak=peak,
        first_x=round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) / len(periods) / 2, 2),
        start_label=short_label(periods[0].start, unit),
        end_label=short_label(periods[-1].start, unit) if len(periods) > 1 else "",
        geometry={
            "width": WIDTH,
            "height": HEIGHT,
            "left": PLOT_LEFT,
            "right": PLOT_RIGHT,
            "top": PLOT_TOP,
            "bottom": PLOT_BOTTOM,
        },
    )
