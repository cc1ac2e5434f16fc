"""Ingestion end to end against feedparser's parse-only time on the same bytes.

Builds 200 synthetic feeds x 50 entries, serves them on 127.0.0.1, ingests every feed through
the real service (HTTP fetch, parse, normalise, upsert, schedule) into a fresh SQLite database,
then parses the same bytes with feedparser alone and with the fast path alone.

    python bench/bench_ingest.py [--feeds 200] [--entries 50]
"""

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    *("council", "harbour", "bridge", "vote", "budget", "minister", "election", "court"),
    *("ruling", "storm", "coast", "rail", "strike", "union", "hospital", "school", "report"),
    *("inquiry", "market", "energy", "prices", "housing", "climate", "river", "police"),
    *("mayor", "plan", "city", "region", "border", "trade", "talks", "summit", "deal"),
]


def setup_django(data_dir: str) -> None:
    """A fresh SQLite database under data_dir, whatever the calling environment points at."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["NEWSROOM_DATA_DIR"] = data_dir
    os.environ["NEWSROOM_ALLOW_PRIVATE_FEEDS"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def summary_html(rng: random.Random) -> str:
    """About 500 characters of the HTML outlets put in <description>."""
    paragraphs = [
        f'<p>{sentence(rng, 14)}, <a href="https://outlet.example/{rng.randrange(10**6)}">'
        f"{sentence(rng, 3)}</a> and <b>{sentence(rng, 2)}</b>.</p>"
        for _ in range(3)
    ]
    return "".join(paragraphs) + '<img src="https://cdn.outlet.example/pic.jpg" alt="">'


def build_feed(number: int, entries: int, now: datetime) -> bytes:
    rng = random.Random(number)
    items = []
    for n in range(entries):
        published = now - timedelta(minutes=37 * n + number)
        link = (
            f"https://outlet{number}.example/{published:%Y/%m/%d}/story-{n}"
            "?utm_source=rss&utm_medium=feed&utm_campaign=news&id=" + str(n)
        )
        items.append(
            "<item>"
            f"<title>{escape(sentence(rng, rng.randint(8, 14)))}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="false">outlet{number}-{n}</guid>'
            f"<description>{escape(summary_html(rng))}</description>"
            f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>"
            f"<dc:creator>{escape(sentence(rng, 2))}</dc:creator>"
            f"<category>{rng.choice(WORDS)}</category>"
            f'<media:content url="https://cdn.outlet{number}.example/{n}.jpg" '
            'medium="image" type="image/jpeg" width="1200" height="800"/>'
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>Outlet {number}</title><link>https://outlet{number}.example/</link>"
        f"<description>News from outlet {number}</description><ttl>15</ttl>"
        f'<atom:link href="https://outlet{number}.example/feed" rel="self" '
        'type="application/rss+xml"/>' + "".join(items) + "</channel></rss>"
    ).encode()


# The feeds' server runs in its own process, as the outlets' servers would: its work is not
# counted as ingestion time and does not compete with ingestion for the interpreter.
SERVER = """
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

class Feeds(SimpleHTTPRequestHandler):
    extensions_map = {".xml": "application/rss+xml; charset=utf-8"}
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Feeds, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def serve(documents: dict[str, bytes], folder: Path) -> tuple[subprocess.Popen, str]:
    """(server process, base URL) serving each document at its path under folder."""
    for path, body in documents.items():
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    return server, f"http://127.0.0.1:{server.stdout.readline().strip()}"


class Timer:
    """Wall-clock and CPU time of a block. CPU time (of this process: fetching, parsing,
    storing) is the steadier measure when other work on the machine skews the wall clock."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def report(label: str, timer: Timer, entries: int) -> None:
    print(
        f"{label:34} {timer.wall:6.2f} s wall {timer.cpu:6.2f} s cpu "
        f"{entries / timer.wall:8,.0f} entries/s"
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=200)
    options.add_argument("--entries", type=int, default=50)
    args = options.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as data_dir:
        setup_django(data_dir)
        import feedparser

        from sources import ingest, parse, parse_fast
        from sources.models import Article, Feed, Source

        now = datetime.now(UTC)
        documents = {f"/feed/{i}.xml": build_feed(i, args.entries, now) for i in range(args.feeds)}
        server, base = serve(documents, Path(data_dir) / "www")
        source = Source.objects.create(name="Bench outlet", slug="bench-outlet")
        feeds = Feed.objects.bulk_create(Feed(source=source, url=base + p) for p in documents)
        total = args.feeds * args.entries
        size = sum(map(len, documents.values()))
        print(f"{args.feeds} feeds x {args.entries} entries, {size / 1e6:.1f} MB of XML")

        try:
            with Timer() as end_to_end:
                results = [ingest.fetch_feed(feed.pk) for feed in feeds]
        finally:
            server.kill()
            server.wait()
        stored = Article.objects.count()
        failed = [r.line() for r in results if r.status != "ok"]
        if stored != total or failed:
            sys.exit(f"expected {total} articles, stored {stored}; failures: {failed[:3]}")

        headers = {"content-type": "application/rss+xml; charset=utf-8"}
        prepared = [
            (body, parse.parser_headers(headers, base + p)) for p, body in documents.items()
        ]
        with Timer() as feedparser_only:
            for body, response_headers in prepared:
                feedparser.parse(io.BytesIO(body), response_headers=response_headers)
        with Timer() as fast_only:
            for body, response_headers in prepared:
                parse_fast.parse(body, response_headers)

        report("end to end (fetch, parse, store):", end_to_end, total)
        report("feedparser, parse only:", feedparser_only, total)
        report("fast path, parse only:", fast_only, total)
        print(
            "ratio end to end / feedparser parse only: "
            f"{end_to_end.cpu / feedparser_only.cpu:.2f} cpu, "
            f"{end_to_end.wall / feedparser_only.wall:.2f} wall (target <= 0.50)"
        )


if __name__ == "__main__":
    main()
