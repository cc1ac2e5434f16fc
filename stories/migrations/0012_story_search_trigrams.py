"""Trigram indexes for the admin's story search (title and key points), on PostgreSQL only.

The admin finds stories whose title, or whose key points, hold every word of the
term: UPPER(column) LIKE UPPER('%word%') for each word, which no b-tree index
serves and which read every story and every key point (1 s for 33,000 stories). A
pg_trgm GIN index on each expression answers it from the index (8 ms). SQLite has no
such index and scans a table small enough; there this does nothing. Built
CONCURRENTLY, outside a transaction, so editors keep saving stories meanwhile.
"""

from django.db import migrations

INDEXES = {
    "story_title_trgm_idx": "UPPER(title::text)",
    "story_key_points_trgm_idx": "UPPER(key_points_text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON stories_story "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("stories", "0011_story_sources"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
