"""What the database itself refuses for subscriptions."""

import pytest

from tests.constraints import refused
from tests.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_subscription_must_expire_after_it_starts():
    sub = SubscriptionFactory()
    refused(lambda: type(sub).objects.filter(pk=sub.pk).update(expires_at=sub.starts_at))
