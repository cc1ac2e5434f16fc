"""How the left, the center and the right headline a story: one headline per side.

A side shows the article its editors pinned (a Perspective), or else its most
representative headline, picked by this rule:

1. The candidates are the side's CANDIDATES latest articles (newest first, then the
   higher id), chosen by the database: Python never gets more than seven times
   CANDIDATES rows (one window per bias value), whether the story has 60 articles or
   20,000.
2. Each headline is cut into terms: lower-case words, without the short words every
   headline uses ("the", "of", "to" …, STOP_WORDS).
3. A headline scores, for each of its terms, the number of the other candidates that
   use it too, summed and divided by the square root of its number of terms. That is
   its cosine with the side's combined headlines, up to a factor the whole side shares:
   the headline closest to what the side's outlets say together, neither favoured for
   being long nor for repeating one word.
4. The highest score wins; a tie goes to the newer article, then to the lower id, so
   the same articles always give the same pick.

A pin is honoured only while its article is in the story and its outlet is rated on
that side (pin_problem()); otherwise the side falls back to the rule, so a pinned
article later moved or detached never shows.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from sources.models import Article
from sources.ratings import BUCKET_LABELS, BUCKETS, Bias, bias_bucket_q

from .coverage import BiasSplit
from .models import Perspective

CANDIDATES = 50
STOP_WORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he", "her",
    "his", "in", "into", "is", "it", "its", "new", "of", "on", "or", "over", "says", "she",
    "than", "that", "the", "their", "they", "this", "to", "up", "was", "were", "what", "who",
    "will", "with",
])  # fmt: skip
_WORD = re.compile(r"\w+")
_HEADLINE_FIELDS = ["title", "url", "published_at", "source__name", "source__slug", "source__bias"]


@dataclass(frozen=True)
class Headline:
    title: str
    url: str
    published_at: datetime
    source_name: str
    source_slug: str
    bias_label: str


@dataclass(frozen=True)
class SidePerspective:
    """One side of the spectrum on a story; headline is None when no outlet of it covers it."""

    side: str
    label: str
    source_count: int
    headline: Headline | None
    pinned: bool
    summary: str


def pin_problem(*, side: str, story_id, in_story_id, source_name: str, source_bias) -> str:
    """Why an article cannot stand for `side` of story story_id, or "" when it can.

    in_story_id is the story the article is in now (None for none); source_name and
    source_bias describe its outlet.
    """
    if story_id is None or in_story_id != story_id:
        return "This article is not in this story: attach it and save the story, then pin it."
    bucket = Bias.bucket_of(source_bias)
    if bucket is None:
        return f"{source_name} has no bias rating, so its articles stand for no side."
    if bucket != side:
        return (
            f"{source_name} is rated {Bias.label_of(source_bias)}: its articles can be pinned "
            f"for the {BUCKET_LABELS[bucket]} only, not the {BUCKET_LABELS[side]}."
        )
    return ""


def terms(title: str) -> set[str]:
    """The words of a headline that say something, lower-cased."""
    return {word for word in _WORD.findall(title.casefold()) if word not in STOP_WORDS}


def most_representative(rows: list[dict]) -> dict | None:
    """The row whose "title" shares the most terms with the others' (rule in the module doc).

    Rows need "title", "published_at" and "id"; None when there are none.
    """
    if not rows:
        return None
    row_terms = [terms(row["title"]) for row in rows]
    used_by = Counter(term for each in row_terms for term in each)

    def rank(index: int) -> tuple:
        each = row_terms[index]
        shared = sum(used_by[term] - 1 for term in each)
        score = shared / math.sqrt(len(each)) if each else 0.0
        return score, rows[index]["published_at"], -rows[index]["id"]

    return rows[max(range(len(rows)), key=rank)]


def _headline(row: dict, prefix: str = "") -> Headline:
    return Headline(
        title=row[f"{prefix}title"],
        url=row[f"{prefix}url"],
        published_at=row[f"{prefix}published_at"],
        source_name=row[f"{prefix}source__name"],
        source_slug=row[f"{prefix}source__slug"],
        bias_label=Bias.label_of(row[f"{prefix}source__bias"]),
    )


def _candidates(story, sides: list[str]) -> dict[str, list[dict]]:
    """The CANDIDATES latest articles of each side, in one query.

    The window numbers the story's articles per bias value (seven at most): a CASE over
    the buckets would cost ten times more to build. Python then files the at most
    7 x CANDIDATES rows under their sides (Bias.bucket_of) and keeps each side's latest.
    The story's articles are read through its links, never by walking the date index of
    every article in the database, so the cost follows the size of the story.
    """
    rows = (
        Article.objects.filter(story_link__story=story)
        .filter(reduce(or_, (bias_bucket_q(side, through="source__") for side in sides)))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("source__bias"),
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=CANDIDATES)
        .order_by("-published_at", "-id")
        .values("id", *_HEADLINE_FIELDS)
    )
    by_side = {side: [] for side in sides}
    for row in rows:
        kept = by_side[Bias.bucket_of(row["source__bias"])]
        if len(kept) < CANDIDATES:
            kept.append(row)
    return by_side


def _pins(story) -> tuple[dict[str, Headline], dict[str, str]]:
    """The valid pinned headlines and the summaries of a story's perspectives, by side."""
    fields = [f"article__{field}" for field in _HEADLINE_FIELDS]
    rows = Perspective.objects.filter(story=story).values(
        "side", "summary", "article_id", "article__story_link__story_id", *fields
    )
    pinned, summaries = {}, {}
    for row in rows:
        summaries[row["side"]] = row["summary"]
        if row["article_id"] and not pin_problem(
            side=row["side"],
            story_id=story.pk,
            in_story_id=row["article__story_link__story_id"],
            source_name=row["article__source__name"],
            source_bias=row["article__source__bias"],
        ):
            pinned[row["side"]] = _headline(row, "article__")
    return pinned, summaries


def perspectives_for(story, *, bias: BiasSplit) -> list[SidePerspective]:
    """The left, center and right perspectives of a story, in at most two queries.

    bias is the story's BiasSplit from coverage_for(): a side none of whose sources
    covers the story gets no headline, which the page shows as news in itself.
    """
    pinned, summaries = _pins(story)
    open_sides = [side for side in BUCKETS if side not in pinned and getattr(bias, side)]
    candidates = _candidates(story, open_sides) if open_sides else {}
    result = []
    for side in BUCKETS:
        headline = pinned.get(side)
        if headline is None and candidates.get(side):
            headline = _headline(most_representative(candidates[side]))
        result.append(
            SidePerspective(
                side=side,
                label=BUCKET_LABELS[side],
                source_count=getattr(bias, side),
                headline=headline,
                pinned=side in pinned,
                summary=summaries.get(side, ""),
            )
        )
    return result
