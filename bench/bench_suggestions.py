"""Story suggestions: quality and speed on the labelled file, and cost against history.

1. Replays the labelled UCI News Aggregator sample (Gasparetti 2016, CC BY 4.0) through
   the engine, as `manage.py evaluate_clustering` does, and prints B-cubed F1, top-3
   accuracy and articles per second against their targets; then the same on halves of
   the file (by time, and by story) and with the arrival order mixed up.
2. Places 1,000 articles after 10,000 and after 100,000 older articles (synthetic,
   older than the window) and prints the cost per article of each and their ratio:
   what left the window costs nothing. Then the same with ten times more articles
   inside the window.

    python bench/bench_suggestions.py [--file PATH]
"""

import argparse
import dataclasses
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk.engine.engine import Engine  # noqa: E402
from desk.engine.model import HOUR, Article  # noqa: E402
from desk.engine.replay import evaluate  # noqa: E402
from desk.labelled import read_labelled  # noqa: E402

FILE_NAME = "clustering/uci-news-aggregator-sample.csv"
CANDIDATES = [ROOT.parent / "shared" / FILE_NAME, Path("/work/shared") / FILE_NAME]
TARGETS = {"b3_f1": 0.88, "top3": 0.98, "articles_per_second": 500}


def labelled_file(given: str | None) -> Path | None:
    if given:
        return Path(given)
    found = [path for path in CANDIDATES if path.exists()]
    return Path(os.environ.get("NEWSROOM_CLUSTERING_FILE", found[0] if found else "")) or None


def line(name: str, scores) -> str:
    return (
        f"{name:<28} B-cubed P {scores.b3_precision:.3f} R {scores.b3_recall:.3f} "
        f"F1 {scores.b3_f1:.3f}  top-1 {scores.top1:.3f} top-3 {scores.top3:.3f}  "
        f"{scores.articles_per_second:,.0f}/s  ({scores.articles} articles)"
    )


def quality(path: Path) -> None:
    rows = read_labelled(path)
    scores = evaluate(rows)
    print(line("whole file", scores))
    for key, target in TARGETS.items():
        value = getattr(scores, key)
        verdict = "meets" if value >= target else "MISSES"
        print(f"  {key} {value:,.3f} (target >= {target}): {verdict} the target")
    rows.sort(key=lambda row: row.article.at)
    half = len(rows) // 2
    stories = sorted({row.story for row in rows})
    random.Random(1).shuffle(stories)
    first_half = set(stories[: len(stories) // 2])
    print(line("first half in time", evaluate(rows[:half])))
    print(line("second half in time", evaluate(rows[half:])))
    print(line("half of the stories", evaluate([r for r in rows if r.story in first_half])))
    print(line("the other half", evaluate([r for r in rows if r.story not in first_half])))
    # The file's articles arrive story by story; spread over its 36 hours at random,
    # stories interleave as in a busy feed and time says much less.
    rng = random.Random(1)
    start, end = rows[0].article.at, rows[-1].article.at
    mixed = [
        dataclasses.replace(r, article=dataclasses.replace(r.article, at=rng.uniform(start, end)))
        for r in rows
    ]
    print(line("arrival order mixed up", evaluate(mixed)))


def synthetic(n: int, at: float, rng: random.Random) -> Article:
    """An article of one of many small events: its own words plus common ones."""
    event = n // 8
    words = [f"event{event}w{i}" for i in rng.sample(range(6), 4)]
    words += rng.sample(["report", "update", "city", "market", "court", "police"], 2)
    return Article(n, " ".join(words), at, "", f"outlet{rng.randrange(300)}")


def per_article_cost(older: int, recent: int) -> float:
    """Seconds per article placed after `older` articles from before the window and
    `recent` ones inside it (the best of three runs of 1,000, against machine noise)."""
    rng = random.Random(older + recent)
    engine = Engine()
    window = engine.tuning.window_hours * HOUR
    step = window / recent  # the recent ones fill the window evenly
    for n in range(older):  # one a minute, ending before the window starts
        engine.remember(synthetic(n, (n - older) * 60.0 - window, rng), n // 8)
    for n in range(older, older + recent):
        engine.remember(synthetic(n, (n - older - recent) * step, rng), n // 8)
    runs = []
    for run in range(3):
        first = older + recent + run * 1_000
        started = time.process_time()
        for n in range(first, first + 1_000):
            engine.place(synthetic(n, (n - first) * 0.1, rng))
        runs.append((time.process_time() - started) / 1_000)
    return min(runs)


def growth() -> None:
    """Cost per article as what is stored grows: history outside the window, then the
    window itself."""
    small, large = per_article_cost(10_000, 3_000), per_article_cost(100_000, 3_000)
    print(
        f"cost per article after 10,000 older articles {small * 1e3:.3f} ms, after 100,000 "
        f"{large * 1e3:.3f} ms: ratio {large / small:.2f} (target <= 1.2: history costs nothing)"
    )
    busy = per_article_cost(0, 30_000)
    print(
        f"cost per article with 30,000 articles in the window {busy * 1e3:.3f} ms against "
        f"3,000: ratio {busy / small:.2f} (bounded by the postings read per word)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", help="a labelled CSV file (default: the shared sample)")
    args = parser.parse_args()
    path = labelled_file(args.file)
    if path and path.exists():
        quality(path)
    else:
        print("labelled file not found (pass --file): skipping the quality figures")
    growth()


if __name__ == "__main__":
    main()
