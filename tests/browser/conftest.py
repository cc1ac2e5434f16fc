"""Reader-facing pages in the shared headless Chromium (tests/chromium.py)."""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.text import slugify

from sources.models import Source
from sources.ratings import Bias, Factuality, OwnerCategory
from stories.freshness import bump_content_version
from stories.models import Story
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    KeyPointFactory,
    OwnerFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    SubscriptionFactory,
    UserFactory,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Records CSP violations from the first script on; init scripts run outside the page's CSP.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def site(transactional_db, live_server):
    """The live site on 127.0.0.1, its page cache fresh.

    Transactional: the server's threads must see the test's data. The flush
    afterwards is the usual one and leaves what any transactional test leaves;
    these tests need none of the migrations' data. The page cache
    is bumped because a flush sends no signals, so pages cached by an earlier test
    would outlive its data. The database is asked for before the server, so that
    the server (and its connections) stops before the test database is dropped.
    """
    bump_content_version()
    return live_server


@dataclass
class Problems:
    """What went wrong on a page: console errors, uncaught errors, CSP violations."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def all(self, page) -> list[str]:
        return self.console + self.uncaught + csp_violations(page)


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


@pytest.fixture
def open_page(chromium, site):
    """open_page(**context_options) -> (page, problems) on the live site.

    Every page gets its own browser context (cookies, viewport, JavaScript on or
    off), closed after the test.
    """
    contexts = []

    def make(**options):
        context = chromium.new_context(base_url=site.url, **options)
        contexts.append(context)
        page = context.new_page()
        problems = Problems()
        page.on(
            "console",
            lambda message: message.type == "error" and problems.console.append(message.text),
        )
        page.on("pageerror", lambda error: problems.uncaught.append(str(error)))

        def on_dialog(dialog):
            problems.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.add_init_script(WATCH_CSP)
        return page, problems

    yield make
    for context in contexts:
        context.close()


def log_in(page, username: str, *, next_url: str = "/") -> None:
    """Log in through the site's own login form, then land on next_url."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#account .account-name").is_visible(), "the login did not take"


@pytest.fixture
def artifacts() -> Path:
    """test-artifacts/ at the repository root; CI keeps what is saved there."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Outlets of a story: name, bias, factuality, owner category, articles they wrote.
OUTLETS = [
    ("Riverside Courier", Bias.FAR_LEFT, Factuality.HIGH, OwnerCategory.INDEPENDENT, 2),
    ("Northgate Post", Bias.LEFT, Factuality.MIXED, OwnerCategory.MEDIA_CONGLOMERATE, 2),
    ("Civic Ledger", Bias.LEAN_LEFT, Factuality.VERY_HIGH, OwnerCategory.NONPROFIT, 1),
    ("Plainview Daily", Bias.CENTER, Factuality.HIGH, OwnerCategory.PUBLIC_COMPANY, 2),
    ("Meridian Wire", Bias.CENTER, Factuality.VERY_HIGH, OwnerCategory.PRIVATE_EQUITY, 1),
    ("Granite Herald", Bias.LEAN_RIGHT, Factuality.MIXED, OwnerCategory.WEALTHY_INDIVIDUAL, 1),
    ("Frontier Sentinel", Bias.RIGHT, Factuality.LOW, OwnerCategory.TELECOM, 2),
    ("Tidewater Notes", None, None, OwnerCategory.OTHER, 1),
]
KEY_POINTS = [
    "The harbour bridge reopens to traffic on Monday after eight months of repairs.",
    "Tolls stay at last year's level until the spring.",
    "Cyclists get a separate lane on the north side.",
]


@dataclass
class HarbourStories:
    story: Story
    blindspot: Story
    source: Source
    premium_username: str


@pytest.fixture
def harbour_stories(site) -> HarbourStories:
    """A published story covered across the spectrum, and one covered only from the left."""
    story = StoryFactory(title="Harbour bridge reopens after repairs", slug="harbour-bridge")
    for position, text in enumerate(KEY_POINTS):
        KeyPointFactory(story=story, position=position, text=text)
    outlets = []
    for n, (name, bias, factuality, category, articles) in enumerate(OUTLETS):
        outlet = SourceFactory(
            name=name,
            slug=slugify(name),
            bias=bias,
            factuality=factuality,
            owner=OwnerFactory(category=category),
        )
        outlets.append(outlet)
        for i in range(articles):
            article = ArticleFactory(
                source=outlet,
                title=f"{name}: bridge traffic returns ({i + 1})",
                summary="Crews finished the deck and the railings ahead of schedule.",
                published_at=timezone.now() - timedelta(hours=n + i + 1),
            )
            StoryArticleFactory(story=story, article=article)

    blindspot = StoryFactory(title="Tram fares frozen for a year", slug="tram-fares")
    KeyPointFactory(story=blindspot, position=0, text="Fares stay where they are until next June.")
    for outlet in outlets[:3]:
        StoryArticleFactory(story=blindspot, article=ArticleFactory(source=outlet))

    premium = SubscriptionFactory(user=UserFactory(username="subscriber")).user
    return HarbourStories(
        story=story, blindspot=blindspot, source=outlets[0], premium_username=premium.username
    )
