"""The public pages' layout in Chromium at a desktop and a phone width, with screenshots.

Screenshots go to $NEWSROOM_SCREENSHOTS (default test-artifacts/screenshots/, which git
ignores), one per page and width, named <page>-<width>.png.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from sources.ratings import Bias
from sources.thumbnails import _store
from tests.factories import (
    ArticleFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    attach,
)
from tests.pictures import picture
from tests.prerequisites import missing

from .conftest import ARTIFACTS
from .test_accessibility import AXE, blocking_violations

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
BIG_STORY_ARTICLES = 160
# Where a phone must show the first article card at the latest, from the top of the page.
FIRST_CARD_BY = 900

# Key points as long as editors write them: a phone wraps each over three lines.
LONG_KEY_POINTS = [
    "The council voted eight to three to rebuild the harbour bridge deck next spring, "
    "closing one lane at a time.",
    "Engineers found corrosion in a quarter of the deck's steel during last year's survey.",
    "Ferries will run every ten minutes at rush hour while the outer lanes are closed.",
]


def phone_options() -> dict:
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def options_for(width: str) -> dict:
    return phone_options() if width == "phone" else {"viewport": DESKTOP}


@pytest.fixture
def screenshots() -> Path:
    folder = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or ARTIFACTS / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.exists():
        missing(f"{AXE} is missing: install npm, then `make test` runs `npm ci`")
    return AXE.read_text()


@pytest.fixture
def big_story(harbour_stories):
    """A story of 160 articles from 40 outlets of every bias, with long key points."""
    story = StoryFactory(title="Council approves a new harbour bridge deck", slug="bridge-deck")
    for position, text in enumerate(LONG_KEY_POINTS):
        KeyPointFactory(story=story, position=position, text=text)
    biases = [*Bias.values, None]
    outlets = [SourceFactory(bias=biases[i % len(biases)]) for i in range(40)]
    for i in range(BIG_STORY_ARTICLES):
        attach(
            story,
            outlets[i % len(outlets)],
            title=f"Deck rebuild approved: what the closures mean for commuters ({i + 1})",
            summary="Crews will start on the north side; the work is due to take nine months.",
        )
    return story


def pages_of(stories, big_story) -> dict[str, str]:
    return {
        "home": "/",
        "story": f"/stories/{stories.story.slug}/",
        "story-160": f"/stories/{big_story.slug}/",
        "source": f"/sources/{stories.source.slug}/",
        "search": "/search/?q=bridge",
        "blindspot": "/blindspot/",
    }


def overflow(page) -> dict:
    """The page's scroll width against the viewport's: equal unless something sticks out."""
    return page.evaluate(
        "({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )


def photograph(page, path: Path) -> None:
    """A full-page screenshot with every card drawn: cards use content-visibility: auto, which
    a browser skips while they are far from the window, and a full-page capture is far."""
    page.evaluate(
        "() => document.querySelectorAll('.article-card, .story-list > li')"
        ".forEach(e => { e.style.contentVisibility = 'visible'; })"
    )
    page.screenshot(path=path, full_page=True)


def box(page, selector: str) -> dict:
    """The element's box relative to the viewport."""
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); "
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
    )


def page_top(page, selector: str) -> float:
    """The element's distance from the top of the document."""
    return page.locator(selector).first.evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_width_log_no_errors_and_are_photographed(
    open_page, harbour_stories, big_story, screenshots, width
):
    page, problems = open_page(**options_for(width))
    found = {}
    for name, path in pages_of(harbour_stories, big_story).items():
        page.goto(path)
        widths = overflow(page)
        if widths["scroll"] > widths["inner"]:
            found[name] = f"scrolls sideways: {widths}"
        if problems.all(page):
            found[name] = problems.all(page)
        problems.console.clear()
        problems.uncaught.clear()
        shot = screenshots / f"{name}-{width}.png"
        shot.unlink(missing_ok=True)
        photograph(page, shot)
        assert shot.stat().st_size > 10_000, shot
    print(f"screenshots in {screenshots}")
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_violations_at_either_width(
    open_page,
    harbour_stories,
    big_story,
    axe,
    width,
):
    page, _ = open_page(**options_for(width))
    found = {}
    for name, path in pages_of(harbour_stories, big_story).items():
        page.goto(path)
        found[name] = blocking_violations(page, axe)
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_coverage_column_stays_in_view_while_the_articles_scroll(open_page, big_story):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/stories/{big_story.slug}/")
    checked = []
    for y in range(1000, 20_000, 1500):
        scrolled = page.evaluate(
            "y => { window.scrollTo({top: y, behavior: 'instant'}); return window.scrollY; }", y
        )
        # Cards are laid out as they come near (content-visibility), so the list's end is
        # read at each step; the column may leave only with the list's last screen.
        if box(page, "#articles")["bottom"] < DESKTOP["height"]:
            break
        column = box(page, "aside.coverage")
        assert 0 <= column["top"] < 100, (scrolled, column)
        assert column["bottom"] <= DESKTOP["height"], (scrolled, column)
        assert box(page, "#coverage-details")["top"] < DESKTOP["height"] - 50
        checked.append(scrolled)
    assert len(checked) >= 3, f"the articles ran out after {checked}"


def test_a_short_story_has_no_gap_between_key_points_and_articles(open_page, harbour_stories):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    points, bar, articles = (box(page, s) for s in (".key-points", ".bias-panel", "#articles"))
    assert bar["top"] - points["bottom"] < 24
    assert articles["top"] - bar["bottom"] < 24


