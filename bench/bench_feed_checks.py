"""Feed checks a minute when 90% of feeds answer 304, against the one-feed-at-a-time path.

Serves N feeds from a separate process on 127.0.0.1: nine in ten answer 304 Not Modified to a
conditional GET (ETag / Last-Modified), one in ten returns a small feed with a new entry every
time. Every feed is fetched once first, so each holds its validators. Then each way of running
the checks is measured on the same feeds, all due:

- in this process, without a broker: the tasks' functions called directly. Baseline: each feed
  checked on its own, as a `fetch_feed(id)` task does. Batched: the scheduler's path, beat's
  `claim_due_feeds()` and one `check_feeds(batch)` per batch that `send_fetches()` queues;
- through a real `celery worker` (2 processes, the file-system broker of `make run`): baseline,
  one `fetch_feed` task queued per feed; batched, beat's task `enqueue_due_feeds()` queues the
  batches and the clock stops when every feed has been checked and released.

Checks are counted by the HTTP server (requests it answered), not by the client.

    python bench/bench_feed_checks.py [--feeds 2000] [--baseline-feeds 600] [--no-worker]
"""

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_ingest import ROOT, Timer, setup_django

TARGET_PER_MINUTE = 10_000

# One in CHANGING feeds has something new at every fetch; the others answer 304.
SERVER = """
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHANGING = int(sys.argv[1])
STAMP = "Tue, 01 Jan 2030 10:00:00 GMT"
lock = threading.Lock()
counts = {"304": 0, "200": 0}
versions = {}

def feed(number, version):
    items = "".join(
        f"<item><title>Story {number}.{n}</title>"
        f"<link>https://outlet{number}.example/story/{n}</link>"
        f"<guid>outlet{number}-{n}</guid><description>Report {n} of outlet {number}.</description>"
        f"<pubDate>Mon, 01 Jan 2029 {n % 24:02d}:00:00 GMT</pubDate></item>"
        for n in range(max(0, version - 4), version + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {number}</title><link>https://outlet{number}.example/</link>"
        f"{items}</channel></rss>"
    ).encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/counts":
            return self.answer(200, json.dumps(counts).encode(), {})
        number = int(self.path.rsplit("/", 1)[1].split(".")[0])
        etag = f'"{number}-{versions.get(number, 0)}"'
        if number % CHANGING and self.headers.get("If-None-Match") == etag:
            with lock:
                counts["304"] += 1
            return self.answer(304, b"", {"ETag": etag, "Last-Modified": STAMP})
        with lock:
            counts["200"] += 1
            version = versions[number] = versions.get(number, 0) + 1
        body = feed(number, version)
        headers = {"ETag": f'"{number}-{version}"', "Last-Modified": STAMP,
                   "Content-Type": "application/rss+xml; charset=utf-8"}
        self.answer(200, body, headers)

    def answer(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class FeedServer:
    """The outlets' server, in its own process; counts() says how many requests it answered."""

    def __init__(self, changing: int):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(changing)], stdout=subprocess.PIPE, text=True
        )
        self.base = f"http://127.0.0.1:{self.process.stdout.readline().strip()}"

    def counts(self) -> dict[str, int]:
        with urllib.request.urlopen(self.base + "/counts") as response:  # noqa: S310 - loopback
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class Worker:
    """`celery -A newsroom worker`, as `make run` starts it, on this benchmark's data dir."""

    def __init__(self, log: Path, concurrency: int = 2):
        command = [
            *(str(Path(sys.executable).with_name("celery")), "-A", "newsroom", "worker"),
            *("--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip"),
            *("--without-mingle", "--without-heartbeat"),
        ]
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=os.environ, stdout=output, stderr=output
            )
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_until_checked(server: FeedServer, answered: int, feed_ids: list[int]) -> None:
    """Until the server has answered this many requests in all and no feed is leased."""
    from sources.models import Feed

    deadline = time.monotonic() + 600
    while sum(server.counts().values()) < answered:
        if time.monotonic() > deadline:
            sys.exit("the worker did not check every feed in time")
        time.sleep(0.02)
    while Feed.objects.filter(pk__in=feed_ids).exclude(lease_token="").exists():
        time.sleep(0.02)


def make_due() -> None:
    from sources.models import Feed

    Feed.objects.update(next_fetch_at=None)


