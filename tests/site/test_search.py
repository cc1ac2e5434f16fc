"""Search: stories by title and key points, sources by name; hostile queries are harmless.

Runs on whichever database the suite uses: full-text search on PostgreSQL, the
substring fallback on SQLite.
"""

import pytest

from tests.factories import DraftStoryFactory, KeyPointFactory, SourceFactory, StoryFactory

from .html import find, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    floods = StoryFactory(title="Floods close the coastal railway", slug="floods")
    KeyPointFactory(story=floods, text="Engineers inspect the embankments.")
    budget = StoryFactory(title="City budget approved", slug="budget")
    KeyPointFactory(story=budget, text="Libraries keep their opening hours.")
    DraftStoryFactory(title="Floods draft", slug="floods-draft")
    SourceFactory(name="Railway Gazette", slug="railway-gazette", domain="railgazette.example")
    SourceFactory(name="Budget Watch", slug="budget-watch", domain="budgetwatch.example")


def search(client, q) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def story_slugs(html):
    return [t.attrs["data-slug"] for t in find(html, "article", class_="story-teaser")]


def test_finds_stories_by_title_but_never_drafts(client, corpus):
    assert story_slugs(search(client, "floods")) == ["floods"]


def test_finds_stories_by_key_point(client, corpus):
    assert story_slugs(search(client, "embankments")) == ["floods"]


def test_finds_sources_by_name(client, corpus):
    html = search(client, "railway")
    assert find(html, "a", href="/sources/railway-gazette/")
    assert not find(html, "a", href="/sources/budget-watch/")


def test_every_word_must_match(client, corpus):
    assert story_slugs(search(client, "budget libraries")) == ["budget"]
    assert story_slugs(search(client, "budget embankments")) == []


def test_an_empty_query_shows_the_form_and_no_results(client, corpus):
    html = search(client, "   ")
    assert find(html, "input", id="search-q")
    assert "story-results" not in html and "Type a few words" in html


def test_a_very_long_query_is_shortened_and_says_so(client, corpus):
    html = search(client, "floods " * 1000)
    assert find(html, "p", id="query-shortened")
    (field,) = find(html, "input", id="search-q")
    assert len(field.attrs["value"]) <= 200


@pytest.mark.parametrize(
    "query",
    [
        "floods\x00railway",
        "'; DROP TABLE stories_story; --",
        '"unbalanced',
        "!!! & | ( ) :* <-> ~",
        "%_%",
        "\\",
        "🌊 floods",
        "<script>alert(1)</script>",
        "-",
        "\u202e\u200b",
    ],
)
def test_odd_characters_are_harmless(client, corpus, query):
    html = search(client, query)
    assert "<script>alert(1)</script>" not in html


def test_a_query_echoes_escaped(client, corpus):
    html = search(client, '<img src=x onerror="alert(1)">')
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_search_with_no_results_says_so(client, corpus):
    html = search(client, "volcano")
    assert "No stories match “volcano”." in html and "No sources match “volcano”." in html


def test_results_show_counts_and_the_bias_bar(client, corpus):
    html = search(client, "budget")
    (teaser,) = find(html, "article", class_="story-teaser")
    assert "0 articles · 0 sources" in squash(teaser.text)
    assert find(html, "div", class_="bias-bar")
