from django.db import migrations, models

# Each link takes its article's date in one statement (a correlated look-up by primary key,
# which SQLite and PostgreSQL both run): 900,000 links took 16 s on PostgreSQL. Later links
# get it from the story services and the recount (stories/counters.py, sync_leads).
COPY_DATES = """
UPDATE stories_storyarticle SET published_at = (
    SELECT article.published_at FROM sources_article article
    WHERE article.id = stories_storyarticle.article_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0010_source_search_indexes"),
        ("stories", "0017_story_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyarticle",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(COPY_DATES, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="storyarticle",
            index=models.Index(
                fields=["story", "-published_at", "-article"], name="storyarticle_story_date_idx"
            ),
        ),
    ]
