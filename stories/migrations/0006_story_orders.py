from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0005_story_counters"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["title"], name="story_title_idx"),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(fields=["-published_at", "-created_at"], name="story_date_idx"),
        ),
    ]
