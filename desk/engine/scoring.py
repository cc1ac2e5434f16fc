"""How well an article fits each story in the window.

- Words: half the cosine with the story's centre (the mean tf-idf vector of its
  articles, which rewards the words the whole story keeps using), half the best cosine
  with one of its articles (which catches a story whose headlines drift).
- Time: a story's pull fades when it falls silent for longer than its own rhythm, ten
  of its usual gaps between articles: a story that gets an article a minute is stale
  after a quiet quarter-hour, one that gets an article an hour is not.
- Outlet: an outlet seldom files two articles on one event, so a story that already
  has one from this outlet fits a little less.
- Liveness: the stories of the latest articles are always candidates, and a story
  holding a large share of them ranks higher and needs less textual evidence: news
  arrives in bursts, and a headline with few words in common ("Monday television")
  most likely follows the story everyone is writing about.
"""

import math
from collections import defaultdict

from .model import HOUR, Candidate
from .window import Story, Window


def nearest(window: Window, query: dict[str, float], norm: float) -> dict:
    """Best cosine per story with one of its articles, over the newest postings of each term."""
    dots: dict = defaultdict(float)
    scanned = window.tuning.postings_scanned
    articles = window.articles
    for term, weight in query.items():
        posting = window.postings.get(term)
        if not posting:
            continue
        weight *= window.idf(term)
        for n, key in enumerate(reversed(posting)):
            if n == scanned:
                break
            dots[key] += weight * articles[key].weights[term]
    best: dict = {}
    for key, dot in dots.items():
        held = articles[key]
        cosine = dot / (norm * held.norm)
        if cosine > best.get(held.story, 0.0):
            best[held.story] = cosine
    return best


def centre_cosine(window: Window, story: Story, query: dict[str, float], norm: float) -> float:
    """Cosine between the article and the story's mean term vector (`query` holds the
    article's weights times idf squared)."""
    counts = story.counts
    dot = sum(w * counts[t] for t, w in query.items() if t in counts) / len(story.members)
    return dot / (norm * window.story_norm(story))


def fit(window: Window, story: Story, text: float, at: float, outlet: str) -> float:
    """The text score, faded by the story's silence and lowered for a repeated outlet."""
    tuning = window.tuning
    gap = story.usual_gap(tuning.lone_gap_hours * HOUR)
    scale = tuning.rhythm_gaps * gap + tuning.rhythm_floor_minutes * 60
    score = text / (1.0 + max(at - story.last_at, 0.0) / scale)
    if outlet and outlet in story.outlets:
        score *= tuning.outlet_factor
    return score


def score_stories(window: Window, weights: dict, at: float, outlet: str) -> list:
    """(rank, story, fit, share of the latest articles) for every story sharing a word
    or holding one of the latest articles, best rank first."""
    tuning = window.tuning
    idf = {t: window.idf(t) for t in weights}
    query = {t: w * idf[t] for t, w in weights.items()}
    norm = math.sqrt(sum(v * v for v in query.values()))
    near = nearest(window, query, norm) if norm else {}
    squared = {t: v * idf[t] for t, v in query.items()}
    live = window.live()
    latest = max(sum(live.values()), 1)
    # The centre is compared only for the stories whose nearest article is among the
    # best, and for the live ones: a story with no close article cannot rank high.
    shortlist = sorted(near, key=near.__getitem__, reverse=True)[: tuning.shortlist]
    scored = []
    # In a fixed order (not a set's), so that ties rank the same in every run.
    for key in dict.fromkeys([*shortlist, *live]):
        story = window.stories[key]
        text = near.get(key, 0.0) * (1 - tuning.centre_weight)
        if norm:
            text += tuning.centre_weight * centre_cosine(window, story, squared, norm)
        fitted = fit(window, story, text, at, outlet)
        share = live.get(key, 0) / latest
        scored.append((fitted + tuning.share_bonus * share, key, fitted, share))
    scored.sort(key=lambda row: -row[0])
    return scored


def attaches(window: Window, fitted: float, share: float) -> bool:
    """Whether the engine would file the article in this story without asking."""
    tuning = window.tuning
    return fitted >= tuning.attach_threshold * (1 - tuning.share_relief * share)


def reason(window: Window, story: Story, words: dict, weights: dict, at: float) -> str:
    """Why the story fits, in an editor's words: the shared words that weigh most, and
    how much of the story is recent."""
    shared = sorted(
        (t for t in weights if t in story.counts), key=lambda t: -story.counts[t] * window.idf(t)
    )[:3]
    size = len(story.members)
    said = f"shares: {', '.join(words[t] for t in shared)}" if shared else "no words in common"
    return f"{said}; {recent_count(story, at)} of its {size} article{'s' * (size != 1)} within 6 h"


def recent_count(story: Story, at: float, limit: int = 1000) -> str:
    """How many of the story's articles are within six hours of `at`, newest first, and
    counted no further than `limit` so that a huge story costs no more than a big one."""
    count = 0
    for held in reversed(story.members.values()):
        if at - held.at > 6 * HOUR or count == limit:
            break
        count += abs(at - held.at) <= 6 * HOUR
    return f"{count}+" if count == limit else str(count)


def candidates(window: Window, scored: list, weights: dict, words: dict, at: float) -> list:
    """The best-ranked stories above the floor, as `Candidate`s with reasons."""
    tuning = window.tuning
    found = []
    for rank, key, *_ in scored:
        if rank < tuning.suggest_floor or len(found) == tuning.top:
            break
        reason_text = reason(window, window.stories[key], words, weights, at)
        # The rank is at most 1 + the share bonus; editors see it from 0 to 1.
        score = round(rank / (1 + tuning.share_bonus), 3)
        found.append(Candidate(key, score, reason_text))
    return found
