from django.db import migrations, models

# Every link starts as a lead; then the later copies of each text in each story are not
# leads, nor, among its outlets of each side, side leads. The side is the bias bucket of
# sources.ratings (below 0 left, 0 center, above 0 right); unrated outlets make a group of
# their own. One statement each, numbered by the database:
# a million links take seconds.
LATER_COPIES = """
UPDATE stories_storyarticle SET "{column}" = false WHERE id IN (
    SELECT id FROM (
        SELECT link.id AS id, ROW_NUMBER() OVER (
            PARTITION BY link.story_id, article.copy_key{side}
            ORDER BY article.published_at, article.id
        ) AS copy_rank
        FROM stories_storyarticle link
        JOIN sources_article article ON article.id = link.article_id
        JOIN sources_source source ON source.id = article.source_id
        WHERE article.copy_key IS NOT NULL
    ) ranked WHERE copy_rank > 1
)
"""
SIDE = """, CASE WHEN source.bias IS NULL THEN 0 WHEN source.bias < 0 THEN 1
    WHEN source.bias > 0 THEN 3 ELSE 2 END"""


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0015_story_published_search_idx"),
        ("sources", "0009_article_copy_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyarticle",
            name="lead",
            field=models.BooleanField(default=True, db_default=True, editable=False),
        ),
        migrations.AddField(
            model_name="storyarticle",
            name="side_lead",
            field=models.BooleanField(default=True, db_default=True, editable=False),
        ),
        migrations.RunSQL(
            LATER_COPIES.format(column="lead", side=""), reverse_sql=migrations.RunSQL.noop
        ),
        migrations.RunSQL(
            LATER_COPIES.format(column="side_lead", side=SIDE), reverse_sql=migrations.RunSQL.noop
        ),
    ]
