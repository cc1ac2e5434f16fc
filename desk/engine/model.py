"""What goes into the engine and what comes out of it."""

from collections.abc import Hashable
from dataclasses import dataclass

HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Article:
    """An article as the engine sees it; `at` is its time in seconds since the epoch."""

    key: Hashable
    title: str
    at: float
    summary: str = ""
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A story the article may belong to, how well it fits (0-1) and why, in words."""

    story: Hashable
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The best candidate stories for one article, best first."""

    article: Hashable
    candidates: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class Proposal:
    """Articles in no story that look like one new story: how many, from how many
    outlets, the newest of them (oldest first) and why."""

    articles: tuple[Hashable, ...]
    size: int
    outlets: int
    reason: str


@dataclass(frozen=True, slots=True)
class Tuning:
    """The engine's knobs. The defaults are round values chosen for the method and
    checked on separate halves of the labelled file (docs/suggestions.md)."""

    window_hours: float = 72.0
    # Hard bound on the articles held, however many arrive inside the window.
    max_articles: int = 200_000
    # The newest postings read per term: bounds the work per article when a word is in
    # thousands of recent headlines.
    postings_scanned: int = 200
    # Stories whose centre is compared: those of the best nearest articles (plus the live).
    shortlist: int = 12
    # A word found only in the summary counts for less than a headline word.
    summary_weight: float = 0.5
    # Text score = this share of the story-centre cosine + the rest of the nearest article's.
    centre_weight: float = 0.5
    # A story's pull halves after this many of its usual gaps between articles, plus a
    # floor; a story of one article is given a usual gap of an hour.
    rhythm_gaps: float = 10.0
    rhythm_floor_minutes: float = 10.0
    lone_gap_hours: float = 1.0
    # An outlet seldom files two articles on one event.
    outlet_factor: float = 0.9
    # The stories of the latest articles are candidates whatever their words, and a
    # story's share of them ("live" stories) raises its rank and lowers its bar.
    latest_articles: int = 16
    share_bonus: float = 0.2
    share_relief: float = 0.7
    # Attach automatically when the fit reaches this (times 1 - relief x share).
    attach_threshold: float = 0.2
    # Candidates ranking under this are not worth an editor's look.
    suggest_floor: float = 0.05
    top: int = 3
    # A proposed new story needs this many articles from this many outlets.
    proposal_articles: int = 3
    proposal_outlets: int = 2
