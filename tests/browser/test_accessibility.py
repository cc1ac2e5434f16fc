"""axe-core on the reader-facing pages, and pages free of script errors and CSP violations."""

from pathlib import Path

import pytest

from tests.prerequisites import missing

from .conftest import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

PAGES = {
    "home": "/",
    "story": "/stories/harbour-bridge/",
    "source": "/sources/riverside-courier/",
    "premium": "/premium/",
    "search": "/search/?q=bridge",
    "blindspot": "/blindspot/",
    "login": "/accounts/login/",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        missing(f"{AXE} is missing: install npm, then `make test` runs `npm ci`")
    return AXE.read_text()


def blocking_violations(page, axe_source: str) -> list[str]:
    """A line per serious or critical axe violation on the page, with a few of its elements.

    axe is evaluated through DevTools, which the page's Content-Security-Policy does
    not govern; the policy itself stays as served.
    """
    page.evaluate(axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(
                f"{violation['impact']} {violation['id']}: {violation['help']} @ {targets}"
            )
    return lines


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


def test_axe_finds_no_serious_or_critical_violations(open_page, harbour_stories, axe_source):
    page, _ = open_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(path)
        found[name] = blocking_violations(page, axe_source)
    assert report(found) == ""


def test_axe_finds_no_serious_or_critical_violations_for_a_premium_reader(
    open_page, harbour_stories, axe_source
):
    """Premium readers also get factuality bars and labels."""
    page, _ = open_page()
    log_in(page, harbour_stories.premium_username, next_url=PAGES["story"])
    assert page.locator("#factuality").is_visible()
    found = {"story (premium)": blocking_violations(page, axe_source)}
    page.goto(PAGES["source"])
    found["source (premium)"] = blocking_violations(page, axe_source)
    assert report(found) == ""


def test_pages_log_no_errors_and_violate_no_csp(open_page, harbour_stories):
    page, problems = open_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(path)
        found[name] = problems.all(page)
        problems.console.clear()
        problems.uncaught.clear()
    assert report(found) == ""
