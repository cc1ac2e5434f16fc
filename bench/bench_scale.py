"""Scale comparison: the same pages at 10k and at 1M articles, the two servers queried in turn.

Builds two PostgreSQL databases (`manage.py generate_scale_data --articles N`, then VACUUM
ANALYZE, as autovacuum would leave a production database), serves each with gunicorn (one
sync worker, production settings, DEBUG off, page cache and API limits off) and times each
page on one server, then the same page on the other, round after round; the order within a
pair swaps every round, and in a round each server answers a few times in a row, the
fastest counting. Each figure is the median of the rounds; the ratio large ÷ small
has the target 1.2, and the admin pages an editor uses all day must answer in
under 300 ms at the large size. Exits 0 whatever the verdicts: it is a report.

    python bench/bench_scale.py [--small 10000] [--large 1000000] [--rounds 9] [--repeat 3]
                                [--keep]

Needs PostgreSQL on 127.0.0.1:5432 (createdb/dropdb as postgres). The databases are
dropped at the end unless --keep, which keeps them (newsroom_scale_<N>) for the next run.
"""

import argparse
import html
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import traffic  # noqa: E402  (root on the path first)

POSTGRES = ["-h", "127.0.0.1", "-U", "postgres"]
RATIO_TARGET = 1.2
EDITOR_TARGET_MS = 300
# Before the scale work the slowest page took 25 s at 1M; this only bounds a hung request.
REQUEST_TIMEOUT = 120
EDITOR = "scale-bench-editor"
# A list filter with more choices than this (the outlets) is measured with one choice only.
MAX_FILTER_CHOICES = 12
# Searches that fill their page at both sizes, so that their ratio compares pages of as
# many rows (the story's word may match fewer rows than a page at the small size). Words of
# generate_scale_data's templates (demo/scale.py): every published story's third key point
# says the plan "is overdue"; one headline in seven begins "Analysis:".
FULL_PAGE_STORY_WORD = "overdue"
FULL_PAGE_HEADLINE_WORD = "analysis"

