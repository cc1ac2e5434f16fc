"""Articles' copy keys (sources/copies.py), filled in for the articles already stored.

Written in batches of BATCH, read by primary key, so that memory stays flat at a million
articles.
"""

from django.db import migrations, models

from sources.copies import copy_key

BATCH = 2000


def fill_copy_keys(apps, schema_editor):
    Article = apps.get_model("sources", "Article")
    last = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "title", "summary")[:BATCH]
        )
        if not rows:
            return
        Article.objects.bulk_update(
            [Article(pk=pk, copy_key=copy_key(title, summary)) for pk, title, summary in rows],
            ["copy_key"],
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0008_article_inbox_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="copy_key",
            field=models.CharField(blank=True, editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(fill_copy_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["copy_key"], name="article_copy_key_idx"),
        ),
    ]
