"""The story page: key points, coverage panels, article cards, tabs and pagination."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from sources.ratings import Bias, OwnerCategory
from tests.factories import (
    DraftStoryFactory,
    KeyPointFactory,
    OwnerFactory,
    SourceFactory,
    StoryFactory,
    attach,
    story_with_coverage,
)
from web.pages import ARTICLES_PER_PAGE

from .html import by_id, find, inside, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_source_story():
    """Six sources: 3 left, 1 center, 1 right, 1 not rated; one article each."""
    story = StoryFactory(title="Rivers rise after the spring storms")
    for text in ("Water levels rose overnight.", "Two towns were evacuated."):
        KeyPointFactory(story=story, text=text)
    for bias in (Bias.FAR_LEFT, Bias.LEFT, Bias.LEAN_LEFT, Bias.CENTER, Bias.RIGHT, None):
        attach(story, SourceFactory(bias=bias))
    return story


def get(client, story, query=""):
    response = client.get(f"/stories/{story.slug}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_shows_title_key_points_in_order_and_article_count(client, six_source_story):
    html = get(client, six_source_story)
    assert squash(find(html, "h1")[0].text) == "Rivers rise after the spring storms"
    points = [squash(li.text) for li in inside(html, "key-points", "li")]
    assert points == ["Water levels rose overnight.", "Two towns were evacuated."]
    assert squash(by_id(html, "articles-heading").text) == "6 Articles"


def test_cards_name_the_outlet_and_its_bias_and_link_out_safely(client):
    story = StoryFactory()
    source = SourceFactory(name="The Morning Ledger", bias=Bias.LEAN_RIGHT)
    attach(story, source, title="Bridge closes for repairs", summary="Engineers found cracks.")
    html = get(client, story)
    (card,) = find(html, "article", class_="article-card")
    assert "The Morning Ledger" in card.text and "Lean Right" in card.text
    assert "Engineers found cracks." in card.text
    (link,) = [a for a in inside(html, "article-list", "a") if "Bridge closes" in a.text]
    assert link.attrs["target"] == "_blank"
    assert link.attrs["rel"] == "noopener noreferrer nofollow"
    assert link.attrs["href"].startswith("https://news.example/articles/")
    assert find(html, "time", data_relative="")


def test_coverage_details_count_sources_by_side_and_the_unrated(client, six_source_story):
    html = get(client, six_source_story)
    counts = {
        dd.attrs["data-count"]: squash(dd.text)
        for dd in find(html, "dd")
        if "data-count" in dd.attrs
    }
    assert counts == {"total": "6", "left": "3", "center": "1", "right": "1", "unrated": "1"}


def test_first_reported_by_names_the_earliest_outlet(client):
    story = StoryFactory()
    attach(
        story, SourceFactory(name="Late Herald"), published_at=timezone.now() - timedelta(hours=1)
    )
    attach(
        story,
        SourceFactory(name="Early Bird News"),
        published_at=timezone.now() - timedelta(days=2),
    )
    first = by_id(get(client, story), "first-reported")
    assert "Early Bird News" in first.text and "2\xa0days ago" in first.text


def test_bias_distribution_has_percentages_the_sentence_and_how_we_rate(client, six_source_story):
    html = get(client, six_source_story)
    bar = by_id(html, "bias-distribution")
    assert (bar.attrs["data-left"], bar.attrs["data-center"], bar.attrs["data-right"]) == (
        "60",
        "20",
        "20",
    )
    assert "Left 60%" in squash(bar.text) and "Right 20%" in squash(bar.text)
    sentence = squash(by_id(html, "bias-sentence").text)
    assert sentence.startswith("60% of the sources are Left.")
    assert "1 source is not rated" in sentence
    assert find(html, "a", href="/how-we-rate/")


def test_bar_widths_use_classes_not_inline_styles(client, six_source_story):
    html = get(client, six_source_story)
    segments = find(html, "span", class_="bar-segment")
    assert [s.attrs["class"].split()[-1] for s in segments] == ["w-60", "w-20", "w-20"]
    assert not [e for e in find(html) if "style" in e.attrs]


def test_ownership_lists_the_owner_categories_of_the_covering_outlets(client):
    story = StoryFactory()
    attach(story, SourceFactory(owner=OwnerFactory(category=OwnerCategory.NONPROFIT)))
    attach(story, SourceFactory(owner=OwnerFactory(category=OwnerCategory.GOVERNMENT)))
    attach(story, SourceFactory(owner=None))
    html = get(client, story)
    items = {
        li.attrs["data-owner-category"]: squash(li.text)
        for li in find(html, "li")
        if "data-owner-category" in li.attrs
    }
    assert set(items) == {"nonprofit", "government", "unknown"}
    assert items["nonprofit"] == "Nonprofit 1 (33%)"
    assert "Ownership" in html


@pytest.mark.parametrize("bucket", ["left", "center", "right"])
def test_a_tab_lists_only_articles_from_its_side(client, six_source_story, bucket):
    html = get(client, six_source_story, f"?bias={bucket}")
    cards = find(html, "article", class_="article-card")
    assert cards and {card.attrs["data-bucket"] for card in cards} == {bucket}
    (current,) = find(html, "a", aria_current="page", data_bucket=bucket)
    assert current.attrs["href"] == f"/stories/{six_source_story.slug}/?bias={bucket}#articles"


def test_tabs_are_plain_links_with_article_counts(client, six_source_story):
    html = get(client, six_source_story)
    tabs = {
        a.attrs["data-bucket"]: (squash(a.text), a.attrs["href"])
        for a in find(html, "a")
        if "data-bucket" in a.attrs
    }
    assert tabs == {
        "all": ("All 6", f"/stories/{six_source_story.slug}/#articles"),
        "left": ("Left 3", f"/stories/{six_source_story.slug}/?bias=left#articles"),
        "center": ("Center 1", f"/stories/{six_source_story.slug}/?bias=center#articles"),
        "right": ("Right 1", f"/stories/{six_source_story.slug}/?bias=right#articles"),
    }


@pytest.mark.parametrize(
    "query", ["?bias=evil", "?bias=", "?bias=LEFT", "?bias=left&bias=<script>"]
)
def test_an_unknown_tab_shows_all_articles(client, six_source_story, query):
    html = get(client, six_source_story, query)
    assert len(find(html, "article", class_="article-card")) == 6
    (current,) = find(html, "a", aria_current="page")
    assert current.attrs["data-bucket"] == "all"


def test_the_list_is_paginated(client):
    story = story_with_coverage(articles=ARTICLES_PER_PAGE + 5, sources=5)
    first = get(client, story)
    assert len(find(first, "article", class_="article-card")) == ARTICLES_PER_PAGE
    (next_link,) = find(first, "a", rel="next")
    assert next_link.attrs["href"] == f"/stories/{story.slug}/?page=2#articles"
    second = get(client, story, "?page=2")
    assert len(find(second, "article", class_="article-card")) == 5
    assert find(second, "a", rel="prev")[0].attrs["href"] == f"/stories/{story.slug}/#articles"


def test_pages_of_a_tab_keep_the_tab(client):
    story = StoryFactory()
    attach(story, SourceFactory(bias=Bias.LEFT), n=ARTICLES_PER_PAGE + 1)
    html = get(client, story, "?bias=left")
    assert (
        find(html, "a", rel="next")[0].attrs["href"]
        == f"/stories/{story.slug}/?bias=left&page=2#articles"
    )


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "99999999999999999999", ""])
def test_odd_page_numbers_show_the_first_page(client, six_source_story, page):
    html = get(client, six_source_story, f"?page={page}")
    assert len(find(html, "article", class_="article-card")) == 6


def test_a_page_past_the_end_shows_the_last_page(client):
    story = story_with_coverage(articles=ARTICLES_PER_PAGE + 2, sources=4)
    html = get(client, story, "?page=999999")
    assert len(find(html, "article", class_="article-card")) == 2


def test_articles_are_newest_first(client):
    story = StoryFactory()
    source = SourceFactory()
    for day in (3, 1, 2):
        attach(story, source, title=f"Day {day}", published_at=datetime(2026, 3, day, tzinfo=UTC))
    html = get(client, story)
    titles = [squash(h.text) for h in find(html, "h3", class_="card-title")]
    assert [t.split(" (opens")[0] for t in titles] == ["Day 3", "Day 2", "Day 1"]


def test_a_draft_story_is_not_found(client):
    draft = DraftStoryFactory()
    assert client.get(f"/stories/{draft.slug}/").status_code == 404


def test_a_story_scheduled_for_later_is_not_found(client):
    later = StoryFactory(published_at=timezone.now() + timedelta(days=1))
    assert client.get(f"/stories/{later.slug}/").status_code == 404


def test_a_story_without_rated_sources_says_so(client):
    story = StoryFactory()
    attach(story, SourceFactory(bias=None))
    html = get(client, story)
    assert "No rated sources yet" in html
    assert squash(by_id(html, "bias-sentence").text).startswith(
        "None of the sources has a bias rating yet"
    )
