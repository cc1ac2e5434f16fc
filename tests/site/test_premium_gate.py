"""The premium gate on every page: factuality shows for premium readers and staff only.

The check reads the raw HTML (and XML) for the level names and for the hooks the
templates put on factuality data, so a leak anywhere in a page fails it.
"""

import pytest

from sources.ratings import Bias, Factuality
from tests.factories import (
    ArticleFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

from .conftest import AUDIENCES, PREMIUM_AUDIENCES
from .html import factuality_traces

pytestmark = pytest.mark.django_db

# Pages that show factuality to premium readers; the rest never show it.
SHOWS_FACTUALITY = {"story", "source", "search"}


@pytest.fixture
def world():
    """A published blindspot story covered by outlets of every factuality level."""
    story = StoryFactory(title="Harbour bridge reopens", slug="harbour-bridge")
    KeyPointFactory(story=story, text="Traffic returned on Monday.")
    outlets = [
        SourceFactory(
            name=f"Harbour Outlet {level}",
            slug=f"harbour-{level}",
            bias=Bias.LEFT,
            factuality=level,
        )  # fmt: skip
        for level in [*Factuality.values, None]
    ]
    for outlet in outlets:
        StoryArticleFactory(story=story, article=ArticleFactory(source=outlet))
    return story


def gated_page_urls(story) -> dict[str, str]:
    return {
        "home": "/",
        "story": f"/stories/{story.slug}/",
        "source": "/sources/harbour-5/",
        "blindspot": "/blindspot/",
        "search": "/search/?q=Harbour",
        "rss": "/feeds/stories/",
        "atom": "/feeds/stories/atom/",
    }


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("page", ["home", "story", "source", "blindspot", "search", "rss", "atom"])
def test_factuality_shows_only_where_the_reader_may_see_it(client_as, world, audience, page):
    response = client_as(audience).get(gated_page_urls(world)[page])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Harbour" in text  # the page shows the data the check is about
    traces = factuality_traces(text)
    if audience in PREMIUM_AUDIENCES and page in SHOWS_FACTUALITY:
        assert "Very High" in traces and "data-factuality" in traces
    else:
        assert traces == []


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("page", ["story", "source"])
def test_readers_without_premium_see_the_upgrade_message(client_as, world, audience, page):
    text = client_as(audience).get(gated_page_urls(world)[page]).content.decode()
    upsell = 'id="factuality-upsell"' in text
    assert upsell is (audience not in PREMIUM_AUDIENCES)
    if upsell:
        assert "To view factuality data please" in text
        assert '<a href="/premium/">Upgrade to Premium</a>' in text


def test_premium_story_page_shows_the_distribution_over_the_five_levels(client_as, world):
    text = client_as("premium").get(f"/stories/{world.slug}/").content.decode()
    for value in [*Factuality.values, "none"]:
        assert f'<li data-factuality="{value}">' in text


def test_premium_cards_show_each_outlets_level(client_as, world):
    text = client_as("premium").get(f"/stories/{world.slug}/").content.decode()
    for level in Factuality:
        assert f'data-factuality="{level.value}">{level.label} factuality</span>' in text


def test_factuality_never_reaches_the_template_context_without_premium(client_as, world):
    response = client_as("free").get(f"/stories/{world.slug}/")
    page = response.context["page"]  # the main fragment's context (rendered on a cache miss)
    assert page.coverage.factuality is None
    assert all(card.factuality is None for card in page.articles)
    source = client_as("free").get("/sources/harbour-5/").context["source"]
    assert source.factuality is None and source.factuality_rated_by == ""


def test_premium_context_carries_factuality(client_as, world):
    page = client_as("premium").get(f"/stories/{world.slug}/").context["page"]
    assert page.coverage.factuality is not None
    assert {card.factuality.value for card in page.articles if card.factuality} == set(
        Factuality.values
    )
