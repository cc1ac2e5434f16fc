"""Pages against the framework's floor: each page's cost over a trivial view's, same server.

Two gunicorn servers (one sync worker each, production settings with DEBUG off and
the static manifest collected, SQLite, the local-memory cache) serve the project's
URLs plus a trivial Django view and a trivial DRF view (floor_urls.py): one with the
page and API caches on, one with them off (NEWSROOM_PAGE_CACHE_SECONDS=0 and
NEWSROOM_API_CACHE_SECONDS=0, so every page and answer is
rendered). The data is the demo plus a story of 160 articles from 40 sources.

One client asks for each page a batch of times, the pages in turn, for several
rounds, on a new connection per request (gunicorn's sync workers close each one).
A page's cost is the processor time its worker spent per request (from
/proc/PID/schedstat, nanoseconds; other processes on the machine do not count),
so a busy machine shifts latencies but hardly the ratios. A round's ratio is the
page's cost over the trivial view's on the same server in the same round; the figure
is the median of the rounds' ratios. For the API the figure is throughput, the
trivial DRF view's cost over the endpoint's. Latencies are printed for reference.
"""

import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_api  # beside this script

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 7
REQUESTS_PER_ROUND = 30
WARM_UP = 20


def environment(data_dir: str, *, cache_seconds: int) -> dict:
    env = bench_api.environment(data_dir)
    env.update(
        DJANGO_SETTINGS_MODULE="floor_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        NEWSROOM_PAGE_CACHE_SECONDS=str(cache_seconds),
        NEWSROOM_API_CACHE_SECONDS=str(cache_seconds),
    )
    return env


def start_server(env: dict) -> tuple[subprocess.Popen, int]:
    port = bench_api.free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "sync",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    bench_api.wait_until_up(f"http://127.0.0.1:{port}/healthz")
    return server, port


def worker_of(server: subprocess.Popen) -> int:
    """The pid of the gunicorn master's one worker."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # the parent pid
            return int(stat.parent.name)
    raise RuntimeError("gunicorn has no worker")


def cpu_seconds(pid: int) -> float:
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def get(port: int, path: str) -> float:
    """Seconds for one GET on a new connection; refuses anything but 200."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return elapsed


def measure(targets: dict[str, tuple[int, int, str]]) -> list[dict[str, tuple[float, float]]]:
    """Per round, each target's (worker seconds per request, median latency).

    targets name (port, worker pid, path); each round asks for each in turn.
    """
    for port, _, path in targets.values():
        for _ in range(WARM_UP):
            get(port, path)
    rounds = []
    for _ in range(ROUNDS):
        figures = {}
        for name, (port, pid, path) in targets.items():
            before = cpu_seconds(pid)
            latencies = [get(port, path) for _ in range(REQUESTS_PER_ROUND)]
            cost = (cpu_seconds(pid) - before) / REQUESTS_PER_ROUND
            figures[name] = (cost, statistics.median(latencies))
        rounds.append(figures)
    return rounds


def ratio(rounds: list[dict[str, tuple[float, float]]], page: str, floor: str) -> float:
    return statistics.median(r[page][0] / r[floor][0] for r in rounds)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsroom-floor-bench-") as data_dir:
        slug, _ = bench_api.prepare_database(environment(data_dir, cache_seconds=300))
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)
        servers = []
        try:
            for seconds in (300, 0):
                servers.append(start_server(environment(data_dir, cache_seconds=seconds)))
            cached, uncached = ((port, worker_of(server)) for server, port in servers)
            story = f"/stories/{slug}/"
            rounds = measure({
                "trivial": (*cached, "/bench/trivial"),
                "story cached": (*cached, story),
                "home cached": (*cached, "/"),
                "trivial api": (*cached, "/bench/trivial-api"),
                "api list": (*cached, "/api/v1/stories/"),
                "api detail": (*cached, f"/api/v1/stories/{slug}/"),
                "trivial, no cache": (*uncached, "/bench/trivial"),
                "story uncached": (*uncached, story),
                "trivial api, no cache": (*uncached, "/bench/trivial-api"),
                "api list uncached": (*uncached, "/api/v1/stories/"),
                "api detail uncached": (*uncached, f"/api/v1/stories/{slug}/"),
            })  # fmt: skip
        finally:
            for server, _ in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
    report(rounds)


def report(rounds: list[dict[str, tuple[float, float]]]) -> None:
    print(f"Pages against a trivial view: gunicorn, 1 sync worker, DEBUG off, SQLite, "
          f"local-memory cache; {bench_api.BIG_STORY_ARTICLES}-article story; worker CPU "
          f"per request, median of {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests")  # fmt: skip
    cpu_ms = {name: statistics.median(r[name][0] for r in rounds) * 1000 for name in rounds[0]}
    wall_ms = {name: statistics.median(r[name][1] for r in rounds) * 1000 for name in rounds[0]}
    for name in ("trivial", "trivial api"):
        label = "trivial Django view" if name == "trivial" else "trivial DRF view"
        print(f"  {label:<22} {cpu_ms[name]:6.2f} ms CPU {wall_ms[name]:6.2f} ms latency")
    lines = [
        ("story page, uncached", "story uncached", "trivial, no cache", 6.0),
        ("story page, cached", "story cached", "trivial", 1.5),
        ("home, cached", "home cached", "trivial", 1.5),
    ]
    for label, page, floor, target in lines:
        cost = ratio(rounds, page, floor)
        verdict = "ok" if cost <= target else "MISSED"
        print(f"  {label:<22} {cpu_ms[page]:6.2f} ms CPU {wall_ms[page]:6.2f} ms latency"
              f"  {cost:5.2f}x trivial            target <= {target}x   {verdict}")  # fmt: skip
    for label, endpoint in (("API story list", "api list"), ("API story detail", "api detail")):
        share = 1 / ratio(rounds, endpoint, "trivial api")
        verdict = "ok" if share >= 0.35 else "MISSED"
        print(f"  {label:<22} {cpu_ms[endpoint]:6.2f} ms CPU {wall_ms[endpoint]:6.2f} ms latency"
              f"  {share:5.2f}x trivial DRF rate   target >= 0.35x  {verdict}")  # fmt: skip
    # For reference: the answers computed every time, as for editors or after a change.
    for label, endpoint in (
        ("  uncached", "api list uncached"),
        ("  uncached", "api detail uncached"),
    ):
        share = 1 / ratio(rounds, endpoint, "trivial api, no cache")
        print(f"  {label:<22} {cpu_ms[endpoint]:6.2f} ms CPU {wall_ms[endpoint]:6.2f} ms latency"
              f"  {share:5.2f}x trivial DRF rate")  # fmt: skip


if __name__ == "__main__":
    main()
