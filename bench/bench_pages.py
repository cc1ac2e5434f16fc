"""Story page benchmark: a story with 160 articles, against /healthz: just after a change to
the story (its digest computed, web/digest.py), uncached (the page cache missed, the digest
read) and cached.

Runs in-process through Django's test client (no server, no network) on a
throwaway SQLite database and the local-memory cache, with the test settings
(DEBUG off). Each figure is the median time per request over several rounds;
the ratios divide by /healthz measured in the same run, so they compare across
machines better than milliseconds do.
"""

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 160
SOURCES = 40
ROUNDS = 5
REQUESTS_PER_ROUND = 40


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["NEWSROOM_DATA_DIR"] = data_dir
    for variable in ("DATABASE_URL", "REDIS_URL"):  # always the embedded defaults
        os.environ.pop(variable, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    # Static files come from the finders here; there is no collected STATIC_ROOT.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def per_request(client, url: str, before=None) -> float:
    """Median seconds per request of `url` over the rounds; before() runs untimed."""
    medians = []
    for _ in range(ROUNDS):
        times = []
        for _ in range(REQUESTS_PER_ROUND):
            if before:
                before()
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        medians.append(statistics.median(times))
    return statistics.median(medians)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as data_dir:
        setup_django(data_dir)
        from django.test import Client

        from stories.freshness import bump_content_version
        from tests.factories import story_with_coverage
        from web import digest

        story = story_with_coverage(articles=ARTICLES, sources=SOURCES)
        url = f"/stories/{story.slug}/"
        client = Client(HTTP_HOST="localhost")
        for warm in ("/healthz", url):  # imports, template loading, first connection
            for _ in range(10):
                client.get(warm)

        def changed() -> None:
            """What a change to the story does: its digest emptied, the page version raised."""
            digest.forget([story.pk])
            bump_content_version()

        baseline = per_request(client, "/healthz")
        recomputed = per_request(client, url, before=changed)
        uncached = per_request(client, url, before=bump_content_version)
        bump_content_version()
        cached = per_request(client, url)

        print(f"story page, {ARTICLES} articles from {SOURCES} sources; Django test client, "
              f"temporary SQLite, local-memory cache; median of {ROUNDS} rounds "
              f"x {REQUESTS_PER_ROUND} requests")  # fmt: skip
        print(f"  /healthz (baseline)    {baseline * 1000:8.2f} ms   1.0x")
        for label, seconds in (
            ("story page, changed", recomputed),
            ("story page, uncached", uncached),
            ("story page, cached", cached),
        ):
            print(f"  {label:<22} {seconds * 1000:8.2f} ms  {seconds / baseline:5.1f}x baseline")
        print(f"  cached / uncached      {cached / uncached:8.2f}")


if __name__ == "__main__":
    main()
