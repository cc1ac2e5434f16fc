"""Mark the articles that a story holds (Article.in_story, kept from now on by
stories/placement.py), from the links.

In batches of ids, each its own transaction, so that a million articles never sit
locked in one long UPDATE while feeds keep writing (about six minutes for 900,000
placed articles on a busy two-core machine; every index of the table is updated).
"""

from django.db import migrations

BATCH = 20_000


def mark(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(article_id), MAX(article_id) FROM stories_storyarticle")
        first, last = cursor.fetchone()
        if first is None:
            return
        for start in range(first, last + 1, BATCH):
            cursor.execute(
                "UPDATE sources_article SET in_story = TRUE WHERE id IN ("
                "SELECT article_id FROM stories_storyarticle "
                "WHERE article_id >= %s AND article_id < %s)",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sources", "0007_article_in_story"),
        ("stories", "0012_story_search_trigrams"),
    ]

    operations = [
        migrations.RunPython(mark, migrations.RunPython.noop, elidable=False),
    ]
