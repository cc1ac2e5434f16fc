"""The engine's memory: the articles of the last hours, their stories, and an index.

Everything here is bounded by the time window and by `Tuning.max_articles`: an
article older than the window is forgotten (its terms leave the index and the counts,
its story shrinks, an empty story is dropped), so the cost of placing one article
depends on how much arrived recently, not on how much was ever stored.
"""

import heapq
import math
from collections import Counter, deque
from collections.abc import Hashable

from .model import HOUR, Article, Tuning
from .text import terms


class Held:
    """An article in the window: its weighted terms and the story it is in."""

    __slots__ = ("key", "weights", "words", "norm", "outlet", "at", "story")

    def __init__(self, article: Article, weights: dict, words: dict, story: Hashable):
        self.key = article.key
        self.weights = weights
        self.words = words
        self.norm = 1.0
        self.outlet = article.outlet.casefold()
        self.at = article.at
        self.story = story


class Story:
    """A story as the window knows it: the sum of its articles' term weights, its
    outlets, and its rhythm (first and last times and articles seen, which removals
    leave alone: they describe the story's life, not what the window still holds)."""

    __slots__ = (
        "key",
        "counts",
        "members",
        "outlets",
        "first_at",
        "last_at",
        "seen",
        "provisional",
        "norm",
    )

    def __init__(self, key: Hashable, provisional: bool):
        self.key = key
        self.counts: Counter = Counter()
        self.members: dict[Hashable, Held] = {}
        self.outlets: Counter = Counter()
        self.first_at = math.inf
        self.last_at = -math.inf
        self.seen = 0
        self.provisional = provisional
        self.norm = None  # (length, size it was computed at): see Window.story_norm

    def add(self, held: Held) -> None:
        self.members[held.key] = held
        self.counts.update(held.weights)
        self.outlets[held.outlet] += 1
        self.first_at = min(self.first_at, held.at)
        self.last_at = max(self.last_at, held.at)
        self.seen += 1

    def usual_gap(self, lone: float) -> float:
        """Seconds between two of its articles, on average (`lone` for a single one)."""
        return (self.last_at - self.first_at) / (self.seen - 1) if self.seen > 1 else lone

    def remove(self, held: Held) -> None:
        del self.members[held.key]
        self.counts.subtract(held.weights)
        for term in held.weights:
            if self.counts[term] <= 1e-9:
                del self.counts[term]
        self.outlets[held.outlet] -= 1
        if not self.outlets[held.outlet]:
            del self.outlets[held.outlet]


def article_weights(article: Article, summary_weight: float) -> tuple[dict, dict]:
    """Term weights of an article (headline words 1, summary-only words less) and the
    words as written, for reasons."""
    words = terms(article.title)
    weights = dict.fromkeys(words, 1.0)
    if article.summary:
        for term, word in terms(article.summary).items():
            if term not in weights:
                weights[term] = summary_weight
                words[term] = word
    return weights, words


class Window:
    """Articles and stories of the last `window_hours`, with a term -> articles index."""

    def __init__(self, tuning: Tuning):
        self.tuning = tuning
        self.articles: dict[Hashable, Held] = {}
        self.stories: dict[Hashable, Story] = {}
        self.df: Counter = Counter()
        self.postings: dict[str, dict[Hashable, None]] = {}
        self.latest: deque = deque(maxlen=tuning.latest_articles)
        self._expiry: list[tuple[float, int, Hashable]] = []
        self._seq = 0
        self.now = -math.inf

    def fresh_key(self) -> int:
        """A number nothing else in this window was given."""
        self._seq += 1
        return self._seq

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency among the articles held now."""
        return math.log((1 + len(self.articles)) / (1 + self.df[term])) + 1.0

    def advance(self, at: float) -> None:
        """Move the clock to `at` (never back) and forget what fell out of the window."""
        self.now = max(self.now, at)
        horizon = self.now - self.tuning.window_hours * HOUR
        expiry = self._expiry
        while expiry and (expiry[0][0] <= horizon or len(self.articles) > self.tuning.max_articles):
            self.forget(heapq.heappop(expiry)[2])

    def add(
        self, article: Article, story_key: Hashable, *, provisional: bool = False, terms=None
    ) -> None:
        """File the article in the story (created if new); refiling moves it. `terms` are
        its (weights, words) when the caller has them already."""
        if article.key in self.articles:
            self.forget(article.key)
        weights, words = terms or article_weights(article, self.tuning.summary_weight)
        held = Held(article, weights, words, story_key)
        held.norm = math.sqrt(sum((w * self.idf(t)) ** 2 for t, w in weights.items())) or 1.0
        self.articles[held.key] = held
        self.df.update(weights.keys())
        for term in weights:
            self.postings.setdefault(term, {})[held.key] = None
        story = self.stories.get(story_key)
        if story is None:
            story = self.stories[story_key] = Story(story_key, provisional)
        story.add(held)
        self.latest.append(held.key)
        heapq.heappush(self._expiry, (held.at, self.fresh_key(), held.key))
        self.advance(held.at)

    def forget(self, key: Hashable) -> None:
        """Drop an article from the window (a no-op when it already left)."""
        held = self.articles.pop(key, None)
        if held is None:
            return
        for term in held.weights:
            self.df[term] -= 1
            if not self.df[term]:
                del self.df[term]
            posting = self.postings[term]
            del posting[key]
            if not posting:
                del self.postings[term]
        story = self.stories[held.story]
        story.remove(held)
        if not story.members:
            del self.stories[held.story]

    def live(self) -> Counter:
        """How many of the latest articles each story holds."""
        found = Counter()
        for key in self.latest:
            held = self.articles.get(key)
            if held is not None:
                found[held.story] += 1
        return found

    def story_norm(self, story: Story) -> float:
        """Length of the story's mean term vector. It is recomputed (with the idf of the
        moment) only once the story has grown by a tenth since: a big live story would
        otherwise cost a pass over all its words for every article."""
        size = len(story.members)
        if story.norm is None or size > story.norm[1] * 1.1 or size < story.norm[1] * 0.9:
            df, total = self.df, 1 + len(self.articles)
            squares = sum(
                (c / size * (math.log(total / (1 + df[t])) + 1.0)) ** 2
                for t, c in story.counts.items()
            )
            story.norm = (math.sqrt(squares) or 1.0, size)
        return story.norm[0]
