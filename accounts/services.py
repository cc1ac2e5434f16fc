"""Writes to readers' subscriptions; the admin calls these, and payments will too."""

from datetime import timedelta

from django.db.models import QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

YEAR = timedelta(days=365)


def extend_subscriptions(*, subscriptions: QuerySet, by: timedelta = YEAR, now=None) -> int:
    """Add `by` to each subscription and return how many changed.

    A lapsed plan restarts its period now; a running one adds it at its end,
    so a reader who renews early loses nothing.
    """
    later = Greatest("expires_at", Value(now or timezone.now())) + by
    return subscriptions.update(expires_at=later)
