"""Memory: a web worker's RSS over a long soak, and the peak of ingesting one 15 MB feed.

Soak: gunicorn with one sync worker (production settings, DEBUG off, SQLite with the
demo data, the local-memory cache and the page cache as deployed, API limits off) serves
the load test's mix of pages, API and admin requests (tests/traffic.py), one at a time.
The worker's resident set (VmRSS in /proc) is read as the requests go; the target is
that it moves by at most 5% from request 5,000 to request 20,000.

Feed: a 15 MB RSS document (items with the HTML summaries outlets send) is served by a
local HTTP server process; a fresh Python process fetches a small feed first (imports,
connections: a worker that has worked before), takes its RSS as idle, then ingests the
big one through sources.ingest.fetch_feed. Its peak (VmHWM, reset after the idle
reading) minus idle, over the document's size, has the target < 4.

    python bench/bench_memory.py [--requests 20000] [--since 5000] [--feed-mb 15]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import bench_floor  # beside this script
import bench_ingest
import loadtest

from tests import traffic  # loadtest put the root on the path

ROOT = Path(__file__).resolve().parent.parent
RSS_DRIFT_TARGET = 0.05
PEAK_TARGET = 4.0

# Run in a fresh process; argv: the small feed's URL, the big one's.
INGEST = """
import json, sys
from pathlib import Path
import django

django.setup()
from sources import ingest
from sources.models import Feed, Source

def kib(field):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines()
                if l.startswith(field + ":"))
    return int(line.split()[1])

source = Source.objects.create(name="Memory bench", slug="memory-bench")
warm, big = (Feed.objects.create(source=source, url=url) for url in sys.argv[1:3])
ingest.fetch_feed(warm.pk)
idle = kib("VmRSS")
Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from the current RSS
result = ingest.fetch_feed(big.pk)
print(json.dumps({"idle": idle, "peak": kib("VmHWM"), "status": result.status,
                  "new": result.new, "line": result.line()}))
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000, help="length of the soak")
    parser.add_argument("--since", type=int, default=5_000, help="the request RSS is compared from")
    parser.add_argument("--every", type=int, default=2_500, help="RSS printed every N requests")
    parser.add_argument("--feed-mb", type=float, default=15, help="size of the big feed, in MB")
    return parser.parse_args()


def environment(data_dir: str) -> dict:
    env = traffic.server_environment(
        database_url="", redis_url="", data_dir=data_dir, settings="newsroom.settings"
    )  # empty: SQLite under data_dir and the local-memory cache
    env.update(NEWSROOM_API_ANON_RATE="off", NEWSROOM_API_USER_RATE="off")
    return env


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def soak(env: dict, args: argparse.Namespace) -> dict[int, int]:
    """{request number: the worker's RSS in KiB after it}, and the statuses printed."""
    log = Path(env["NEWSROOM_DATA_DIR"]) / "gunicorn.log"
    server, base = traffic.start_gunicorn(env, workers=1, log=log)
    try:
        worker = bench_floor.worker_of(server)
        username, password = loadtest.demo_editor()
        site = traffic.discover(base, username=username, password=password)
        rng, statuses, rss = random.Random(1), Counter(), {}
        for number in range(1, args.requests + 1):
            group = traffic.ROTA[number % len(traffic.ROTA)]
            mix = traffic.MIX[group]
            _, name, template = rng.choices(mix, [weight for weight, _, _ in mix])[0]
            path = traffic._address(template, site, rng)
            statuses[traffic._visit(site, group, name, path, start=0).status] += 1
            if number % args.every == 0 or number in (args.since, args.requests):
                rss[number] = rss_kib(worker)
        if bench_floor.worker_of(server) != worker:
            raise RuntimeError("the gunicorn worker was replaced during the soak")
    finally:
        traffic.stop_gunicorn(server)
    print(f"  statuses: {', '.join(f'{s} ×{n}' for s, n in sorted(statuses.items(), key=str))}")
    return rss


def big_feed(megabytes: float) -> bytes:
    """An RSS document of about `megabytes` MB (10^6 bytes), from bench_ingest's items."""
    now = datetime.now(UTC)
    empty = len(bench_ingest.build_feed(1, 0, now))
    per_item = (len(bench_ingest.build_feed(1, 100, now)) - empty) / 100
    return bench_ingest.build_feed(1, round((megabytes * 1e6 - empty) / per_item), now)


def ingest_peak(env: dict, megabytes: float, folder: Path) -> tuple[dict, int]:
    """What the ingesting process reported, and the big feed's size in bytes."""
    now = datetime.now(UTC)
    documents = {"/warm.xml": bench_ingest.build_feed(2, 20, now), "/big.xml": big_feed(megabytes)}
    server, base = bench_ingest.serve(documents, folder)
    try:
        done = subprocess.run(
            [sys.executable, "-c", INGEST, f"{base}/warm.xml", f"{base}/big.xml"],
            cwd=ROOT, env={**env, "NEWSROOM_ALLOW_PRIVATE_FEEDS": "true"},
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        server.kill()
        server.wait()
    if done.returncode:
        raise RuntimeError(f"the ingesting process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), len(documents["/big.xml"])


def main() -> None:
    args = arguments()
    print(f"Load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="newsroom-memory-") as data_dir:
        env = environment(data_dir)
        loadtest.prepare(env)

        report, size = ingest_peak(env, args.feed_mb, Path(data_dir) / "www")
        growth = (report["peak"] - report["idle"]) * 1024
        print(f"Ingesting one {size / 1e6:.1f} MB feed in a fresh process (SQLite)")
        print(f"  {report['line']}")
        print(
            f"  idle RSS {report['idle'] / 1024:.1f} MiB, peak {report['peak'] / 1024:.1f} MiB: "
            f"{growth / 2**20:.1f} MiB above idle = {growth / size:.2f}x the feed's size   "
            f"target < {PEAK_TARGET:g}x  {'PASS' if growth / size < PEAK_TARGET else 'FAIL'}"
        )
        if report["status"] != "ok":
            print("  FAIL: the feed was not ingested, so the peak is not the whole ingestion's")

        print(f"Soak: {args.requests:,} requests to one gunicorn sync worker (SQLite, demo data)")
        rss = soak(env, args)
    trend = ", ".join(f"{n:,}: {kib / 1024:.1f}" for n, kib in sorted(rss.items()))
    print(f"  worker RSS in MiB after request {trend}")
    start, end = rss[args.since], rss[args.requests]
    change = end / start - 1
    print(
        f"  RSS {start / 1024:.1f} MiB at request {args.since:,}, {end / 1024:.1f} MiB at "
        f"{args.requests:,}: {change:+.1%}   target ±{RSS_DRIFT_TARGET:.0%}  "
        f"{'PASS' if abs(change) <= RSS_DRIFT_TARGET else 'FAIL'}"
    )
    print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