def test_a_phone_shows_key_points_the_bar_and_articles_before_the_panels(open_page, big_story):
    page, _ = open_page(**phone_options())
    page.goto(f"/stories/{big_story.slug}/")
    order = [page_top(page, s) for s in ("#key-points", "#bias-distribution", ".article-card")]
    assert order == sorted(order)
    assert order[-1] <= FIRST_CARD_BY, f"first card at {order[-1]} px"
    last_card = page_top(page, "#article-list .article-card:last-child")
    for panel in ("#coverage-details", "#factuality-heading", "#ownership-heading"):
        assert page_top(page, panel) > last_card, panel
    # Folded to one line each on a phone; a tap opens one.
    folds = page.locator("aside.coverage details.fold")
    assert folds.count() == 3
    assert folds.evaluate_all("ds => ds.every(d => !d.open)")
    page.locator("#coverage-details summary").click()
    assert page.locator("#coverage-details dd[data-count=total]").is_visible()


def test_the_panels_are_open_on_a_desktop_and_without_javascript(open_page, big_story):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/stories/{big_story.slug}/")
    assert page.locator("#coverage-details dd[data-count=total]").is_visible()
    page, _ = open_page(java_script_enabled=False, **phone_options())
    page.goto(f"/stories/{big_story.slug}/")
    assert page.locator("#coverage-details dd[data-count=total]").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_bias_tabs_stay_on_one_line(open_page, big_story, width):
    page, _ = open_page(**options_for(width))
    page.goto(f"/stories/{big_story.slug}/")
    tabs = page.locator("#articles nav.bias-tabs a")
    lines = tabs.evaluate_all(
        """tabs => tabs.map(tab => {
            const range = document.createRange();
            range.selectNodeContents(tab);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return {top: Math.round(tab.getBoundingClientRect().top), lines: tops.size};
        })"""
    )
    assert len(lines) == 4
    assert {tab["top"] for tab in lines} == {lines[0]["top"]}, lines
    assert all(tab["lines"] == 1 for tab in lines), lines
    nav = box(page, "#articles nav.bias-tabs ul")
    assert nav["right"] <= WIDTHS[width]["width"]


def test_the_phone_header_is_compact(open_page, harbour_stories):
    page, _ = open_page(**phone_options())
    page.goto("/")
    header = box(page, ".site-header")
    assert header["bottom"] - header["top"] <= 110, header
    for selector in (".brand", "#account", ".site-nav", ".search-link"):
        assert page.locator(selector).is_visible(), selector


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_page_has_one_search_box(open_page, harbour_stories, width):
    page, _ = open_page(**options_for(width))
    page.goto("/search/?q=bridge")
    assert page.locator("input[type=search]:visible").count() == 1
    assert page.locator("#search-q").is_visible()


def test_headlines_and_outlets_are_underlined_only_on_hover_or_focus(open_page, harbour_stories):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    decoration = "e => getComputedStyle(e).textDecorationLine"
    for selector in ("#article-list .card-title a", "#article-list .source-name"):
        link = page.locator(selector).first
        assert link.evaluate(decoration) == "none", selector
        link.hover()
        assert link.evaluate(decoration) == "underline", selector
    page.mouse.move(0, 0)
    page.focus("#article-list .source-name")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    focused = page.locator("#article-list .source-name").first
    style = focused.evaluate("e => [getComputedStyle(e).textDecorationLine, "
                             "getComputedStyle(e).outlineStyle]")  # fmt: skip
    assert style == ["underline", "solid"]


def test_the_home_page_leads_with_one_story_and_links_to_blindspot(open_page, harbour_stories):
    page, _ = open_page(viewport=DESKTOP)
    page.goto("/")
    lead = page.locator("article.story-teaser").first
    assert "teaser-lead" in lead.get_attribute("class")
    assert lead.get_attribute("data-slug") == harbour_stories.blindspot.slug  # the newest
    assert page.locator("nav.explore a[href='/blindspot/']").is_visible()


@pytest.fixture
def pictured_lead(site, settings, tmp_path):
    """The newest story, with one article that has a thumbnail of our own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    story = StoryFactory(title="Harbour bridge reopens after repairs", slug="harbour-bridge")
    article = ArticleFactory(thumbnail=_store(picture("JPEG", (320, 180))))
    StoryArticleFactory(story=story, article=article)
    StoryFactory(title="Tram fares frozen", published_at=story.published_at - timedelta(days=1))
    return story


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lead_shows_its_picture(open_page, pictured_lead, screenshots, width):
    """Above the title on a phone, at the column's width; beside it on a desktop."""
    page, problems = open_page(**options_for(width))
    page.goto("/")
    lead = page.locator("article.teaser-lead")
    assert lead.get_attribute("data-slug") == pictured_lead.slug
    lead.locator("img.teaser-thumbnail").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    picture, title = box(page, ".teaser-lead img"), box(page, ".teaser-lead .teaser-title")
    lead_box = box(page, ".teaser-lead")
    if width == "phone":
        assert picture["bottom"] <= title["top"]
        assert picture["right"] - picture["left"] > 0.8 * (lead_box["right"] - lead_box["left"])
    else:
        assert picture["left"] >= title["right"] and picture["top"] < title["bottom"]
        assert picture["right"] - picture["left"] <= 320
    assert overflow(page)["scroll"] <= overflow(page)["inner"]
    assert problems.all(page) == []
    photograph(page, screenshots / f"home-lead-picture-{width}.png")
