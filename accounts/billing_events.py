"""Stripe's billing events, verified and applied once each to the reader's Subscription.

Stripe may deliver an event twice, late, or before an older one. So an event's id
is stored in the same transaction that applies it (a crash in between stores
nothing, and Stripe's retry applies it); an event created before the newest one a
subscription has taken is recorded but not applied; a period end never moves back
and a cancelled Stripe subscription never comes back to life.
"""

import json
import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import BillingCustomer, BillingEvent
from .services import Snapshot, apply_stripe_snapshot

log = logging.getLogger(__name__)


def _moment(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def receive_event(*, payload: bytes, signature: str) -> str:
    """Verify a webhook delivery and apply its event once; returns what was done.

    Raises ValueError for a payload that is not an event and
    stripe.SignatureVerificationError for a bad, missing or expired signature.
    """
    stripe.Webhook.construct_event(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_WEBHOOK_TOLERANCE
    )
    event = json.loads(payload)
    created = _moment(event["created"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = BillingEvent.objects.create(
                    event_id=event["id"], type=event["type"], created=created, outcome="received"
                )
        except IntegrityError:
            return "duplicate"
        record.outcome = _apply(event["type"], event["data"]["object"], created)
        record.save(update_fields=["outcome"])
    log.info("stripe event %s (%s): %s", event["id"], event["type"], record.outcome)
    return record.outcome


def _apply(kind: str, obj: dict, created: datetime) -> str:
    customer = BillingCustomer.objects.filter(stripe_customer_id=obj.get("customer") or "").first()
    if kind not in HANDLERS:
        return "ignored"
    if customer is None:
        return "unknown customer"
    return HANDLERS[kind](customer, obj, created)


def _checkout_completed(customer, session: dict, created) -> str:
    """The reader paid; the subscription's own events bring its period."""
    if customer.checkout_session_id == session["id"]:
        customer.checkout_session_id = ""
        customer.save(update_fields=["checkout_session_id"])
    return "checkout completed"


def _subscription_changed(customer, subscription: dict, created) -> str:
    items = (subscription.get("items") or {}).get("data") or [{}]
    snapshot = Snapshot(
        subscription_id=subscription["id"],
        status=subscription["status"],
        # Newer API versions keep the period on the subscription's items.
        period_end=_moment(
            subscription.get("current_period_end") or items[0].get("current_period_end")
        ),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        price_id=(items[0].get("price") or {}).get("id", ""),
        ended_at=_moment(subscription.get("ended_at")),
    )
    return apply_stripe_snapshot(user_id=customer.user_id, snapshot=snapshot, at=created)


def _invoice_subscription(invoice: dict) -> str:
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return invoice.get("subscription") or parent.get("subscription") or ""


def _invoice_paid(customer, invoice: dict, created) -> str:
    if not (subscription_id := _invoice_subscription(invoice)):
        return "not a subscription's invoice"
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line["period"]["end"] for line in lines if line.get("period")]
    snapshot = Snapshot(subscription_id, "active", period_end=_moment(max(ends, default=None)))
    return apply_stripe_snapshot(user_id=customer.user_id, snapshot=snapshot, at=created)


def _invoice_failed(customer, invoice: dict, created) -> str:
    if not (subscription_id := _invoice_subscription(invoice)):
        return "not a subscription's invoice"
    return apply_stripe_snapshot(
        user_id=customer.user_id, snapshot=Snapshot(subscription_id, "past_due"), at=created
    )


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
}
