"""A real `celery worker` process for tests, on the test database and its own queue."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    """The URL of the database pytest-django created, for a process outside this one."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def queue_name() -> str:
    """A queue no other test process consumes (xdist workers share the broker)."""
    return f"ingest-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"


class Worker:
    """`celery -A newsroom worker` consuming only `queue`, logging to `log`."""

    def __init__(self, queue: str, log: Path, **env: str):
        self.queue, self.log = queue, log
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "NEWSROOM_DATA_DIR": str(settings.DATA_DIR),  # the file broker's folders, if used
            "NEWSROOM_ALLOW_PRIVATE_FEEDS": "true",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "Worker":
        command = [
            *(str(CELERY), "-A", "newsroom", "worker", "-Q", self.queue, "--pool", "solo"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"),
            *("-n", f"{self.queue}@%h"),
        ]
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=output, stderr=output
            )
        self.wait_for_log(" ready.", timeout, offset)
        return self

    def wait_for_log(self, text: str, timeout: float, offset: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace")[offset:]:
                return
            if self.process and self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} from the worker:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement of the task in progress."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
