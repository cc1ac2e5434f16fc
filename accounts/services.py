"""Writes to readers' subscriptions: staff grant and extend them, Stripe's events bill them."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from .checkout import prices
from .models import Subscription

log = logging.getLogger(__name__)

YEAR = timedelta(days=365)
# Stripe statuses in which the reader keeps access (past_due: during the grace period).
PAID = {"active", "trialing"}
OVERDUE = {"past_due", "unpaid"}
ENDED = {"canceled", "incomplete_expired"}
# A subscription's end is after its start, however early Stripe says it ended.
MOMENT = timedelta(seconds=1)


@dataclass(frozen=True)
class Snapshot:
    """What one event says of a Stripe subscription."""

    subscription_id: str
    status: str
    period_end: datetime | None = None
    cancel_at_period_end: bool | None = None
    price_id: str = ""
    ended_at: datetime | None = None


def extend_subscriptions(*, subscriptions: QuerySet, by: timedelta = YEAR, now=None) -> int:
    """Add `by` to each complimentary subscription and return how many changed.

    A lapsed plan restarts its period now; a running one adds it at its end,
    so a reader who renews early loses nothing. Plans billed by Stripe are left
    alone: their end is what the reader paid for (apply_stripe_snapshot).
    """
    later = Greatest("expires_at", Value(now or timezone.now())) + by
    return subscriptions.filter(stripe_subscription_id="").update(expires_at=later)


@transaction.atomic
def apply_stripe_snapshot(*, user_id: int, snapshot: Snapshot, at: datetime) -> str:
    """Bring the reader's Subscription forward to what the event says, never back."""
    if snapshot.status not in PAID | OVERDUE | ENDED:
        return "not paid yet, not applied"
    row = Subscription.objects.select_for_update().filter(user_id=user_id).first()
    current = row.stripe_subscription_id if row else ""
    if current != snapshot.subscription_id:
        if snapshot.status not in PAID:  # only a paid subscription takes a reader's plan over
            return "not the reader's current subscription, not applied"
        if current and row.status not in ENDED and row.is_active(at):
            log.warning("reader %s has a second Stripe subscription %s", user_id, snapshot)
            return "second subscription, not applied"
        if row is not None:  # a staff grant, or an ended subscription: this one takes over
            row.current_period_end = row.grace_until = row.billing_event_at = None
            row.cancel_at_period_end = False
    elif row.status in ENDED:
        return "subscription already ended, not applied"
    elif row.billing_event_at and at < row.billing_event_at:
        return "older than the state applied, not applied"
    if row is None:
        row = Subscription(user_id=user_id, starts_at=at)
    _take(row, snapshot, at=at)
    row.full_clean(exclude=["user"])
    row.save()
    return f"applied: {row.status} until {row.expires_at:%Y-%m-%d %H:%M}"


def _take(row: Subscription, snapshot: Snapshot, *, at: datetime) -> None:
    row.stripe_subscription_id = snapshot.subscription_id
    row.status = snapshot.status
    row.billing_event_at = max(filter(None, [row.billing_event_at, at]))
    if snapshot.period_end:
        row.current_period_end = max(filter(None, [row.current_period_end, snapshot.period_end]))
    if snapshot.cancel_at_period_end is not None:
        row.cancel_at_period_end = snapshot.cancel_at_period_end
    plans = {price: plan for plan, price in prices().items()}
    row.plan = plans.get(snapshot.price_id, row.plan)
    if snapshot.status in PAID:
        row.grace_until = None
    elif snapshot.status in OVERDUE and row.grace_until is None:
        # Set by the first failure only: Stripe's retries do not lengthen it.
        row.grace_until = at + timedelta(days=settings.NEWSROOM_BILLING_GRACE_DAYS)
    row.expires_at = max(_access_until(row, snapshot, at=at), row.starts_at + MOMENT)


def _access_until(row: Subscription, snapshot: Snapshot, *, at: datetime) -> datetime:
    """Premium lasts through the paid period, the grace after a failure, or until the end."""
    if row.status in PAID:
        return row.current_period_end or at
    if row.status in OVERDUE:
        return row.grace_until
    if row.status in ENDED:
        return min(filter(None, [snapshot.ended_at or at, row.expires_at]))
    return at  # incomplete: not paid yet
