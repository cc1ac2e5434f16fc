import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_article_guid_message"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                django.db.models.functions.text.Left("title", 250), name="article_title_order_idx"
            ),
        ),
    ]
