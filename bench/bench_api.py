"""API benchmark: the stories list and a story detail under concurrent load, against /healthz.

Serves the app with gunicorn on 127.0.0.1 (production settings, DEBUG off) from a
throwaway SQLite database holding the demo data (`manage.py load_demo`), plus a
larger story so the detail has real coverage to compute. Load comes from wrk
(Debian package "wrk"): `wrk -t2 -c16 -d5s URL` per endpoint. Throttling is
turned off for the run, or the limit would be what is measured. Figures are
requests/second and their ratio to /healthz measured in the same run.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = ["wrk", "-t2", "-c16", "-d5s"]
WORKERS = max(2, os.cpu_count() or 1)
BIG_STORY_ARTICLES = 160


def environment(data_dir: str) -> dict:
    # Always the embedded defaults: SQLite and the local-memory cache.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        NEWSROOM_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijklmnop",  # noqa: S106 throwaway
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        NEWSROOM_API_ANON_RATE="off",
        NEWSROOM_API_USER_RATE="off",
        LOG_LEVEL="WARNING",
        # WhiteNoise warns that no collected static folder exists; the API needs none.
        PYTHONWARNINGS="ignore:No directory at",
    )
    return env


def prepare_database(env: dict) -> tuple[str, int]:
    """Migrate, load the demo data and a 160-article story; return its slug and the
    number of published stories."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--allow-production", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from stories.models import Story
    from tests.factories import story_with_coverage

    slug = story_with_coverage(articles=BIG_STORY_ARTICLES, sources=40).slug
    return slug, Story.objects.published().count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout}s")


def requests_per_second(url: str) -> float:
    """Run wrk against url; refuse figures that include errors or non-2xx answers."""
    output = subprocess.run([*WRK, url], capture_output=True, text=True, check=True).stdout
    problems = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if problems:
        raise RuntimeError(f"wrk saw failures for {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    if shutil.which("wrk") is None:
        # Not a failure of the site: the other benchmarks of `make bench` still run, and
        # bench_floor.py measures the API against its floor without wrk.
        print("bench_api skipped: it needs wrk (Debian: apt-get install wrk)")
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-api-bench-") as data_dir:
        env = environment(data_dir)
        slug, published = prepare_database(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(f"{base}/healthz")
            endpoints = {
                "/healthz (baseline)": "/healthz",
                f"stories list ({min(published, 20)} of {published})": "/api/v1/stories/",
                f"story detail ({BIG_STORY_ARTICLES} articles)": f"/api/v1/stories/{slug}/",
            }
            for path in endpoints.values():  # warm every worker's imports and connections
                for _ in range(WORKERS * 3):
                    urllib.request.urlopen(base + path, timeout=10).read()
            rates = {name: requests_per_second(base + path) for name, path in endpoints.items()}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    baseline = rates["/healthz (baseline)"]
    print(f"API under load: gunicorn, {WORKERS} sync workers, SQLite, demo data; {' '.join(WRK)}")
    for name, rate in rates.items():
        print(f"  {name:<32} {rate:9.1f} req/s   {rate / baseline:5.2f}x of baseline")


if __name__ == "__main__":
    main()
