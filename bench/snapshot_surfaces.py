"""Save what users see, to compare two versions of the code: snapshot_surfaces.py DIR.

Loads the demo into a throwaway SQLite database and writes, for an anonymous
reader, a premium reader and an editor, every public page of the demo, the
outgoing feeds, the API's lists and details, and the OpenAPI schema, one file
each. Times, CSRF tokens and other per-run values are masked, so a plain
`diff -r OLD NEW` of two snapshots shows only real differences.
"""

import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import bench_pages  # beside this script

MASKS = [
    # ISO 8601 date-times, with or without a fraction and offset.
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"), "<when>"),
    # RFC 822 dates of the RSS feed.
    (re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"), "<when>"),
    (re.compile(r"<time [^>]*>[^<]*</time>"), "<time/>"),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r"\d+\xa0(minute|hour|day|week|month|year)s?(, \d+\xa0\w+)? ago"), "<ago>"),
    (re.compile(r"\d\d \w{3} \d{4}, \d\d:\d\d UTC"), "<when>"),
    (re.compile(r"\b\w{3}\.? \d{1,2}, \d{4}\b"), "<date>"),
]


def setup_django(data_dir: str) -> None:
    """bench_pages' throwaway database and test settings, with the demo loaded."""
    os.environ["ALLOWED_HOSTS"] = "testserver"
    bench_pages.setup_django(data_dir)
    from django.core.management import call_command

    call_command("load_demo", "--allow-production", stdout=io.StringIO())


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def urls() -> list[str]:
    from sources.models import Source
    from stories.models import Story

    stories = list(Story.objects.order_by("pk").values_list("slug", flat=True))
    published = list(Story.objects.published().order_by("pk").values_list("slug", flat=True))
    sources = list(Source.objects.order_by("pk").values_list("slug", flat=True)[:12])
    pages = ["/", "/?page=2", "/blindspot/", "/blindspot/?side=left", "/search/?q=grid",
             "/search/?q=times", "/premium/", "/how-we-rate/", "/feeds/stories/",
             "/feeds/stories/atom/", "/accounts/login/", "/accounts/signup/",
             "/stories/", "/stories/no-such-story/", "/healthz"]  # fmt: skip
    for slug in published:
        pages += [f"/stories/{slug}/", f"/stories/{slug}/?bias=left&page=2"]
    pages += [f"/sources/{slug}/" for slug in sources]
    api = ["/api/v1/", "/api/v1/stories/", "/api/v1/stories/?ordering=title&page_size=5",
           "/api/v1/articles/?bias=right", "/api/v1/articles/?unassigned=true",
           "/api/v1/sources/?bias_bucket=center", "/api/v1/sources/?factuality=5",
           "/api/v1/stories/?nope=1", "/api/schema/", "/api/docs/"]  # fmt: skip
    for slug in stories:
        api += [f"/api/v1/stories/{slug}/", f"/api/v1/stories/{slug}/articles/"]
    api += [f"/api/v1/sources/{slug}/" for slug in sources[:4]]
    return pages + api


def snapshot(out: Path) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    readers = {
        "anonymous": None,
        "premium": users.filter(username="premium").first(),
        "editor": users.filter(is_staff=True).order_by("pk").first(),
    }
    written = 0
    for name, user in readers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls():
            response = client.get(url, HTTP_ACCEPT="application/json, text/html")
            body = response.content.decode("utf-8", "replace")
            if response.get("Content-Type", "").startswith("application/json"):
                body = json.dumps(json.loads(body), indent=1, sort_keys=True)
            file = out / name / (re.sub(r"[^\w.-]+", "_", url).strip("_") or "root")
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(f"{response.status_code} {response.get('Content-Type')}\n{mask(body)}")
            written += 1
    return written


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[0])
    out = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        print(f"{snapshot(out)} responses written under {out}")


if __name__ == "__main__":
    main()
