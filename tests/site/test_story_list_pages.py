"""Home and Blindspot count their stories only up to a cap, so they cost the same at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.ratings import Bias
from stories.freshness import bump_content_version
from tests.factories import SourceFactory, StoryFactory, attach
from web import blindspot, pages

from .html import find, squash

pytestmark = pytest.mark.django_db

PER_PAGE = 2
PAGES = 2  # so the lists stop after PER_PAGE * PAGES = 4 stories


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(pages, "STORIES_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(blindspot, "STORIES_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(pages.StoryListPaginator, "limit", PER_PAGE * PAGES)


def stories(n, *biases):
    """n published stories, newest first as "Item 0".."Item n-1", covered by outlets of biases."""
    made = []
    for i in range(n):
        story = StoryFactory(title=f"Item {i}", published_at=timezone.now() - timedelta(hours=i))
        for bias in biases:
            attach(story, SourceFactory(bias=bias))
        made.append(story)
    return made


def listing(client, url):
    """(titles, "Page …" text, next href or None) of a list page, from a cold page cache."""
    bump_content_version()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    titles = [squash(h.text) for h in find(html, "h2", class_="teaser-title")]
    page_of = [squash(s.text) for s in find(html, "span", class_="page-of")]
    next_links = [a.attrs["href"] for a in find(html, "a", rel="next")]
    return titles, page_of, next_links[0] if next_links else None


def test_home_past_the_cap_shows_the_page_number_alone_and_stops_at_the_cap(client):
    stories(PER_PAGE * PAGES)
    # Counted to the end: "of 2".
    assert listing(client, "/") == (["Item 0", "Item 1"], ["Page 1 of 2"], "/?page=2")
    StoryFactory(title="Oldest", published_at=timezone.now() - timedelta(days=9))
    assert listing(client, "/") == (["Item 0", "Item 1"], ["Page 1"], "/?page=2")
    assert listing(client, "/?page=2") == (["Item 2", "Item 3"], ["Page 2"], None)
    # A page past the end shows the last page, as Django's get_page does.
    assert listing(client, "/?page=3") == (["Item 2", "Item 3"], ["Page 2"], None)
    assert listing(client, "/?page=9999999") == (["Item 2", "Item 3"], ["Page 2"], None)


@pytest.mark.parametrize("url", ["/blindspot/", "/blindspot/?side=right"])
def test_blindspot_past_the_cap_shows_the_page_number_alone_and_stops_at_the_cap(client, url):
    stories(PER_PAGE * PAGES, Bias.LEFT)  # no outlet on the right: a blindspot for the Right
    balanced = StoryFactory(title="Balanced")  # not listed
    for bias in (Bias.LEFT, Bias.RIGHT):
        attach(balanced, SourceFactory(bias=bias))
    joiner = "&" if "?" in url else "?"
    # Counted to the end: "of 2".
    assert listing(client, f"{url}{joiner}page=2") == (["Item 2", "Item 3"], ["Page 2 of 2"], None)
    oldest = StoryFactory(title="Oldest", published_at=timezone.now() - timedelta(days=9))
    attach(oldest, SourceFactory(bias=Bias.LEFT))
    first = listing(client, url)
    assert first == (["Item 0", "Item 1"], ["Page 1"], f"{url}{joiner}page=2")
    assert listing(client, f"{url}{joiner}page=2") == (["Item 2", "Item 3"], ["Page 2"], None)
    assert listing(client, f"{url}{joiner}page=50") == (["Item 2", "Item 3"], ["Page 2"], None)


@pytest.mark.parametrize("url", ["/", "/blindspot/"])
def test_the_count_reads_at_most_one_row_past_the_cap(client, url):
    stories(PER_PAGE * PAGES + 1, Bias.LEFT)
    bump_content_version()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert f"LIMIT {PER_PAGE * PAGES + 1}" in count.upper()
