"""Search: stories by title and key points, sources by name; hostile queries are harmless.

Runs on whichever database the suite uses: full-text search on PostgreSQL, the
substring fallback on SQLite.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

import web.search
from stories.models import KeyPoint, Story
from stories.search_text import refresh_search_text
from stories.services import set_key_points, update_story
from tests.factories import DraftStoryFactory, KeyPointFactory, SourceFactory, StoryFactory
from web.search import _search_postgres

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


# --- The stored search text (Story.key_points_text) ------------------------------------

on_postgres = pytest.mark.skipif(not settings.ON_POSTGRES, reason="full-text search only")


def test_the_search_text_follows_key_points_set_by_the_services(client, corpus):
    floods = Story.objects.get(slug="floods")
    set_key_points(story=floods, texts=["Ferries resume crossings.", "Schools reopen."])
    floods.refresh_from_db()
    assert floods.key_points_text == "Ferries resume crossings. Schools reopen."
    assert story_slugs(search(client, "ferries")) == ["floods"]
    assert story_slugs(search(client, "embankments")) == []


def test_the_search_text_follows_a_key_point_edited_in_the_admin_inline(client, corpus):
    # The inline saves and deletes KeyPoint rows one by one, outside set_key_points.
    budget = Story.objects.get(slug="budget")
    point = budget.key_points.get()
    point.text = "Museums close on Mondays."
    point.save()
    KeyPoint.objects.create(
        story=budget, position=point.position + 1, text="Parks get new benches."
    )
    budget.refresh_from_db()
    assert budget.key_points_text == "Museums close on Mondays. Parks get new benches."
    assert story_slugs(search(client, "museums")) == ["budget"]
    point.delete()
    budget.refresh_from_db()
    assert budget.key_points_text == "Parks get new benches."
    assert story_slugs(search(client, "museums")) == []


def test_search_follows_a_title_edit(client, corpus):
    update_story(story=Story.objects.get(slug="budget"), title="Council passes the levy")
    assert story_slugs(search(client, "levy")) == ["budget"]
    assert story_slugs(search(client, "approved")) == []


def test_the_migration_fills_the_search_text_of_existing_stories(corpus):
    Story.objects.update(key_points_text="")
    refresh_search_text()
    texts = dict(Story.objects.values_list("slug", "key_points_text"))
    assert texts == {
        "floods": "Engineers inspect the embankments.",
        "budget": "Libraries keep their opening hours.",
        "floods-draft": "",
    }


@on_postgres
def test_a_title_match_ranks_above_a_key_point_match(client):
    now = timezone.now()
    StoryFactory(
        title="Harbour wall repaired", slug="in-title", published_at=now - timedelta(days=2)
    )
    newer = StoryFactory(title="Port news", slug="in-point", published_at=now - timedelta(hours=1))
    set_key_points(story=newer, texts=["The harbour reopens."])
    assert story_slugs(search(client, "harbour")) == ["in-title", "in-point"]


def only_index(table: str, *kept: str) -> None:
    """Inside the test's transaction (rolled back after it): analyse the table, keep only
    the named indexes (and the unique ones) and price scans out.

    Left to its costs, the planner may scan a small table, or read another of its
    indexes and filter (each seen in full parallel runs); so the indexes are chosen
    exactly when the query builds their expressions, and a query that does not is left
    with the scan.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s "
            "AND NOT indexname = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [table, list(kept)],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute("SET LOCAL enable_seqscan = off")


@on_postgres
def test_story_search_reads_the_index():
    """A rare word among a thousand stories: the planner takes story_published_document_idx,
    the index of the stored document (stories migration 0017), which the query reads."""
    now = timezone.now()
    Story.objects.bulk_create(
        Story(
            title="Floods close the railway" if i % 200 == 0 else f"Council meeting {i}",
            slug=f"story-{i}",
            status=Story.Status.PUBLISHED,
            published_at=now,
            key_points_text="Engineers inspect the embankments.",
        )
        for i in range(1000)
    )
    only_index("stories_story", "story_published_document_idx")
    story_ids, _ = _search_postgres("floods")
    plan = story_ids.explain()
    assert "story_published_document_idx" in plan, plan
    assert len(story_ids) == 5


@on_postgres
def test_source_search_reads_the_indexes():
    """Outlets are found through the index of their document and the trigram index of
    their names, not by building the document of every outlet."""
    SourceFactory.create_batch(300)
    SourceFactory(name="Harbour Herald", slug="harbour-herald", domain="hh.example")
    only_index("sources_source", "source_search_idx", "source_name_trgm_idx")
    _, sources = _search_postgres("harbour")
    plan = sources.explain()
    assert "source_search_idx" in plan and "source_name_trgm_idx" in plan, plan
    assert [source.slug for source in sources] == ["harbour-herald"]


@on_postgres
def test_only_the_newest_matches_are_ranked(client, monkeypatch):
    """Ranking builds each match's document: the search ranks the newest SEARCH_RANKED
    matches, best first, whatever the number of stories that match."""
    monkeypatch.setattr(web.search, "SEARCH_RANKED", 2)
    now = timezone.now()
    for slug, title, days in [
        ("oldest", "Harbour wall repaired", 3),
        ("older", "Harbour crane delivered", 2),
        ("newest", "Port news", 1),
    ]:
        story = StoryFactory(title=title, slug=slug, published_at=now - timedelta(days=days))
        set_key_points(story=story, texts=["The harbour reopens."])
    assert story_slugs(search(client, "harbour")) == ["older", "newest"]
