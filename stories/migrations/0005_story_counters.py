"""Stories store their counters: articles, covering sources, and sources per bias bucket.

The counters of the stories already there are filled by one UPDATE, written here against
the models of this migration (not stories.counters, which may change later): the same
aggregates, with the bias buckets as they are defined now (left < 0, center 0, right > 0).
"""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

SOURCE = "article__source"
BUCKETS = {
    "left": Q(article__source__bias__lt=0),
    "center": Q(article__source__bias=0),
    "right": Q(article__source__bias__gt=0),
}


def fill_counters(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    StoryArticle = apps.get_model("stories", "StoryArticle")
    db = schema_editor.connection.alias
    links = StoryArticle.objects.using(db).filter(story=OuterRef("pk")).order_by().values("story")

    def counted(aggregate):
        return Coalesce(Subquery(links.annotate(n=aggregate).values("n")), 0)

    Story.objects.using(db).update(
        article_count=counted(Count("pk")),
        source_count=counted(Count(SOURCE, distinct=True)),
        **{
            f"{bucket}_count": counted(Count(SOURCE, distinct=True, filter=in_bucket))
            for bucket, in_bucket in BUCKETS.items()
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0004_subscription_to_accounts"),
        ("sources", "0003_article_guid_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="article_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="articles"),
        ),
        migrations.AddField(
            model_name="story",
            name="source_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="sources"),
        ),
        migrations.AddField(
            model_name="story",
            name="left_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="left sources"
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="center_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="center sources"
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="right_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="right sources"
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["article_count"], name="story_article_count_idx"),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["source_count"], name="story_source_count_idx"),
        ),
        migrations.RunPython(fill_counters, migrations.RunPython.noop, elidable=True),
    ]
