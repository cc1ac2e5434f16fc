"""Factuality in the rendered page: absent for anonymous readers, shown to premium ones."""

import pytest

from tests.site.html import factuality_traces

from .conftest import log_in

pytestmark = pytest.mark.browser

UPSELL = "To view factuality data please Upgrade to Premium"


def test_an_anonymous_reader_sees_the_upgrade_message(open_page, harbour_stories):
    page, _ = open_page()
    page.goto(f"/stories/{harbour_stories.story.slug}/")
    upsell = page.locator("#factuality-upsell")
    assert upsell.is_visible()
    assert upsell.inner_text() == UPSELL
    assert upsell.locator("a").get_attribute("href") == "/premium/"


@pytest.mark.parametrize("page_of", ["story", "source"])
def test_an_anonymous_reader_gets_no_factuality_anywhere_in_the_page(
    open_page, harbour_stories, page_of
):
    page, _ = open_page()
    page.goto(
        f"/stories/{harbour_stories.story.slug}/"
        if page_of == "story"
        else f"/sources/{harbour_stories.source.slug}/"
    )
    assert factuality_traces(page.content()) == []


def test_a_premium_reader_who_logs_in_sees_the_factuality_distribution(open_page, harbour_stories):
    page, _ = open_page()
    log_in(
        page, harbour_stories.premium_username, next_url=f"/stories/{harbour_stories.story.slug}/"
    )
    assert page.url.endswith(f"/stories/{harbour_stories.story.slug}/")

    distribution = page.locator("#factuality")
    assert distribution.is_visible()
    rows = [" ".join(row.split()) for row in distribution.locator("li").all_inner_texts()]
    # The 8 covering outlets: 2 Very High, 2 High, 2 Mixed, 1 Low, 1 not rated.
    assert rows == [
        "Very Low 0 (0%)",
        "Low 1 (13%)",
        "Mixed 2 (25%)",
        "High 2 (25%)",
        "Very High 2 (25%)",
        "Not rated 1 (12%)",
    ]
    assert page.locator("#factuality-upsell").count() == 0
    assert page.locator("#article-list .factuality-label").first.is_visible()
