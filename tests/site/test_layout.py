"""What the layout promises in the HTML: panel order and folds, one search box, one wording for
outlets without a rating, ownership by share, and the home page's lead."""

import pytest

from sources.ratings import NOT_RATED, Bias, OwnerCategory
from tests.factories import OwnerFactory, SourceFactory, StoryFactory, attach

from .html import by_id, find, inside, squash

pytestmark = pytest.mark.django_db


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story():
    """Owners: 1 nonprofit, 3 government, 2 telecom; one outlet without a bias rating."""
    story = StoryFactory(title="Ferry timetable changes")
    categories = [OwnerCategory.NONPROFIT] + [OwnerCategory.GOVERNMENT] * 3
    categories += [OwnerCategory.TELECOM] * 2
    for n, category in enumerate(categories):
        bias = None if n == 0 else Bias.CENTER
        attach(story, SourceFactory(bias=bias, owner=OwnerFactory(category=category)))
    return story


def test_ownership_is_listed_by_share_largest_first(client, story):
    html = html_of(client, f"/stories/{story.slug}/")
    rows = [squash(li.text) for li in inside(html, "ownership", "li")]
    assert rows == ["Government 3 (50%)", "Telecom 2 (33%)", "Nonprofit 1 (17%)"]


def test_outlets_without_a_bias_rating_are_counted_in_the_one_wording(client, story):
    html = html_of(client, f"/stories/{story.slug}/")
    details = {
        squash(dt.text): squash(dd.text)
        for dt, dd in zip(
            inside(html, "coverage-details", "dt"),
            inside(html, "coverage-details", "dd"),
            strict=True,
        )
    }
    assert details[f"{NOT_RATED} for bias"] == "1"
    assert f"1 source is {NOT_RATED.lower()} and left out" in squash(
        by_id(html, "bias-sentence").text
    )
    cards = [squash(e.text) for e in find(html, "span", class_="bias-label")]
    assert NOT_RATED in cards


def test_a_premium_reader_sees_an_unrated_outlets_factuality_in_the_same_wording(client_as):
    SourceFactory(slug="fresh-outlet", factuality=None)
    html = html_of(client_as("premium"), "/sources/fresh-outlet/")
    assert squash(by_id(html, "source-factuality").text) == NOT_RATED


def test_the_story_page_puts_the_articles_before_the_folding_panels(client, story):
    html = html_of(client, f"/stories/{story.slug}/")
    hooks = ("key-points", "bias-distribution", "article-list", "coverage-details")
    order = [html.index(f'id="{hook}"') for hook in hooks]
    assert order == sorted(order)
    folds = find(html, "details", class_="fold")
    assert [d.attrs.get("id") for d in folds] == [
        "coverage-details",
        "factuality-panel",
        "ownership-panel",
    ]
    assert all("open" in d.attrs for d in folds), "open without JavaScript"


def test_the_search_page_has_one_search_box(client, story):
    html = html_of(client, "/search/?q=ferry")
    assert [e.attrs["id"] for e in find(html, "input", type="search")] == ["search-q"]
    # Every other page keeps the header's box.
    assert [e.attrs["id"] for e in find(html_of(client, "/"), "input", type="search")] == [
        "site-search-q"
    ]


def test_the_home_page_leads_with_the_newest_story_and_links_onwards(client, story):
    older = StoryFactory(title="Older story")
    older.published_at = story.published_at.replace(year=story.published_at.year - 1)
    older.save()
    html = html_of(client, "/")
    teasers = find(html, "article", class_="story-teaser")
    assert [t.attrs["data-slug"] for t in teasers] == [story.slug, older.slug]
    assert teasers[0].has_class("teaser-lead") and teasers[1].has_class("teaser-compact")
    explore = [
        a.attrs["href"]
        for a in find(html, "a")
        if any(parent.has_class("explore") for parent in a.ancestors)
    ]
    assert "/blindspot/" in explore and "/topics/" in explore


def test_later_home_pages_have_no_lead(client):
    for n in range(21):
        StoryFactory(title=f"Item {n}")
    html = html_of(client, "/?page=2")
    assert not find(html, "article", class_="teaser-lead")
    assert len(find(html, "article", class_="story-teaser")) == 1
