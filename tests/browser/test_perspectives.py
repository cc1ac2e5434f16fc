"""The story page's perspectives and timeline in Chromium: tabs with and without JavaScript."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIDES = ["left", "center", "right"]


def visible_sides(page) -> list[str]:
    return [side for side in SIDES if page.locator(f"#perspective-{side}").is_visible()]


def test_without_javascript_every_side_shows_one_after_another(open_page, harbour_stories):
    page, _ = open_page(java_script_enabled=False)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    assert visible_sides(page) == SIDES
    assert page.locator("#perspectives [role=tablist]").count() == 0
    assert (
        page.locator("#perspective-center .perspective-headline a")
        .inner_text()
        .startswith("Plainview Daily: bridge traffic returns (1)")
    )


def test_with_javascript_the_sides_are_tabs_the_keyboard_can_move(open_page, harbour_stories):
    page, problems = open_page()
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    tabs = page.locator("#perspectives [role=tab]")
    tabs.first.wait_for()
    assert tabs.all_inner_texts() == ["Left", "Center", "Right"]
    assert visible_sides(page) == ["left"]
    assert page.get_attribute("#perspective-left-tab", "aria-selected") == "true"

    page.focus("#perspective-left-tab")
    page.keyboard.press("ArrowRight")
    assert visible_sides(page) == ["center"]
    assert page.evaluate("document.activeElement.id") == "perspective-center-tab"
    page.keyboard.press("End")
    assert visible_sides(page) == ["right"]
    page.keyboard.press("ArrowRight")  # wraps round to the first
    assert visible_sides(page) == ["left"]

    page.click("#perspective-right-tab")
    assert visible_sides(page) == ["right"]
    assert page.get_attribute("#perspective-right", "aria-labelledby") == "perspective-right-tab"
    assert problems.all(page) == []


def test_the_timeline_fits_a_phone_and_keeps_its_numbers_in_a_table(open_page, harbour_stories):
    page, problems = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    chart = page.locator("#timeline-chart")
    box = chart.bounding_box()
    assert 200 < box["width"] <= PHONE["width"]
    assert chart.locator("rect.timeline-block").count() > 0
    page.click("#timeline summary")
    assert page.locator("#timeline-table").is_visible()
    assert problems.all(page) == []
