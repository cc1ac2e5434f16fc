"""The load test's engine: readers, API clients and editors on one live site, timed.

bench/loadtest.py drives it for a minute against gunicorn on PostgreSQL and Redis;
tests/faults/test_load.py for a few seconds. It sends traffic to 127.0.0.1 only,
and every loop stops at a deadline and a request cap.
"""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
# A request's bound; below gunicorn's 30 s worker timeout, so a hung worker shows up as
# a timed-out request here rather than only in the server's log.
REQUEST_TIMEOUT = 20
# Caps each client's loop whatever the deadline: far above what one client can send.
MAX_REQUESTS_PER_CLIENT_SECOND = 500
# Who the clients are, in turn: half read pages, 3 in 10 call the API, 1 in 5 edit in the
# admin. Interleaved, so that even 3 clients cover all three.
ROTA = ("pages", "api", "admin", "pages", "api", "pages", "admin", "pages", "api", "pages")
GROUPS = ("pages", "api", "admin")
TABS = ("all", "left", "center", "right")
# The API's rates are counted in Redis, as in production, but never reached: with the
# limits off the API would not touch Redis at all, and a Redis failure would go unseen.
UNREACHABLE_RATE = "1000000/second"


# --- the servers ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _wait_for(check: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout}s")


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL: no goodbye to the clients, as when a machine or a process dies."""
    process.kill()
    process.wait()


def server_environment(*, database_url: str, redis_url: str, data_dir: str, settings: str) -> dict:
    """The web processes' environment: production-like, on plain HTTP, with API limits
    too high to reach (or the throttle would be what is measured)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        NEWSROOM_DATA_DIR=data_dir,
        SECRET_KEY="load-test-only-secret-key-0123456789abcdefghijklmnop",  # noqa: S106 throwaway
        DEBUG="false",
        ALLOWED_HOSTS=LOOPBACK,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        NEWSROOM_API_ANON_RATE=UNREACHABLE_RATE,
        NEWSROOM_API_USER_RATE=UNREACHABLE_RATE,
        LOG_LEVEL="WARNING",
    )
    return env


def start_gunicorn(
    env: dict, *, workers: int, log: Path, timeout: int = 30
) -> tuple[subprocess.Popen, str]:
    """Serve the site as deployed (docs/deployment.md); return the process and its address.
    timeout is gunicorn's worker timeout, in seconds."""
    port = free_port()
    with log.open("ab") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
             "--bind", f"{LOOPBACK}:{port}", "--workers", str(workers), "--timeout", str(timeout),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True,
        )  # fmt: skip
    base = f"http://{LOOPBACK}:{port}"
    try:
        _wait_for(lambda: _status(base, "/healthz") == 200, f"gunicorn at {base}", timeout=60)
    except RuntimeError:
        stop_gunicorn(server)
        raise
    return server, base


def stop_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def server_exceptions(log: Path, top: int = 5) -> list[tuple[str, int]]:
    """The commonest exceptions the server logged (a traceback's last line), with counts."""
    text = log.read_text(errors="replace") if log.exists() else ""
    last_lines = re.findall(r"^([\w.]+(?:Error|Exception|Timeout)\b.*)$", text, re.MULTILINE)
    return Counter(line[:160] for line in last_lines).most_common(top)


# --- HTTP ---------------------------------------------------------------------------------


def _send(base: str, path: str, *, method="GET", headers=None, body=None, timeout=REQUEST_TIMEOUT):
    """One request on a fresh connection; return the response and its whole body."""
    address = urllib.parse.urlsplit(base)
    if address.hostname not in (LOOPBACK, "localhost"):
        raise ValueError(f"the load test only targets this machine, not {address.hostname}")
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def _status(base: str, path: str) -> int | None:
    try:
        return _send(base, path)[0].status
    except OSError:
        return None


def _json(base: str, path: str) -> dict:
    response, body = _send(base, path)
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return json.loads(body)


# --- what the clients visit -----------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """The live site and what is on it, found over HTTP before the clock starts."""

    base: str
    story_slugs: tuple[str, ...]
    source_slugs: tuple[str, ...]
    article_ids: tuple[int, ...]
    story_ids: tuple[int, ...]  # for the admin's change pages
    search_terms: tuple[str, ...]
    editor_cookie: str


def log_in(base: str, *, username: str, password: str) -> str:
    """Log in to the admin as a browser would; return the Cookie header of the session."""
    response, body = _send(base, "/admin/login/")
    cookies = _cookies(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    )
    response, _ = _send(
        base, "/admin/login/", method="POST", body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": _cookie_header(cookies)},
    )  # fmt: skip
    cookies.update(_cookies(response))
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {username} answered {response.status}")
    return _cookie_header(cookies)


def _cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def discover(base: str, *, username: str, password: str) -> Site:
    stories = _json(base, "/api/v1/stories/?page_size=100")["results"]
    sources = _json(base, "/api/v1/sources/?page_size=100")["results"]
    articles = _json(base, "/api/v1/articles/?page_size=100")["results"]
    cookie = log_in(base, username=username, password=password)
    _, changelist = _send(base, "/admin/stories/story/", headers={"Cookie": cookie})
    story_ids = {int(i) for i in re.findall(rb"/admin/stories/story/(\d+)/change/", changelist)}
    words = {w for story in stories for w in re.findall(r"[a-z]{6,}", story["title"].lower())}
    site = Site(
        base=base,
        story_slugs=tuple(story["slug"] for story in stories),
        source_slugs=tuple(source["slug"] for source in sources),
        article_ids=tuple(article["id"] for article in articles),
        story_ids=tuple(sorted(story_ids)),
        search_terms=tuple(sorted(words))[:20],
        editor_cookie=cookie,
    )
    if not all((site.story_slugs, site.source_slugs, site.article_ids, site.story_ids)):
        raise RuntimeError(f"the site has too little to visit: {site}")
    return site


# (weight, name, address) for each group; the {fields} are drawn at random from the site.
MIX = {
    "pages": (
        (20, "home", "/"),
        (30, "story page", "/stories/{story}/?bias={tab}"),
        (15, "source page", "/sources/{source}/"),
        (15, "blindspot", "/blindspot/?side={side}"),
        (20, "search", "/search/?q={term}"),
    ),
    "api": (
        (20, "stories", "/api/v1/stories/?page_size={size}"),
        (20, "story", "/api/v1/stories/{story}/"),
        (20, "story's articles", "/api/v1/stories/{story}/articles/"),
        (15, "articles", "/api/v1/articles/?page={page}"),
        (10, "article", "/api/v1/articles/{article}/"),
        (10, "sources", "/api/v1/sources/"),
        (5, "source", "/api/v1/sources/{source}/"),
    ),
    "admin": (
        (10, "index", "/admin/"),
        (30, "stories changelist", "/admin/stories/story/"),
        (30, "articles changelist", "/admin/sources/article/"),
        (30, "story change page", "/admin/stories/story/{story_id}/change/"),
    ),
}


def _address(template: str, site: Site, rng: random.Random) -> str:
    return template.format(
        story=rng.choice(site.story_slugs),
        source=rng.choice(site.source_slugs),
        article=rng.choice(site.article_ids),
        story_id=rng.choice(site.story_ids),
        term=urllib.parse.quote_plus(rng.choice(site.search_terms)),
        tab=rng.choice(TABS),
        side=rng.choice(("all", "left", "right")),
        page=rng.choice((1, 2, 3)),
        size=rng.choice((5, 20)),
    )


# --- running a phase ------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    group: str
    name: str
    at: float  # when it was sent, in seconds from the phase's start
    seconds: float  # until the whole body arrived, or the failure
    status: int | None  # None: no response (refused, reset, timed out)
    failure: str = ""  # the exception's name when there was no response
    retry_after: bool = False


@dataclass(frozen=True)
class Event:
    """Something done to the servers during a phase, e.g. killing Redis."""

    at: float  # seconds from the phase's start
    label: str
    action: Callable[[], None]


@dataclass
class Phase:
    clients: int
    seconds: float
    results: list[Result] = field(default_factory=list)
    events: list[tuple[str, float]] = field(default_factory=list)  # (label, when it happened)


def _visit(site: Site, group: str, name: str, path: str, start: float) -> Result:
    headers = {"Cookie": site.editor_cookie} if group == "admin" else {}
    sent = time.monotonic()
    try:
        response, _ = _send(site.base, path, headers=headers)
    except (OSError, http.client.HTTPException) as exc:
        return Result(group, name, sent - start, time.monotonic() - sent, None, type(exc).__name__)
    retry_after = response.getheader("Retry-After") is not None
    return Result(
        group, name, sent - start, time.monotonic() - sent, response.status, "", retry_after
    )


