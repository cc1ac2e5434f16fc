"""Subscriptions move to the accounts app: the table is renamed, every row kept.

The state here forgets the model; accounts.0001_subscription takes it over on
the renamed table without touching the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_keypoint_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="subscription", table="accounts_subscription"),
            ],
            state_operations=[
                migrations.DeleteModel(name="subscription"),
            ],
        ),
    ]
