"""The story page in Chromium: bias bar, key points, tabs with and without JavaScript, layout."""

import re

import pytest

from .conftest import KEY_POINTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def cards_by_bucket(page) -> list[str]:
    return page.locator("#article-list .article-card").evaluate_all(
        "cards => cards.map(card => card.dataset.bucket)"
    )


def tab_count(page, bucket: str) -> int:
    return int(page.inner_text(f"#articles nav.bias-tabs a[data-bucket={bucket}] .tab-count"))


def test_the_bias_bar_shows_its_percentages(open_page, harbour_stories):
    page, _ = open_page()
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    bar = page.locator("#bias-distribution")
    assert bar.is_visible()
    assert bar.locator(".bar-segment").count() == 3
    # 3 left, 2 center and 2 right of the 7 rated outlets, rounded to add up to 100.
    legend = bar.locator(".bar-legend").inner_text()
    assert re.findall(r"(Left|Center|Right) (\d+)%", legend) == [
        ("Left", "43"),
        ("Center", "29"),
        ("Right", "28"),
    ]
    assert page.inner_text("#bias-sentence").startswith("43% of the sources are Left.")


def test_the_key_points_are_listed_in_order(open_page, harbour_stories):
    page, _ = open_page()
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    assert page.locator("#key-points").is_visible()
    assert page.locator("#key-points li").all_inner_texts() == KEY_POINTS
    assert page.inner_text("#articles-heading") == "12 Articles"


def test_a_tab_shows_only_its_sides_cards_without_reloading_the_page(open_page, harbour_stories):
    page, problems = open_page()
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    assert set(cards_by_bucket(page)) == {"left", "center", "right", "unrated"}
    page.evaluate("window.__samePage = true")

    page.click("#articles nav.bias-tabs a[data-bucket=left]")
    page.wait_for_selector("#articles nav.bias-tabs a[data-bucket=left][aria-current=page]")

    assert cards_by_bucket(page) == ["left"] * tab_count(page, "left")
    assert tab_count(page, "left") == 5
    assert page.url.endswith("?bias=left#articles")
    assert page.evaluate("window.__samePage") is True, "the page reloaded instead of swapping"
    assert problems.all(page) == []


def test_tabs_work_as_plain_links_without_javascript(open_page, harbour_stories):
    page, _ = open_page(java_script_enabled=False)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    for bucket, count in (("left", 5), ("right", 3)):
        with page.expect_navigation():
            page.click(f"#articles nav.bias-tabs a[data-bucket={bucket}]")
        assert page.url.endswith(f"?bias={bucket}#articles")
        assert cards_by_bucket(page) == [bucket] * count
        assert tab_count(page, bucket) == count


def test_screenshots_of_the_story_page_are_saved(open_page, harbour_stories, artifacts):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        path = artifacts / f"story-page-{device}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000, device


def test_the_story_page_fits_a_phone_without_sideways_scrolling(open_page, harbour_stories):
    page, _ = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    widths = page.evaluate(
        "({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths
