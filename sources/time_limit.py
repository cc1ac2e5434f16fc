"""A processor-time limit for parsing one feed, so that a hostile document cannot hold a worker.

feedparser is pure Python and spends about 25 µs per tag whatever the nesting: a 15 MB
document made of tags costs a minute, and no check of the bytes up front bounds that. The
limit is a CPU-time timer (SIGVTALRM) whose handler raises in the parsing code; Python runs
signal handlers in the main thread only, which is where Celery's prefork workers and the
ingest_feeds command run tasks. Elsewhere (threads of tests, of a threaded server) parsing
runs without the limit, as it did before.
"""

import signal
import threading
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The limit ran out. A BaseException, so that feedparser's own `except Exception`
    recovery cannot swallow it and carry on with the rest of the document."""


def _interrupt(signum, frame):
    raise TimeLimitExceeded


def can_limit() -> bool:
    """Whether this thread can be interrupted by a timer signal."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def cpu_time_limit(seconds: float):
    """Raise TimeLimitExceeded in the block once it has used `seconds` of processor time.

    A limit of 0 or less, or a thread that cannot be interrupted, runs the block unlimited.
    """
    if seconds <= 0 or not can_limit():
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _interrupt)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
