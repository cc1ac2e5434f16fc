"""Copies of one wire text in a real browser: one card that opens on its other outlets."""

import pytest

from tests.factories import SourceFactory, StoryFactory, attach

from .test_accessibility import axe_source, blocking_violations  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

WIRE = "Harbour workers end strike after pay deal"


@pytest.fixture
def wire_story(site):
    story = StoryFactory(slug="strike")
    for name, suffix in [("Ames Post", ""), ("Bolt Daily", " - Reuters"), ("Cray News", "")]:
        attach(story, SourceFactory(name=name), title=WIRE + suffix, summary="Dock workers voted.")
    attach(story, SourceFactory(name="Dale Times"), title="Port reopens", summary="Ships dock.")
    return story


def test_copies_make_one_card_that_opens_on_the_other_outlets(open_page, wire_story, axe_source):  # noqa: F811
    page, problems = open_page()
    page.goto("/stories/strike/")
    assert page.locator(".article-card").count() == 2
    copies = page.locator(".card-copies")
    assert copies.locator("summary").inner_text() == "Also published by 2 sources"
    assert not copies.locator("li").first.is_visible()
    copies.locator("summary").click()
    named = [text.split(" (")[0] for text in copies.locator("li a").all_text_contents()]
    assert named == ["Bolt Daily", "Cray News"]
    assert copies.locator("li").first.is_visible()
    assert blocking_violations(page, axe_source) == []
    assert problems.all(page) == []
