"""A hostile document cannot hold a worker: parsing one feed has a processor-time limit."""

import threading
import time

from sources import ingest
from sources.parse import parse_feed
from sources.time_limit import TimeLimitExceeded, cpu_time_limit
from tests.factories import ArticleFactory

from .documents import item, rss, stored_articles

NESTED = 200_000


def deeply_nested_feed() -> bytes:
    """An RSS item whose description holds 200,000 nested elements (1.4 MB).

    lxml refuses the depth, so the fast path declines and feedparser gets it: about five
    seconds of processor time without the limit.
    """
    markup = "<b>" * NESTED + "x" + "</b>" * NESTED
    document = rss([item(1, description="PLACEHOLDER")]).decode()
    return document.replace("PLACEHOLDER", markup).encode()


def test_deeply_nested_feed_is_cut_off_and_recorded_as_the_feeds_error(serve_feed, settings):
    settings.NEWSROOM_FEED_PARSE_SECONDS = 0.5
    feed = serve_feed(deeply_nested_feed())
    ArticleFactory(source=feed.source, feed=feed)
    before = stored_articles(feed)

    started = time.process_time()  # processor time, which a loaded test machine does not inflate
    result = ingest.fetch_feed(feed.pk)
    assert time.process_time() - started < 2

    feed.refresh_from_db()
    assert result.status == "error"
    assert feed.last_error == (
        "Reading the feed took longer than 0.5 seconds of processor time; "
        "it is too large or too complex to read safely."
    )
    assert (feed.last_status, feed.consecutive_errors) == (200, 1)
    assert stored_articles(feed) == before


def test_ordinary_feed_parses_well_within_the_default_limit():
    document = rss([item(n) for n in range(500)])
    parsed = parse_feed(document, {"content-type": "application/rss+xml"}, "https://n.example/")
    assert len(parsed.entries) == 500


def test_limit_restores_the_previous_signal_handler_and_timer():
    import signal

    before = signal.getsignal(signal.SIGVTALRM)
    with cpu_time_limit(5):
        pass
    assert signal.getsignal(signal.SIGVTALRM) is before
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_limit_interrupts_a_busy_loop():
    started = time.process_time()
    try:
        with cpu_time_limit(0.2):
            while True:
                pass
    except TimeLimitExceeded:
        pass
    assert time.process_time() - started < 1


def test_outside_the_main_thread_parsing_runs_without_a_limit():
    finished = []

    def busy():
        with cpu_time_limit(0.05):
            deadline = time.process_time() + 0.2
            while time.process_time() < deadline:
                pass
        finished.append(True)

    worker = threading.Thread(target=busy)
    worker.start()
    worker.join()
    assert finished == [True]