def measure(label: str, server: FeedServer, run) -> float:
    """Run run(), print the checks the server answered a minute; return that rate."""
    before = server.counts()
    with Timer() as timer:
        run()
    after = server.counts()
    answered = {status: after[status] - before[status] for status in after}
    checks = sum(answered.values())
    rate = checks / timer.wall * 60
    share = answered["304"] / checks if checks else 0
    print(
        f"{label:34} {checks:6,} requests ({share:.0%} 304) in {timer.wall:6.2f} s wall "
        f"{timer.cpu:6.2f} s cpu: {rate:8,.0f} checks/min"
    )
    return rate


def check_state(feed_ids: list[int]) -> None:
    """Every feed checked, none still leased, none left due: the run did the whole job."""
    from sources.models import Feed

    feeds = Feed.objects.filter(pk__in=feed_ids)
    leased = feeds.exclude(lease_token="").count()
    due = Feed.objects.due().count()
    failing = list(feeds.exclude(last_error="").values_list("last_error", flat=True)[:3])
    if leased or due or failing:
        sys.exit(f"{leased} feeds still leased, {due} due, errors: {failing}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=2000)
    options.add_argument("--baseline-feeds", type=int, default=600)
    options.add_argument("--changing", type=int, default=10, help="one feed in N changes")
    options.add_argument("--no-worker", action="store_true", help="in this process only")
    args = options.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-feed-checks-") as data_dir:
        setup_django(data_dir)
        logging.getLogger("sources").setLevel(logging.WARNING)  # no line per feed here
        from django.conf import settings

        from sources import ingest, tasks
        from sources.models import Feed, Source

        server = FeedServer(args.changing)
        worker = None
        try:
            source = Source.objects.create(name="Bench outlet", slug="bench-outlet")
            feeds = Feed.objects.bulk_create(
                Feed(source=source, url=f"{server.base}/feed/{n}.xml") for n in range(args.feeds)
            )
            ids = [feed.pk for feed in feeds]
            baseline_ids = ids[: args.baseline_feeds]
            batch = settings.NEWSROOM_FEED_CHECK_BATCH
            print(
                f"{args.feeds} feeds, 1 in {args.changing} changed at every fetch; "
                f"batches of {batch}, {settings.NEWSROOM_FEED_CHECK_THREADS} fetch threads; "
                f"baseline on {len(baseline_ids)} feeds"
            )
            for start in range(0, len(ids), batch):  # first fetch: every feed gets validators
                ingest.check_feeds(ids[start : start + batch])

            def scheduler_path():
                due = ingest.claim_due_feeds()
                for begin in range(0, len(due), batch):
                    tasks.check_feeds(due[begin : begin + batch])

            make_due()
            rates = {
                "in process, one feed per task": measure(
                    "in process, one feed per task:",
                    server,
                    lambda: [tasks.fetch_feed(pk) for pk in baseline_ids],
                )
            }
            make_due()
            rates["in process, batched"] = measure(
                "in process, batched as beat queues:", server, scheduler_path
            )
            check_state(ids)

            if not args.no_worker:
                worker = Worker(Path(data_dir) / "worker.log")

                def through_worker(queue, feed_ids):
                    answered = sum(server.counts().values()) + len(feed_ids)
                    queue()
                    wait_until_checked(server, answered, feed_ids)

                make_due()
                rates["worker, one feed per task"] = measure(
                    "worker, one fetch_feed per feed:",
                    server,
                    lambda: through_worker(
                        lambda: [tasks.fetch_feed.delay(pk) for pk in baseline_ids],
                        baseline_ids,
                    ),
                )
                make_due()
                rates["worker, batched"] = measure(
                    "worker, enqueue_due_feeds batches:",
                    server,
                    lambda: through_worker(tasks.enqueue_due_feeds, ids),
                )
                check_state(ids)
        finally:
            if worker:
                worker.stop()
            server.stop()
        for where in ("in process", "worker"):
            if f"{where}, batched" not in rates:
                continue
            batched, baseline = rates[f"{where}, batched"], rates[f"{where}, one feed per task"]
            print(
                f"{where}: {batched:,.0f} checks/min = {batched / TARGET_PER_MINUTE:.2f} x the "
                f"target of {TARGET_PER_MINUTE:,} (target >= 1.00); {batched / baseline:.1f} x "
                f"one feed per task ({baseline:,.0f}/min)"
            )


if __name__ == "__main__":
    main()
