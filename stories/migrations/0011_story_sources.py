"""Which sources cover each story, kept beside its counters; filled here from the articles.

One INSERT … SELECT, so that a populated database (a million articles) fills it in
seconds; from now on the recount keeps it (stories/counters.py). On PostgreSQL the table
is analysed at once: without statistics the planner guesses how many stories an outlet
covers, and walks the wrong index for the biggest and the smallest.
"""

import django.db.models.deletion
from django.db import migrations, models


def analyse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE stories_storysource")


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0005_article_headline_trigram"),
        ("stories", "0010_content_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="StorySource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="sources.source",
                    ),
                ),
                (
                    "story",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="stories.story",
                    ),
                ),
            ],
            options={
                "verbose_name": "story source",
                "constraints": [
                    models.UniqueConstraint(fields=("source", "story"), name="storysource_unique")
                ],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO stories_storysource (story_id, source_id) "
            "SELECT DISTINCT link.story_id, article.source_id "
            "FROM stories_storyarticle link "
            "JOIN sources_article article ON article.id = link.article_id",
            reverse_sql=migrations.RunSQL.noop,
            elidable=False,
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop, elidable=False),
    ]
