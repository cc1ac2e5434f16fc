"""Take over subscriptions from the stories app, on the table it renamed.

The model enters this app's state only; the database already holds the table
and its rows. Its content type is relabelled rather than re-created, so the
permissions on subscriptions keep their ids and with them every group's and
user's grants (the Editors group's among them) and the admin's history.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor, *, old="stories", new="accounts"):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label=new, model="subscription").exists():
        content_types.filter(app_label=old, model="subscription").update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="accounts", new="stories")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("stories", "0004_subscription_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Subscription",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("starts_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("expires_at", models.DateTimeField()),
                        ("note", models.CharField(blank=True, max_length=300)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="subscription", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-expires_at"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("expires_at__gt", models.F("starts_at"))), name="subscription_expires_after_start"),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
