"""Load test: pages, API and admin at once, first with nothing broken, then with Redis killed.

Serves the site as deployed (gunicorn, DEBUG off) on a throwaway PostgreSQL database
holding the demo data and a redis-server of its own on a free port (persistent, as
tests/faults/redis_server.py starts it), so that killing it touches no other Redis. Then
two phases of the same load, clients sending requests back to back (the mix is in
tests/traffic.py):

1. nothing broken: the goal is no error at all (every answer a 200);
2. Redis killed with SIGKILL halfway, restarted at 80% of the phase: the goal is no
   answer of 500, and no dropped connection (which would hide one). 503 is allowed.

Prints requests, errors by status, 500s, p50/p99 latency and throughput overall, per
group and per stretch between the faults; exits 1 when a goal is missed (--no-fail:
report only). Needs PostgreSQL on 127.0.0.1:5432 (createdb/dropdb as postgres) and
redis-server. Run with `make loadtest` (LOADTEST_ARGS="--seconds 20" for a shorter one).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import traffic  # noqa: E402
from tests.faults.redis_server import RedisServer  # noqa: E402  (root on the path first)

POSTGRES = ["-h", "127.0.0.1", "-U", "postgres"]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--no-fail", action="store_true", help="report, exit 0 regardless")
    return parser.parse_args()


def demo_editor() -> tuple[str, str]:
    """The demo's editor account (demo/content.toml), which the admin clients log in as."""
    with (ROOT / "demo" / "content.toml").open("rb") as content:
        accounts = tomllib.load(content)["accounts"]
    editor = next(account for account in accounts if account.get("editor"))
    return editor["username"], editor["password"]


def prepare(env: dict) -> None:
    """Migrate, load the demo data and collect the static files, as a release would."""
    for command in (
        ["migrate", "--noinput"],
        ["load_demo", "--allow-production"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def verdicts(calm, faulted) -> list[tuple[bool, str]]:
    calm_errors = traffic.figures(calm).errors
    faulted = traffic.figures(faulted)
    return [
        (calm_errors == 0, f"no errors without faults: {calm_errors} errors"),
        (
            faulted.server_errors == 0 and faulted.no_response == 0,
            f"no 500 with Redis killed: {faulted.server_errors} answers of 500, "
            f"{faulted.no_response} without any answer",
        ),
    ]


def measure(args, *, database: str, data_dir: Path, redis: RedisServer):
    """Serve the site, run both phases and print their reports; return the phases."""
    env = traffic.server_environment(
        database_url=f"postgres://postgres@127.0.0.1:5432/{database}",
        redis_url=redis.url,
        data_dir=str(data_dir),
        settings="newsroom.settings",
    )
    prepare(env)
    log = data_dir / "gunicorn.log"
    server, base = traffic.start_gunicorn(env, workers=args.workers, log=log)
    try:
        username, password = demo_editor()
        site = traffic.discover(base, username=username, password=password)
        print(f"gunicorn, {args.workers} sync workers, PostgreSQL and Redis, demo data")
        calm = traffic.run_phase(site, clients=args.clients, seconds=args.seconds, seed=1)
        print(traffic.report("Phase 1, nothing broken", calm), flush=True)
        faults = [
            traffic.Event(
                args.seconds * 0.5, "Redis killed", lambda: traffic.kill_hard(redis.process)
            ),
            traffic.Event(args.seconds * 0.8, "Redis restarted", redis.start),
        ]
        faulted = traffic.run_phase(
            site, clients=args.clients, seconds=args.seconds, events=faults, seed=2
        )
        print(traffic.report("Phase 2, Redis killed halfway, restarted at 80%", faulted))
    finally:
        traffic.stop_gunicorn(server)
    logged = traffic.server_exceptions(log)
    if logged:
        print("Exceptions the server logged (commonest first):")
        for line, count in logged:
            print(f"  {count:>6} × {line}")
    return calm, faulted


def main() -> int:
    args = arguments()
    database = f"newsroom_loadtest_{os.getpid()}"
    subprocess.run(["createdb", *POSTGRES, database], check=True)
    try:
        with tempfile.TemporaryDirectory(prefix="newsroom-loadtest-") as data_dir:
            redis = RedisServer(Path(data_dir) / "redis")
            redis.start()
            try:
                calm, faulted = measure(
                    args, database=database, data_dir=Path(data_dir), redis=redis
                )
            finally:
                redis.stop()
    finally:
        subprocess.run(["dropdb", *POSTGRES, "--if-exists", database], check=False)

    results = verdicts(calm, faulted)
    print("Goals:")
    for met, text in results:
        print(f"  {'met   ' if met else 'MISSED'} {text}")
    return 0 if args.no_fail or all(met for met, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
