"""A trigram index of the headlines of articles in no story, on PostgreSQL only.

The editors' inbox is searched by headline. Through the trigram index of every
headline (0005), a common word matches tens of thousands of articles, nine in ten
of them in a story, each read to be thrown away; this one holds only the inbox.
Built CONCURRENTLY, outside a transaction, so feeds keep storing articles meanwhile.
"""

from django.db import migrations

INDEX = "article_inbox_title_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON sources_article "
        "USING gin (UPPER(title::text) gin_trgm_ops) WHERE NOT in_story"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sources", "0007_article_in_story"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
