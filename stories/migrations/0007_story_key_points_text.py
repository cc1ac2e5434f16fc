"""Story.key_points_text, filled from the key points, and on PostgreSQL the index that
site search reads: the weighted document of title (A) and key points (B), written as
web.search builds it with SearchVector so the planner matches the expression."""

from django.db import migrations, models

SEARCH_INDEX = "story_search_idx"
DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"key_points_text\", '')), 'B')"
)
FILL = {
    "postgresql": """
        UPDATE stories_story s SET key_points_text = k.joined
        FROM (SELECT story_id, string_agg(text, ' ' ORDER BY position, id) AS joined
              FROM stories_keypoint GROUP BY story_id) k
        WHERE s.id = k.story_id
    """,
    "sqlite": """
        UPDATE stories_story SET key_points_text = COALESCE((
            SELECT group_concat(o.text, ' ') FROM (
                SELECT k.text FROM stories_keypoint k WHERE k.story_id = stories_story.id
                ORDER BY k.position, k.id) o), '')
    """,
}


def fill(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {SEARCH_INDEX} ON stories_story USING gin (({DOCUMENT}))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_story_orders"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="key_points_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_index, drop_index),
    ]
