"""Article.in_story and the index of the articles in no story (the editors' inbox); the
flags of the articles already in a story are set by stories 0013."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_article_thumbnail_source_logo"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="in_story",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("in_story", False)),
                fields=["-published_at", "-id"],
                name="article_inbox_idx",
            ),
        ),
    ]
