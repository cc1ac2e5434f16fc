"""The site search reads a stored document of each story, on PostgreSQL only.

Through the expression index of 0015 the search found its matches quickly, but
everything after the index had to build each story's document again, about 80 µs a
story: ranking the newest hundred matches took 8 ms, and the planner could not walk the
published stories newest first for a common word, because testing each one meant
building its document. A stored generated column holds the same weighted document,
kept by PostgreSQL whenever the title or the key points' text change; the partial GIN
index moves onto it, and ANALYZE gathers statistics of its words, so the planner can
tell a rare word (read the index) from a common one (walk the newest stories).

Adding a stored column rewrites the stories table: about 3 s for 33,000 stories, during
which editors wait to save a story. SQLite has no text search; its search reads
substrings and has no such column.
"""

from django.db import migrations

COLUMN = "search_document"
NEW_INDEX = "story_published_document_idx"
OLD_INDEX = "story_published_search_idx"
# As stories migration 0015 indexed it, and as web/search.py built it before.
DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"key_points_text\", '')), 'B')"
)
PUBLISHED = "WHERE status = 'published'"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(
        f"ALTER TABLE stories_story ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    run(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NEW_INDEX} ON stories_story "
        f"USING gin ({COLUMN}) {PUBLISHED}"
    )
    run(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}")
    run("ANALYZE stories_story")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD_INDEX} ON stories_story "
        f"USING gin (({DOCUMENT})) {PUBLISHED}"
    )
    run(f"DROP INDEX CONCURRENTLY IF EXISTS {NEW_INDEX}")
    run(f"ALTER TABLE stories_story DROP COLUMN IF EXISTS {COLUMN}")
    run("ANALYZE stories_story")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("stories", "0016_story_article_lead"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