def _client(site: Site, group: str, seed: int, start: float, deadline: float) -> list[Result]:
    rng = random.Random(seed)
    mix = MIX[group]
    weights = [weight for weight, _, _ in mix]
    results = []
    for _ in range(int((deadline - start) * MAX_REQUESTS_PER_CLIENT_SECOND)):
        if time.monotonic() >= deadline:
            break
        _, name, template = rng.choices(mix, weights)[0]
        results.append(_visit(site, group, name, _address(template, site, rng), start))
    return results


def run_phase(site: Site, *, clients: int, seconds: float, events=(), seed=0) -> Phase:
    """clients send requests back to back for `seconds`; events happen on time meanwhile."""
    phase = Phase(clients=clients, seconds=seconds)
    per_client: list[list[Result]] = [[] for _ in range(clients)]
    start = time.monotonic()
    deadline = start + seconds

    def work(index: int) -> None:
        group = ROTA[index % len(ROTA)]
        per_client[index] = _client(site, group, seed * 1000 + index, start, deadline)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        for event in sorted(events, key=lambda e: e.at):
            time.sleep(max(0.0, start + event.at - time.monotonic()))
            event.action()
            phase.events.append((event.label, time.monotonic() - start))
    finally:
        for thread in threads:
            thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    phase.results = sorted((r for results in per_client for r in results), key=lambda r: r.at)
    return phase


# --- figures ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int  # anything but 200, no response included
    server_errors: int  # responses of 500
    no_response: int
    p50_ms: float
    p99_ms: float
    per_second: float

    @classmethod
    def of(cls, results: list[Result], seconds: float) -> "Figures":
        latencies = [r.seconds * 1000 for r in results]
        return cls(
            requests=len(results),
            errors=sum(r.status != 200 for r in results),
            server_errors=sum(r.status == 500 for r in results),
            no_response=sum(r.status is None for r in results),
            p50_ms=percentile(latencies, 0.50),
            p99_ms=percentile(latencies, 0.99),
            per_second=len(results) / seconds if seconds else 0.0,
        )


def figures(phase: Phase) -> Figures:
    return Figures.of(phase.results, phase.seconds)


def statuses(results: list[Result]) -> str:
    """e.g. "200 ×4800, 503 ×21 (21 with Retry-After), no response: ConnectionResetError ×2"."""
    counts = Counter(r.status for r in results if r.status is not None)
    parts = []
    for status, count in sorted(counts.items()):
        part = f"{status} ×{count}"
        if status == 503:
            part += f" ({sum(r.retry_after for r in results if r.status == 503)} with Retry-After)"
        parts.append(part)
    failures = Counter(r.failure for r in results if r.status is None)
    if failures:
        parts.append("no response: " + ", ".join(f"{n} ×{c}" for n, c in failures.most_common()))
    return ", ".join(parts) or "no requests"


def _row(label: str, f: Figures) -> str:
    return (
        f"  {label:<34}{f.requests:>9}{f.errors:>8}{f.server_errors:>6}{f.no_response:>8}"
        f"{f.p50_ms:>9.0f}{f.p99_ms:>9.0f}{f.per_second:>9.1f}"
    )


def report(title: str, phase: Phase) -> str:
    """The phase's figures overall, per group and per stretch between its events."""
    header = (
        f"  {'':<34}{'requests':>9}{'errors':>8}{'500s':>6}{'no resp':>8}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}"
    )
    lines = [f"{title}: {phase.clients} clients for {phase.seconds:g} s", header]
    lines.append(_row("all", figures(phase)))
    for group in GROUPS:
        results = [r for r in phase.results if r.group == group]
        lines.append(_row(group, Figures.of(results, phase.seconds)))
    lines.append(f"  statuses: {statuses(phase.results)}")
    if phase.events:
        bounds = [("start", 0.0), *phase.events, ("end", phase.seconds)]
        lines.append("  by stretch (requests sent between):")
        for (first, since), (_, until) in zip(bounds, bounds[1:], strict=False):
            results = [r for r in phase.results if since <= r.at < until]
            label = f"{since:.1f}–{until:.1f} s, " + ("at first" if first == "start" else first)
            lines.append(_row(label, Figures.of(results, until - since)))
            lines.append(f"      {statuses(results)}")
    return "\n".join(lines)
