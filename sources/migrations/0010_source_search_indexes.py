"""Indexes for the site search of outlets, on PostgreSQL only.

The search matches an outlet's weighted document (name A; domain and description B)
or a name holding the term (UPPER(name) LIKE). Without an index each search built the
document of every outlet: 30 ms for 1,000 outlets, ten times what 100 cost. A GIN
index on the document, written as web/search.py builds it so that the planner
matches the expression, and a trigram index on the name answer both halves (0.1 ms).
SQLite has no such indexes and scans; there this does nothing. Built CONCURRENTLY,
outside a transaction, so editors keep saving outlets meanwhile.
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig,"
    " COALESCE(\"domain\", '') || ' ' || COALESCE(\"description\", '')), 'B')"
)
INDEXES = {
    "source_search_idx": f"({DOCUMENT})",
    "source_name_trgm_idx": "UPPER(name::text) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON sources_source "
            f"USING gin ({expression})"
        )
    # The planner estimates how many outlets match from statistics of the indexed
    # expressions, which only ANALYZE gathers.
    schema_editor.execute("ANALYZE sources_source")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sources", "0009_article_copy_key"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
