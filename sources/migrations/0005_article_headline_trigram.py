"""A trigram index for the admin's headline search, on PostgreSQL only.

Django writes title__icontains as UPPER(title::text) LIKE UPPER('%…%'), which no
b-tree index serves; a pg_trgm GIN index on that expression does. SQLite has no
such index and searches a table small enough to scan, so there this does nothing.
Built CONCURRENTLY, which needs a migration outside a transaction, so that feeds
keep storing articles while it is built on a populated table.
"""

from django.db import migrations

INDEX = "article_title_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON sources_article "
        "USING gin (UPPER(title::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sources", "0004_article_title_order"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
