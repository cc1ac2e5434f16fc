"""Subscriptions granted before billing existed migrate forward as complimentary plans."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0002_topic_follows")]


def migrate(targets=None):
    """Migrate to targets (the leaves when None) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_a_granted_subscription_keeps_its_dates_and_becomes_complimentary():
    try:
        old = migrate(BEFORE)
        user = old.get_model("auth", "User").objects.create(username="longtime")
        old.get_model("accounts", "Subscription").objects.create(
            user=user,
            starts_at=datetime(2026, 1, 1, tzinfo=UTC),
            expires_at=datetime(2027, 1, 1, tzinfo=UTC),
            note="press pass",
        )
    finally:
        migrate()  # every app to its leaf, as the rest of the suite expects
    subscription = Subscription.objects.get(user__username="longtime")
    assert subscription.expires_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert subscription.note == "press pass"
    assert not subscription.is_billed and subscription.status == "" and subscription.plan == ""
