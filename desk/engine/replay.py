"""Replaying labelled articles through the engine, and scoring what it did.

Two replays, both in time order through `Engine.place`, neither letting the engine see
a label before it has placed the article:
- unattended: every article is filed where the engine would file it (the best story
  above the attach threshold, else a new story); the grouping that results is scored
  with B-cubed precision, recall and F1 against the labels;
- at the desk: after each suggestion an editor files the article in its labelled
  story, as editors do; top-1/top-3 accuracy is how often that story, when it already
  had articles in the window, was the first / among the three suggested.
"""

import time
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from .engine import Engine
from .model import Article, Tuning


@dataclass(frozen=True, slots=True)
class Labelled:
    article: Article
    story: Hashable


@dataclass(frozen=True, slots=True)
class Scores:
    b3_precision: float
    b3_recall: float
    b3_f1: float
    top1: float
    top3: float
    articles_per_second: float
    articles: int
    stories: int
    groups: int


def in_time_order(rows: Sequence[Labelled]) -> list[Labelled]:
    """Rows by time; ties keep the file's order."""
    return sorted(rows, key=lambda row: row.article.at)


def unattended(rows: Sequence[Labelled], tuning: Tuning | None = None) -> list[Hashable]:
    """The group the engine files each article in, row by row (labels unused)."""
    engine = Engine(tuning, creates_stories=True)
    groups = []
    for row in rows:
        engine.place(row.article)
        groups.append(engine.window.articles[row.article.key].story)
    return groups


def at_the_desk(rows: Sequence[Labelled], tuning: Tuning | None = None) -> tuple[float, float]:
    """Top-1 and top-3 accuracy when an editor files each article after its suggestion."""
    engine = Engine(tuning)
    asked = first = among = 0
    for row in rows:
        existed = row.story in engine.window.stories
        suggestion, _ = engine.place(row.article)
        if existed:
            suggested = [candidate.story for candidate in suggestion.candidates]
            asked += 1
            first += suggested[:1] == [row.story]
            among += row.story in suggested
        engine.remember(row.article, row.story)
    return (first / asked, among / asked) if asked else (1.0, 1.0)


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float]:
    """B-cubed precision and recall of a grouping against the labels, item-averaged."""
    pairs = Counter(zip(predicted, gold, strict=True))
    in_predicted, in_gold = Counter(predicted), Counter(gold)
    precision = recall = 0.0
    for (group, story), both in pairs.items():
        precision += both * both / in_predicted[group]
        recall += both * both / in_gold[story]
    return precision / len(gold), recall / len(gold)


def evaluate(rows: Sequence[Labelled], tuning: Tuning | None = None) -> Scores:
    """Both replays over the rows in time order, with the unattended one timed in CPU
    seconds of this process (one core, whatever else the machine is doing)."""
    rows = in_time_order(rows)
    started = time.process_time()
    predicted = unattended(rows, tuning)
    elapsed = time.process_time() - started
    gold = [row.story for row in rows]
    precision, recall = bcubed(predicted, gold)
    top1, top3 = at_the_desk(rows, tuning)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        b3_precision=precision,
        b3_recall=recall,
        b3_f1=f1,
        top1=top1,
        top3=top3,
        articles_per_second=len(rows) / elapsed if elapsed else float("inf"),
        articles=len(rows),
        stories=len(set(gold)),
        groups=len(set(predicted)),
    )
