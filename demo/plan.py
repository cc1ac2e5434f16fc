"""The demo as a complete, deterministic plan: a seeded random.Random, no clock, no database."""

import random
from collections import Counter
from dataclasses import dataclass
from itertools import cycle

from django.utils.text import slugify

from .content import (
    FIRST_NAMES,
    INBOX_PER_TOPIC,
    INBOX_TOPICS,
    LAST_NAMES,
    LOCAL_BIASES,
    LOCAL_FACTUALITY,
    LOCAL_OWNERS,
    MASTHEADS,
    NAMED_OUTLETS,
    REFERENCE,
    SEED,
    STORIES,
    TOWNS,
    OutletSpec,
    StoryContent,
)


def local_outlets(rng: random.Random) -> list[OutletSpec]:
    """Forty small local papers: two per town, names and ratings fixed by the seed."""
    biases = list(LOCAL_BIASES)
    rng.shuffle(biases)
    facts, owners = cycle(LOCAL_FACTUALITY), cycle(LOCAL_OWNERS)
    outlets = []
    for i in range(40):
        town = TOWNS[i % len(TOWNS)]
        name = f"{town} {MASTHEADS[(i * 5 + i // len(TOWNS)) % len(MASTHEADS)]}"
        outlets.append(
            OutletSpec(
                name,
                slugify(name).replace("-", "") + ".example",
                biases[i],
                next(facts),
                next(owners),
                description=f"Local news for {town} and the surrounding county.",
                place=town,
                rated_days_ago=rng.randint(20, 400),
            )
        )
    return outlets


# --- The plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleSpec:
    outlet: OutletSpec
    url: str
    title: str
    summary: str
    author: str
    minutes_ago: int


@dataclass(frozen=True)
class StorySpec:
    content: StoryContent
    articles: list[ArticleSpec]
    minutes_ago: int  # when the story was published


@dataclass(frozen=True)
class DemoPlan:
    outlets: list[OutletSpec]
    stories: list[StorySpec]
    inbox: list[ArticleSpec]

    @property
    def articles(self) -> list[ArticleSpec]:
        return [a for story in self.stories for a in story.articles] + self.inbox


def _minutes(hours: float) -> int:
    return max(int(hours * 60), 5)


def _headline(rng, content: StoryContent, outlet: OutletSpec) -> str:
    """An outlet's first headline: its own side's framing mostly, a local angle sometimes."""
    if outlet.place and content.local and rng.random() < 0.3:
        return rng.choice(content.local).format(place=outlet.place)
    own = content.headlines.get(outlet.bucket, ())
    pool = own if own and rng.random() < 0.7 else content.headlines["center"]
    return rng.choice(pool)


def _story_outlets(rng, content: StoryContent, by_bucket: dict) -> list[OutletSpec]:
    """The outlets covering a story, each once, plus those that write again."""
    if content.sources is None:
        chosen = [outlet for outlets in by_bucket.values() for outlet in outlets]
    else:
        chosen = [
            outlet
            for bucket, count in content.sources.items()
            for outlet in rng.sample(by_bucket[bucket], count)
        ]
    return chosen + rng.sample(chosen, content.extra_articles)


def _reference_outlets(outlets: list[OutletSpec]) -> list[OutletSpec]:
    """About 160 articles: named outlets write 3–5 each, local papers 1–3."""
    named, local = outlets[: len(NAMED_OUTLETS)], outlets[len(NAMED_OUTLETS) :]
    return [
        outlet
        for group, counts in ((named, (5, 4, 3, 4)), (local, (2, 1, 3, 2)))
        for outlet, count in zip(group, cycle(counts))
        for _ in range(count)
    ]


def _articles(rng, content: StoryContent, covering: list[OutletSpec]) -> list[ArticleSpec]:
    """Articles for a story; the first outlet listed reports first.

    An outlet's later articles are follow-ups, each different and each published
    after its previous one.
    """
    first = _minutes(content.first_hours_ago)
    last = _minutes(content.first_hours_ago - content.span_hours)
    previous: dict[str, int] = {}  # outlet slug -> minutes ago of its latest article
    follow_up_start: dict[str, int] = {}
    seen: Counter = Counter()
    articles = []
    for i, outlet in enumerate(covering):
        nth = seen[outlet.slug]
        seen[outlet.slug] += 1
        if nth == 0:
            title = _headline(rng, content, outlet)
            minutes = first if i == 0 else rng.randint(last, first - 1)
        else:
            start = follow_up_start.setdefault(outlet.slug, rng.randrange(len(content.follow_ups)))
            title = content.follow_ups[(start + nth - 1) % len(content.follow_ups)]
            minutes = rng.randint(last, max(previous[outlet.slug] - 1, last))
        previous[outlet.slug] = minutes
        articles.append(
            ArticleSpec(
                outlet=outlet,
                url=f"https://{outlet.domain}/{content.section}/{content.slug}-{nth + 1}",
                title=title,
                summary=rng.choice(content.summaries),
                author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                minutes_ago=minutes,
            )
        )
    return articles


def _inbox(rng, outlets: list[OutletSpec]) -> list[ArticleSpec]:
    articles = []
    for topic, titles, summary in INBOX_TOPICS:
        for n, outlet in enumerate(rng.sample(outlets, INBOX_PER_TOPIC), start=1):
            title = titles[(n - 1) % len(titles)]
            articles.append(
                ArticleSpec(
                    outlet=outlet,
                    url=f"https://{outlet.domain}/{topic}/{slugify(title)}-{n}",
                    title=title,
                    summary=summary,
                    author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    minutes_ago=rng.randint(5, 12 * 60),
                )
            )
    return articles


def build_plan() -> DemoPlan:
    """The whole demo as plain data; the same every time (a fixed seed, no clock)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo text, not security
    outlets = NAMED_OUTLETS + local_outlets(rng)
    by_bucket: dict[str, list[OutletSpec]] = {}
    for outlet in outlets:
        by_bucket.setdefault(outlet.bucket, []).append(outlet)
    stories = []
    for content in STORIES:
        covering = (
            _reference_outlets(outlets)
            if content is REFERENCE
            else _story_outlets(rng, content, by_bucket)
        )
        articles = _articles(rng, content, covering)
        # Editors publish about an hour after the first report.
        published = max(_minutes(content.first_hours_ago) - 60, 1)
        stories.append(StorySpec(content, articles, published))
    return DemoPlan(outlets, stories, _inbox(rng, outlets))
