"""Lighthouse on the public pages, served the way production serves them, against fixed targets.

A throwaway SQLite database gets the demo data and a story of 160 articles from 40
sources; gunicorn serves it with production settings (DEBUG off, the static files
collected into the manifest and served by WhiteNoise, the page cache on). Lighthouse
(npm, pinned in package.json) drives Debian's Chromium through CHROME_PATH with its
default mobile profile; it never downloads a browser. Each page is audited RUNS times
and the run with the median performance score is reported, as Lighthouse itself
advises, because a busy machine moves single runs.

Exits non-zero when a page misses a target; the topic page is skipped, with a note,
when the project has no topics.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import bench_api  # beside this script
import bench_floor

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lowest acceptable score per category (0-100), and the highest cumulative layout shift.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
MAX_CLS = 0.05
RUNS = 3
ATTEMPTS = 3


def pages_to_audit(big_story: str) -> tuple[dict[str, str], list[str]]:
    """Page name -> path, and notes on pages skipped. Reads the database prepared above."""
    from django.urls import NoReverseMatch, reverse

    from sources.models import Source

    source = Source.objects.filter(articles__story_link__story__slug=big_story).first()
    pages = {
        "home": reverse("home"),
        f"story ({bench_api.BIG_STORY_ARTICLES} articles)": reverse(
            "story_detail", args=[big_story]
        ),
    }
    notes = []
    try:
        from stories.models import Topic

        topic = Topic.objects.filter(stories__isnull=False).order_by("name").first()
        if topic is None:
            raise LookupError("no topic has stories")
        pages["topic"] = reverse("topic_detail", args=[topic.slug])
    except (ImportError, LookupError, NoReverseMatch) as reason:
        notes.append(f"topic page skipped: {reason}")
    pages["source"] = reverse("source_detail", args=[source.slug])
    return pages, notes


def audit(url: str, report_path: Path) -> dict:
    """One Lighthouse run: {category: score 0-100, "cls": value, "failed": [audit ids]}.

    A run that could not record the page (Lighthouse says "Please run Lighthouse again",
    e.g. NO_NAVSTART on a busy machine) is repeated, up to ATTEMPTS times.
    """
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report_path}",
             f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
        )  # fmt: skip
        report = json.loads(report_path.read_text()) if finished.returncode == 0 else {}
        if report and not report.get("runtimeError"):
            break
        print(f"  Lighthouse could not record {url} (attempt {attempt} of {ATTEMPTS})")
    else:
        raise RuntimeError(f"Lighthouse could not audit {url}")
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["failed"] = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    return scores


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median one."""
    middle = statistics.median_low(run["performance"] for run in runs)
    return next(run for run in runs if run["performance"] == middle)


def misses(scores: dict) -> list[str]:
    found = [f"{name} {scores[name]} < {target}" for name, target in TARGETS.items()
             if scores[name] < target]  # fmt: skip
    if scores["cls"] >= MAX_CLS:
        found.append(f"CLS {scores['cls']:.3f} >= {MAX_CLS}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="Lighthouse runs per page")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci`")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")

    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as data_dir:
        env = bench_floor.environment(data_dir, cache_seconds=300)
        big_story, _ = bench_api.prepare_database(env)
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)
        pages, notes = pages_to_audit(big_story)
        reports = args.reports or Path(data_dir) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        server, port = bench_floor.start_server(env)
        try:
            results = {}
            for name, path in pages.items():
                url = f"http://127.0.0.1:{port}{path}"
                urllib.request.urlopen(url, timeout=30).read()  # fills the page cache
                runs = [
                    audit(url, reports / f"{name.split()[0]}-{run}.json")
                    for run in range(args.runs)
                ]
                results[name] = median_run(runs)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return report(results, notes, args.runs)


def report(results: dict[str, dict], notes: list[str], runs: int) -> int:
    print(f"Lighthouse 12, mobile profile, median of {runs} runs; gunicorn, DEBUG off, demo data")
    print("  targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items())
          + f", CLS < {MAX_CLS}")  # fmt: skip
    failing = 0
    for name, scores in results.items():
        missed = misses(scores)
        failing += bool(missed)
        figures = "  ".join(f"{category} {scores[category]:3d}" for category in CATEGORIES)
        verdict = "ok" if not missed else "MISSED: " + "; ".join(missed)
        print(f"  {name:<22} {figures}  CLS {scores['cls']:.3f}  {verdict}")
        if missed and scores["failed"]:
            print(f"    failed audits: {', '.join(scores['failed'])}")
    for note in notes:
        print(f"  note: {note}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