# Run in `manage.py shell` on each database: the editor the admin pages are fetched as, and
# what the pages are about. The story is the biggest published one at the small size and the
# one nearest its size at the large size, so both story pages show the same amount of
# coverage; the source is each database's biggest.
DISCOVER = """
import json, os
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from sources.models import Article
from stories.models import Story, StoryArticle

editor, _ = get_user_model().objects.get_or_create(username=os.environ["BENCH_EDITOR"])
editor.is_staff = editor.is_superuser = True
editor.set_password(os.environ["BENCH_PASSWORD"])
editor.save()
source = (Article.objects.values("source_id", "source__slug").annotate(n=Count("id"))
          .order_by("-n").first())
stories = list(StoryArticle.objects.filter(story__in=Story.objects.published())
               .values("story_id", "story__slug", "story__title").annotate(n=Count("id")))
target = int(os.environ["BENCH_STORY_ARTICLES"])
story = (min(stories, key=lambda s: abs(s["n"] - target)) if target
         else max(stories, key=lambda s: s["n"]))
print(json.dumps({
    "articles": Article.objects.count(),
    "stories": Story.objects.count(),
    "newest": Article.objects.aggregate(newest=Max("published_at"))["newest"].isoformat(),
    "source": source,
    "story": story,
}))
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="articles in the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="articles in the large one")
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds per page and size")
    parser.add_argument(
        "--repeat", type=int, default=3, help="requests per server in a round; the fastest counts"
    )
    parser.add_argument("--search", help="the search term (default: a word of the story's title)")
    parser.add_argument("--keep", action="store_true", help="keep the databases for the next run")
    return parser.parse_args()


# --- the databases ----------------------------------------------------------------------------


def marked(database: str) -> str:
    """The comment on the database ("" when it has none or does not exist)."""
    query = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :'name'"
    return subprocess.run(
        ["psql", *POSTGRES, "-d", "postgres", "-tA", "-v", f"name={database}"],
        input=query, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def manage(env: dict, *command: str) -> str:
    """Run a manage.py command against env's database; its output, or its errors raised."""
    done = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {command[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def drop(database: str) -> None:
    subprocess.run(
        ["dropdb", *POSTGRES, "--if-exists", database], stderr=subprocess.DEVNULL, check=False
    )


def prepare(database: str, articles: int, *, env: dict, keep: bool) -> None:
    """Migrate and fill the database, unless --keep finds it filled by an earlier run: a
    database is marked with a comment once its data is complete."""
    # How the data are shaped is part of the mark: databases generated before (over 45 days,
    # or with drafts of every age) are not reused.
    mark = f"newsroom scale data: {articles} articles at 30,000 a day, recent drafts"
    if keep and marked(database) == mark:
        manage(env, "migrate", "--noinput")
        print(f"  {database}: kept from an earlier run")
        return
    drop(database)
    subprocess.run(["createdb", *POSTGRES, database], check=True)
    manage(env, "migrate", "--noinput")
    started = time.monotonic()
    manage(env, "generate_scale_data", "--articles", str(articles))
    psql_database = ["psql", *POSTGRES, "-d", database, "-qc"]
    subprocess.run([*psql_database, "VACUUM ANALYZE"], check=True)
    subprocess.run([*psql_database, f"COMMENT ON DATABASE {database} IS '{mark}'"], check=True)
    print(f"  {database}: {articles:,} articles generated in {time.monotonic() - started:.0f} s")


# --- the servers and what they serve ----------------------------------------------------------


@dataclass
class Server:
    articles: int
    database: str
    env: dict
    facts: dict = field(default_factory=dict)
    process: object = None
    base: str = ""
    cookie: str = ""


def environment(database: str, data_dir: Path) -> dict:
    env = traffic.server_environment(
        database_url=f"postgres://postgres@127.0.0.1:5432/{database}",
        redis_url="",  # the local-memory cache: nothing shared between the two servers
        data_dir=str(data_dir),
        settings="newsroom.settings",
    )
    # Every measured request renders its page, and no API limit is counted.
    env.update(
        NEWSROOM_PAGE_CACHE_SECONDS="0",
        NEWSROOM_API_CACHE_SECONDS="0",
        NEWSROOM_API_ANON_RATE="off",
        NEWSROOM_API_USER_RATE="off",
    )
    return env


def discover(server: Server, password: str, story_articles: int) -> None:
    env = {**server.env, "BENCH_EDITOR": EDITOR, "BENCH_PASSWORD": password}
    env["BENCH_STORY_ARTICLES"] = str(story_articles)
    server.facts = json.loads(manage(env, "shell", "-c", DISCOVER).strip().splitlines()[-1])


def filter_choices(server: Server, changelist: str) -> dict[tuple[str, str], str]:
    """{(filter, choice): query string} from the changelist's filter sidebar; a filter with
    too many choices to measure each (the outlets) is left out."""
    _, body = traffic._send(
        server.base, changelist, headers={"Cookie": server.cookie}, timeout=REQUEST_TIMEOUT
    )
    sidebar = re.search(rb'<nav id="changelist-filter".*?</nav>', body, re.DOTALL)
    choices = {}
    if sidebar is None:
        return choices
    for block in re.findall(rb"<details(.*?)</details>", sidebar.group(0), re.DOTALL):
        title = re.search(rb'data-filter-title="([^"]*)"', block).group(1).decode()
        links = re.findall(rb'<a href="(\?[^"]+)"[^>]*>\s*([^<]*?)\s*</a>', block)
        if len(links) > MAX_FILTER_CHOICES:
            continue
        for query, label in links:
            choices[(title, html.unescape(label.decode()))] = html.unescape(query.decode())
    return choices


def search_term(title: str) -> str:
    return max(re.findall(r"[A-Za-z]{4,}", title), key=len, default="news").lower()


@dataclass(frozen=True)
class Page:
    group: str  # "admin" (an editor's page: also held to EDITOR_TARGET_MS), "site" or "api"
    label: str
    paths: tuple[str, str]  # on the small server, on the large one


def pages(small: Server, large: Server, term: str) -> list[Page]:
    def each(template: str, **per_server) -> tuple[str, str]:
        return tuple(template.format(**{k: v(s.facts) for k, v in per_server.items()})
                     for s in (small, large))  # fmt: skip

    q = quote_plus(term)
    source_slug = {"slug": lambda f: f["source"]["source__slug"]}
    source_id = {"id": lambda f: f["source"]["source_id"]}
    story_slug = {"slug": lambda f: f["story"]["story__slug"]}
    story_id = {"id": lambda f: f["story"]["story_id"]}
    listed = [
        ("admin", "admin index", each("/admin/")),
        ("admin", "admin articles", each("/admin/sources/article/")),
        ("admin", "admin articles, not in a story", each("/admin/sources/article/?in_story=no")),
        ("admin", "admin articles, search", each(f"/admin/sources/article/?q={q}")),
        (
            "admin",
            "admin articles, not in a story + search",
            each(f"/admin/sources/article/?in_story=no&q={q}"),
        ),
        (
            "admin",
            "admin articles, not in a story + search filling the page",
            each(f"/admin/sources/article/?in_story=no&q={FULL_PAGE_HEADLINE_WORD}"),
        ),
        (
            "admin",
            "admin articles, biggest source",
            each("/admin/sources/article/?source__id__exact={id}", **source_id),
        ),
        *admin_filters(small, large, "/admin/sources/article/", "admin articles"),
        ("admin", "admin stories", each("/admin/stories/story/")),
        ("admin", "admin stories, search", each(f"/admin/stories/story/?q={q}")),
        (
            "admin",
            "admin stories, search filling the page",
            each(f"/admin/stories/story/?q={FULL_PAGE_STORY_WORD}"),
        ),
        *admin_filters(small, large, "/admin/stories/story/", "admin stories"),
        ("admin", "admin story change page", each("/admin/stories/story/{id}/change/", **story_id)),
        ("site", "home", each("/")),
        ("site", "blindspot", each("/blindspot/")),
        ("site", "story page", each("/stories/{slug}/", **story_slug)),
        ("site", "source page, biggest source", each("/sources/{slug}/", **source_slug)),
        ("site", "search", each(f"/search/?q={q}")),
        ("site", "search filling the page", each(f"/search/?q={FULL_PAGE_STORY_WORD}")),
        ("api", "API stories", each("/api/v1/stories/")),
        ("api", "API stories, ordering=title", each("/api/v1/stories/?ordering=title")),
        (
            "api",
            "API stories, ordering=-article_count",
            each("/api/v1/stories/?ordering=-article_count"),
        ),
        (
            "api",
            "API stories, source=biggest",
            each("/api/v1/stories/?source={slug}", **source_slug),
        ),
        (
            "api",
            "API stories, published in the last 30 days",
            each("/api/v1/stories/?{month}", month=last_month),
        ),
        ("api", "API articles", each("/api/v1/articles/")),
        (
            "api",
            "API articles, last 30 days by title",
            each("/api/v1/articles/?{month}&ordering=title", month=last_month),
        ),
        ("api", "API articles, bias=left", each("/api/v1/articles/?bias=left")),
        ("api", "API articles, story=", each("/api/v1/articles/?story={slug}", **story_slug)),
        ("api", "API sources", each("/api/v1/sources/")),
    ]
    seen, unique = set(), []
    for group, label, paths in listed:  # a discovered filter may repeat a named row
        if paths not in seen:
            seen.add(paths)
            unique.append(Page(group, label, paths))
    return unique


def last_month(facts: dict) -> str:
    """The query for the 30 days up to the database's newest article."""
    newest = datetime.fromisoformat(facts["newest"])
    return urlencode({"published_after": (newest - timedelta(days=30)).isoformat()})


def admin_filters(small: Server, large: Server, changelist: str, label: str):
    """A row per choice of each list filter that both servers offer (matched by name)."""
    on_small, on_large = (filter_choices(s, changelist) for s in (small, large))
    for key in sorted(on_small.keys() & on_large.keys()):
        title, choice = key
        yield ("admin", f"{label}, {title}: {choice}",
               (changelist + on_small[key], changelist + on_large[key]))  # fmt: skip


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Timings:
    seconds: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    failures: list[str] = field(default_factory=list)
    cache_hits: int = 0
    rows: list[int | None] = field(default_factory=lambda: [None, None])  # shown, per side

    @property
    def fewer_rows_small(self) -> bool:
        """Whether the small database's page shows fewer rows than the large one's."""
        small, large = self.rows
        return small is not None and large is not None and small < large

    def median_ms(self, side: int) -> float:
        return statistics.median(self.seconds[side]) * 1000


# What one row of a page is: an admin changelist's row checkbox, a card (story teasers and
# article cards are <article> elements), an outlet found by the site search.
ROW_MARKERS = (b'class="action-select"', b"<article ", b'<li class="source-hit"')


def rows_shown(page: Page, body: bytes) -> int | None:
    """How many rows (list entries, cards) the page shows; None when it is not a list."""
    if page.group == "api":
        data = json.loads(body)
        return len(data["results"]) if isinstance(data, dict) and "results" in data else None
    return sum(body.count(marker) for marker in ROW_MARKERS) or None


def fetch(server: Server, page: Page, side: int, timings: Timings) -> float | None:
    """Request the page once; the seconds it took, or None when it failed (noted)."""
    headers = {"Cookie": server.cookie} if page.group == "admin" else {}
    start = time.perf_counter()
    try:
        response, body = traffic._send(
            server.base, page.paths[side], headers=headers, timeout=REQUEST_TIMEOUT
        )
    except OSError as exc:
        timings.failures.append(f"{server.articles:,}: {type(exc).__name__}")
        return None
    elapsed = time.perf_counter() - start
    if response.status != 200:
        timings.failures.append(f"{server.articles:,}: HTTP {response.status}")
        return None
    timings.cache_hits += response.getheader("X-Page-Cache") == "hit"
    timings.rows[side] = rows_shown(page, body)
    return elapsed


def measure(servers: tuple[Server, Server], pages: list[Page], rounds: int, repeat: int) -> dict:
    """Each page on one server then on the other, round after round; a page that fails its
    first (untimed) request on either server is reported, not timed. In a round each server
    answers `repeat` times in a row, and the round keeps its fastest answer: a request that
    another process on the machine delayed says nothing of the page."""
    timings = {page.label: Timings() for page in pages}
    for page in pages:  # warm up: templates, imports, the database's cache
        for side, server in enumerate(servers):
            fetch(server, page, side, timings[page.label])
    for number in range(rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for page in pages:
            timing = timings[page.label]
            if timing.failures:
                continue
            for side in order:
                answers = [fetch(servers[side], page, side, timing) for _ in range(repeat)]
                if None not in answers:
                    timing.seconds[side].append(min(answers))
        print(f"  round {number + 1} of {rounds} done", flush=True)
    return timings


# --- the report -----------------------------------------------------------------------------


def report(servers: tuple[Server, Server], pages: list[Page], timings: dict, rounds: int) -> None:
    small, large = servers
    names = (f"{small.articles:,}", f"{large.articles:,}")
    print(
        f"\nScale comparison on PostgreSQL, {names[0]} vs {names[1]} articles: gunicorn, one sync "
        f"worker per database, page cache and API limits off; median of {rounds} rounds (each "
        "the fastest of a few requests in a row), the two servers queried in turn"
    )
    for server in servers:
        story, source = server.facts["story"], server.facts["source"]
        print(
            f"  {server.articles:>9,} articles, {server.facts['stories']:,} stories; story page: "
            f"{story['n']:,} articles; biggest source: {source['n']:,} articles"
        )
    print(
        f"\n  {'page':<58}{names[0]:>11}{names[1]:>11}{'ratio':>7}  ≤ {RATIO_TARGET}   "
        f"{'rows':>11}   editor: < {EDITOR_TARGET_MS} ms at {names[1]}"
    )
    missed, slow = [], []
    for page in pages:
        timing = timings[page.label]
        if timing.failures or not all(timing.seconds):
            print(f"  {page.label:<58}  FAILED: {', '.join(sorted(set(timing.failures)))}")
            missed.append(page.label)
            slow += [page.label] if page.group == "admin" else []
            continue
        a, b = timing.median_ms(0), timing.median_ms(1)
        flat, quick = b / a <= RATIO_TARGET, b < EDITOR_TARGET_MS
        missed += [] if flat else [page.label]
        rows = "/".join("-" if n is None else str(n) for n in timing.rows)
        line = (
            f"  {page.label:<58}{a:>8.1f} ms{b:>8.1f} ms{b / a:>7.2f}  {verdict(flat)}  {rows:>11}"
        )
        if page.group == "admin":
            slow += [] if quick else [page.label]
            line += f"     {verdict(quick)}"
        print(line)
    hits = sum(t.cache_hits for t in timings.values())
    if hits:
        print(f"\n  WARNING: {hits} measured responses came from the page cache")
    admin_pages = sum(p.group == "admin" for p in pages)
    print(
        f"\nSummary: {len(pages) - len(missed)} of {len(pages)} pages within {RATIO_TARGET}x; "
        f"{admin_pages - len(slow)} of {admin_pages} admin pages under {EDITOR_TARGET_MS} ms at "
        f"{names[1]} articles."
    )
    # A page with fewer rows at the small size also counts, in its ratio, the rows it gains.
    fewer = [label for label in missed if timings[label].fewer_rows_small]
    costlier = [label for label in missed if label not in fewer]
    print(
        f"  Of the {len(missed)} over {RATIO_TARGET}x, {len(fewer)} show fewer rows at "
        f"{names[0]} articles than at {names[1]}; {len(costlier)} show as many."
    )
    for what, labels in (
        (f"over {RATIO_TARGET}x with fewer rows at {names[0]}", fewer),
        (f"over {RATIO_TARGET}x with as many rows", costlier),
        (f"over {EDITOR_TARGET_MS} ms", slow),
    ):
        if labels:
            print(textwrap.fill("; ".join(labels), 100, initial_indent=f"  {what}: ",
                                subsequent_indent="    "))  # fmt: skip
    print(f"Load average at the end: {load_average()}")


def verdict(held: bool) -> str:
    return "PASS" if held else "FAIL"


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> int:
    args = arguments()
    suffix = "" if args.keep else f"_{os.getpid()}"
    password = secrets.token_urlsafe(16)
    print(f"Load average at the start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="newsroom-scale-") as data_dir:
        servers = tuple(
            Server(n, f"newsroom_scale_{n}{suffix}", environment(
                f"newsroom_scale_{n}{suffix}", Path(data_dir) / str(n)))
            for n in (args.small, args.large)
        )  # fmt: skip
        try:
            for server in servers:
                Path(server.env["NEWSROOM_DATA_DIR"]).mkdir()
            manage(servers[0].env, "collectstatic", "--noinput")
            for server in servers:
                prepare(server.database, server.articles, env=server.env, keep=args.keep)
            discover(servers[0], password, story_articles=0)
            discover(servers[1], password, story_articles=servers[0].facts["story"]["n"])
            for server in servers:
                log = Path(server.env["NEWSROOM_DATA_DIR"]) / "gunicorn.log"
                server.process, server.base = traffic.start_gunicorn(
                    server.env, workers=1, log=log, timeout=REQUEST_TIMEOUT
                )
                server.cookie = traffic.log_in(server.base, username=EDITOR, password=password)
            term = args.search or search_term(servers[0].facts["story"]["story__title"])
            listed = pages(*servers, term)
            print(f"Timing {len(listed)} pages (search term {term!r})", flush=True)
            timings = measure(servers, listed, args.rounds, args.repeat)
        finally:
            for server in servers:
                if server.process is not None:
                    traffic.stop_gunicorn(server.process)
                if not args.keep:
                    drop(server.database)
    report(servers, listed, timings, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
