"""A story page shows copies of one wire or syndicated text once, naming the other outlets."""

from datetime import timedelta

import pytest

from sources.copies import copy_key
from sources.models import Article
from sources.ratings import Bias
from stories.counters import sync_leads
from stories.freshness import bump_content_version
from tests.factories import SourceFactory, StoryFactory, attach, story_with_coverage
from web.pages import ARTICLES_PER_PAGE

from .big_story import big_story
from .html import find, squash
from .test_query_counts import DIGEST_QUERIES, STORY_QUERIES, VERSION_QUERY, cold_queries

pytestmark = pytest.mark.django_db

WIRE = "Harbour workers end strike after pay deal"
SUMMARY = "Dock workers voted on Tuesday to accept a new contract."


def cards(client, story, query=""):
    """The page (rendered afresh) and its cards."""
    bump_content_version()
    response = client.get(f"/stories/{story.slug}/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html, find(html, "article", class_="article-card")


def also_published(html) -> list[str]:
    return [
        squash(summary.text)
        for summary in find(html, "summary")
        if any(e.has_class("card-copies") for e in summary.ancestors)
    ]


def test_three_outlets_carrying_one_wire_text_make_one_card(client):
    story = StoryFactory()
    outlets = [SourceFactory(name=name, bias=Bias.CENTER) for name in ("Ames", "Bolt", "Cray")]
    for outlet, suffix in zip(outlets, ["", " - Reuters", " | Cray News"], strict=True):
        attach(story, outlet, title=WIRE + suffix, summary=SUMMARY)
    html, listed = cards(client, story)
    assert len(listed) == 1
    assert also_published(html) == ["Also published by 2 sources"]
    copies = [a for a in find(html, "a") if any(e.has_class("card-copies") for e in a.ancestors)]
    first = Article.objects.order_by("published_at", "id").first()
    named = " ".join(squash(a.text) for a in copies)
    assert len(copies) == 2 and first.source.name not in named
    links = [a.attrs["href"] for a in copies]
    assert sorted(links) == sorted(
        Article.objects.exclude(pk=first.pk).values_list("url", flat=True)
    )
    # Every outlet still counts in the coverage and the tabs.
    assert 'data-count="total">3<' in html
    assert squash(find(html, "span", id="article-count")[0].text) == "3"


def test_different_headlines_make_separate_cards(client):
    story = StoryFactory()
    for title in (WIRE, "Harbour workers vote down pay deal", "Port reopens after strike"):
        attach(story, SourceFactory(), title=title, summary=SUMMARY)
    html, listed = cards(client, story)
    assert len(listed) == 3
    assert also_published(html) == []


def test_one_headline_with_different_summaries_makes_separate_cards(client):
    story = StoryFactory()
    attach(story, SourceFactory(), title=WIRE, summary=SUMMARY)
    attach(story, SourceFactory(), title=WIRE, summary="Talks broke down again at midnight.")
    assert len(cards(client, story)[1]) == 2


def test_an_outlet_running_a_copy_twice_counts_once(client):
    story = StoryFactory()
    twice, once = SourceFactory(name="Ames"), SourceFactory(name="Bolt")
    attach(story, twice, n=2, title=WIRE, summary=SUMMARY)
    html, listed = cards(client, story)
    assert len(listed) == 1 and also_published(html) == []
    attach(story, once, title=WIRE, summary=SUMMARY)
    html, listed = cards(client, story)
    assert len(listed) == 1
    assert also_published(html) == ["Also published by 1 source"]


@pytest.mark.parametrize("title, summary", [("", ""), ("", SUMMARY), ("—", SUMMARY)])
def test_articles_without_headline_words_are_never_grouped(client, title, summary):
    story = StoryFactory()
    for _ in range(3):
        attach(story, SourceFactory(), title=title, summary=summary)
    html, listed = cards(client, story)
    assert len(listed) == 3
    assert also_published(html) == []


def test_headlines_in_other_scripts_are_grouped(client):
    story = StoryFactory()
    greek = "Οι λιμενεργάτες τερματίζουν την απεργία"
    for title in (greek, greek.upper() + " - Reuters"):
        attach(story, SourceFactory(), title=title, summary="")
    for _ in range(2):
        attach(story, SourceFactory(), title="港口工人结束罢工", summary="")
    html, listed = cards(client, story)
    assert len(listed) == 2
    assert also_published(html) == ["Also published by 1 source"] * 2


def test_pages_and_tabs_count_cards_not_copies(client):
    story = story_with_coverage(articles=ARTICLES_PER_PAGE)
    for bias in (Bias.LEFT, Bias.RIGHT):
        attach(story, SourceFactory(bias=bias), title=WIRE, summary=SUMMARY)
    html, listed = cards(client, story)
    assert len(listed) == ARTICLES_PER_PAGE
    assert also_published(html) == ["Also published by 1 source"]
    assert squash(find(html, "span", id="article-count")[0].text) == str(ARTICLES_PER_PAGE + 2)
    html, listed = cards(client, story, "?page=2")
    assert len(listed) == 1 and also_published(html) == []
    # A side's tab names the outlets of the other sides that carried the text.
    html, listed = cards(client, story, "?bias=right")
    assert [WIRE in squash(c.text) for c in listed].count(True) == 1
    assert also_published(html) == ["Also published by 1 source"]


@pytest.mark.parametrize("articles", [300, 20_000])
def test_a_story_of_copies_runs_a_fixed_number_of_queries(client, articles):
    story = big_story(articles=articles, span=timedelta(days=1))
    for title in set(Article.objects.values_list("title", flat=True)):
        Article.objects.filter(title=title).update(copy_key=copy_key(title, ""))
    sync_leads([story.pk])  # as the recount does after writes in bulk
    expected = STORY_QUERIES + VERSION_QUERY
    assert cold_queries(client, f"/stories/{story.slug}/") == expected + DIGEST_QUERIES
    assert cold_queries(client, f"/stories/{story.slug}/?bias=right&page=1") == expected
    html, listed = cards(client, story)
    assert len(listed) == 9  # big_story writes nine headlines
    assert len(also_published(html)) == 9
