"""Stories saved before the stored search document are found by the site search once
the column is added, and the migration undoes cleanly (PostgreSQL only: SQLite's search
reads substrings)."""

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from stories.models import Story
from web.search import search_site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.ON_POSTGRES, reason="a PostgreSQL column"),
]

BEFORE = ("stories", "0016_story_article_lead")
AFTER = ("stories", "0017_story_search_document")


def columns() -> set[str]:
    with connection.cursor() as cursor:
        return {
            c.name for c in connection.introspection.get_table_description(cursor, "stories_story")
        }


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, "stories_story"))


def test_stories_saved_before_are_found_through_the_stored_document(executor):
    executor.migrate([BEFORE])
    assert "search_document" not in columns()
    assert "story_published_search_idx" in indexes()
    old = executor.loader.project_state([BEFORE]).apps.get_model("stories", "Story")
    old.objects.create(
        title="Floods close the railway",
        slug="floods",
        status="published",
        published_at=timezone.now(),
        key_points_text="Engineers inspect the embankments.",
    )
    executor.loader.build_graph()
    executor.migrate([AFTER])

    assert "search_document" in columns()
    assert "story_published_document_idx" in indexes()
    assert "story_published_search_idx" not in indexes()
    assert [s.slug for s in search_site("embankment", with_factuality=False).stories] == ["floods"]
    # The database keeps the column: a new title is searchable at once.
    Story.objects.filter(slug="floods").update(title="Storm closes the railway")
    assert [s.slug for s in search_site("storm", with_factuality=False).stories] == ["floods"]
    assert search_site("floods", with_factuality=False).stories == []


def test_the_migration_undoes_to_the_expression_index(executor):
    executor.migrate([BEFORE])
    assert "search_document" not in columns()
    assert "story_published_search_idx" in indexes()
    assert "story_published_document_idx" not in indexes()
