"""Home, source, blindspot, premium and how-we-rate pages show what readers need."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sources.ratings import Bias, OwnerCategory
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    OwnerFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    attach,
    story_with_coverage,
)
from web.pages import STORIES_PER_PAGE

from .html import by_id, elements, find, squash

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def covered(story, *biases):
    """story with one article from a new outlet of each bias."""
    for bias in biases:
        attach(story, SourceFactory(bias=bias))
    return story


# --- Home -------------------------------------------------------------------------


def test_home_lists_published_stories_newest_first_with_counts_and_bar(client):
    older = covered(
        StoryFactory(title="Older story", published_at=timezone.now() - timedelta(days=2)),
        Bias.LEFT,
    )
    newer = covered(StoryFactory(title="Newer story"), Bias.LEFT, Bias.CENTER, Bias.CENTER, None)
    DraftStoryFactory(title="Draft story")
    html = text_of(client.get("/"))
    teasers = find(html, "article", class_="story-teaser")
    assert [t.attrs["data-slug"] for t in teasers] == [newer.slug, older.slug]
    assert "Draft story" not in html
    assert "4 articles · 4 sources" in squash(teasers[0].text)
    bars = find(html, "div", class_="bias-bar")
    assert (
        bars[0].attrs["data-left"],
        bars[0].attrs["data-center"],
        bars[0].attrs["data-right"],
    ) == ("33", "67", "0")
    assert "Left 33%" in squash(bars[0].text)


def test_home_is_paginated(client):
    for i in range(STORIES_PER_PAGE + 1):
        StoryFactory(title=f"Item {i}", published_at=timezone.now() - timedelta(minutes=i))
    first = text_of(client.get("/"))
    assert len(find(first, "article", class_="story-teaser")) == STORIES_PER_PAGE
    assert find(first, "a", rel="next")[0].attrs["href"] == "/?page=2"
    second = text_of(client.get("/?page=2"))
    assert [squash(a.text) for a in find(second, "h2", class_="teaser-title")] == [
        f"Item {STORIES_PER_PAGE}"
    ]


@pytest.mark.parametrize("page", ["abc", "999999", "-3", "%00"])
def test_home_survives_odd_page_numbers(client, page):
    StoryFactory()
    assert client.get(f"/?page={page}").status_code == 200


def test_home_without_stories_says_so(client):
    assert "No stories have been published yet." in text_of(client.get("/"))


# --- Source -----------------------------------------------------------------------


@pytest.fixture
def source():
    return SourceFactory(
        name="Valley Courier",
        slug="valley-courier",
        domain="valleycourier.example",
        homepage="https://valleycourier.example/",
        bias=Bias.LEAN_RIGHT,
        bias_rated_by="Newsroom ratings desk",
        bias_rated_at=date(2026, 2, 3),
        bias_rating_note="Reviewed 40 articles.",
        owner=OwnerFactory(name="Courier Holdings", category=OwnerCategory.PRIVATE_EQUITY),
    )


def test_source_page_shows_bias_with_its_provenance(client, source):
    html = text_of(client.get("/sources/valley-courier/"))
    panel = squash(by_id(html, "source-bias").text)
    assert "Lean Right" in panel
    assert "Rated by Newsroom ratings desk on 3 February 2026. Reviewed 40 articles." in panel


def test_source_page_shows_owner_and_homepage(client, source):
    html = text_of(client.get("/sources/valley-courier/"))
    assert "Courier Holdings (Private Equity)" in squash(by_id(html, "source-owner").text)
    homepage = by_id(html, "source-homepage")
    assert homepage.attrs["href"] == "https://valleycourier.example/"
    assert homepage.attrs["rel"] == "noopener noreferrer nofollow"


def test_source_page_lists_recent_articles_with_their_published_stories(client, source):
    story = StoryFactory(title="Mill reopens")
    draft = DraftStoryFactory(title="Unpublished draft")
    StoryArticleFactory(
        story=story, article=ArticleFactory(source=source, title="Mill opens doors")
    )
    StoryArticleFactory(story=draft, article=ArticleFactory(source=source, title="Quiet piece"))
    ArticleFactory(source=source, title="Loose article")
    html = text_of(client.get("/sources/valley-courier/"))
    cards = [squash(card.text) for card in find(html, "article", class_="article-card")]
    assert len(cards) == 3
    (in_story,) = [card for card in cards if "Mill opens doors" in card]
    assert "in the story Mill reopens" in in_story
    assert find(html, "a", href=f"/stories/{story.slug}/")
    assert "Unpublished draft" not in html and "Quiet piece" in html


def test_an_unknown_source_is_not_found(client):
    assert client.get("/sources/no-such-outlet/").status_code == 404


def test_an_unrated_source_says_not_rated(client):
    SourceFactory(slug="fresh-outlet", bias=None, bias_rated_by="")
    panel = squash(by_id(text_of(client.get("/sources/fresh-outlet/")), "source-bias").text)
    assert "Not rated" in panel and "No rating source recorded." in panel


# --- Blindspot --------------------------------------------------------------------


def test_blindspot_labels_stories_one_side_barely_covers(client):
    covered(
        StoryFactory(title="Only the left", slug="only-left"), Bias.LEFT, Bias.LEFT, Bias.CENTER
    )
    covered(StoryFactory(title="Only the right", slug="only-right"), Bias.RIGHT, Bias.FAR_RIGHT)
    covered(StoryFactory(title="Balanced", slug="balanced"), Bias.LEFT, Bias.CENTER, Bias.RIGHT)
    html = text_of(client.get("/blindspot/"))
    parsed = elements(html)
    labels = {
        teaser.attrs["data-slug"]: [
            e.attrs["data-blindspot"]
            for e in parsed
            if e.has_class("blindspot-label") and teaser in e.ancestors
        ]
        for teaser in parsed
        if teaser.has_class("story-teaser")
    }
    assert labels == {"only-left": ["right"], "only-right": ["left"]}
    assert "Blindspot for the Right" in html and "Blindspot for the Left" in html


def test_blindspot_side_tabs_filter(client):
    covered(StoryFactory(slug="only-left"), Bias.LEFT)
    covered(StoryFactory(slug="only-right"), Bias.RIGHT)
    html = text_of(client.get("/blindspot/?side=left"))
    assert [t.attrs["data-slug"] for t in find(html, "article", class_="story-teaser")] == [
        "only-right"
    ]
    html = text_of(client.get("/blindspot/?side=evil"))
    assert len(find(html, "article", class_="story-teaser")) == 2


def test_blindspot_threshold_is_a_setting(client, settings):
    # 1 of 4 rated sources lean right: 25%.
    covered(StoryFactory(slug="quarter-right"), Bias.LEFT, Bias.LEFT, Bias.CENTER, Bias.RIGHT)
    settings.NEWSROOM_BLINDSPOT_THRESHOLD = 20
    assert "quarter-right" not in text_of(client.get("/blindspot/"))
    settings.NEWSROOM_BLINDSPOT_THRESHOLD = 30
    assert "quarter-right" in text_of(client.get("/blindspot/"))


def test_blindspot_ignores_stories_without_rated_sources_and_drafts(client):
    covered(StoryFactory(slug="unrated-only"), None, None)
    covered(DraftStoryFactory(slug="draft-left"), Bias.LEFT)
    assert "story-teaser" not in text_of(client.get("/blindspot/"))


def test_blindspot_labels_come_from_the_database():
    from web.blindspot import blindspot_stories

    covered(StoryFactory(slug="only-left"), Bias.LEFT, Bias.CENTER)
    (story,) = blindspot_stories(threshold=20)
    assert (story.blind_left, story.blind_right) == (False, True)


# --- Premium and how we rate --------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "says"),
    [
        ("anonymous", "Create a free account"),
        ("free", "You have a free account."),
        ("expired", "Your premium access ended on"),
        ("premium", "Your premium access runs until"),
        ("staff", "You are on the newsroom’s staff"),
    ],
)
def test_premium_page_explains_access_for_each_reader(client_as, audience, says):
    html = text_of(client_as(audience).get("/premium/"))
    assert "What premium adds" in html
    assert says in squash(by_id(html, "premium-status").text)


def test_how_we_rate_explains_buckets_and_provenance(client, settings):
    settings.NEWSROOM_BLINDSPOT_THRESHOLD = 15
    html = squash(text_of(client.get("/how-we-rate/")))
    assert "Far Left, Left, Lean Left, Center, Lean Right, Right or Far Right" in html
    assert "who made it and when" in html and "fewer than 15%" in html


def test_every_page_links_the_feeds_from_its_head(client):
    html = text_of(client.get("/"))
    feeds = {link.attrs["type"]: link.attrs["href"] for link in find(html, "link", rel="alternate")}
    assert feeds == {
        "application/rss+xml": "/feeds/stories/",
        "application/atom+xml": "/feeds/stories/atom/",
    }


def test_story_with_coverage_helper_is_listed_on_home(client):
    story = story_with_coverage(articles=3, sources=3)
    assert f'data-slug="{story.slug}"' in text_of(client.get("/"))


def test_the_stories_folder_leads_to_the_home_page(client):
    response = client.get("/stories/")
    assert response.status_code == 302
    assert response["Location"] == "/"
