"""Calls to Stripe on a reader's behalf: Checkout to subscribe, the customer portal to manage.

Card details are typed into Stripe's own pages only; this server sees customer,
session and subscription ids. Without a secret key and a price (the embedded
default) billing_enabled() is false and nothing here is called.
"""

import contextlib
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sources.site_url import absolute_url

from .models import BillingCustomer, Plan, Subscription

log = logging.getLogger(__name__)

# Stripe refuses a trial that ends less than two days from now.
SHORTEST_TRIAL = timezone.timedelta(days=2)


class BillingUnavailable(Exception):
    """Stripe could not be reached or refused the call; nothing was charged."""


def prices() -> dict[str, str]:
    """Stripe price id of each plan on sale, from the settings."""
    configured = {
        Plan.MONTHLY: settings.STRIPE_PRICE_MONTHLY,
        Plan.YEARLY: settings.STRIPE_PRICE_YEARLY,
    }
    return {plan: price for plan, price in configured.items() if price}


def billing_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and prices())


def client() -> stripe.StripeClient:
    """A client on STRIPE_API_BASE whose calls give up after STRIPE_TIMEOUT seconds."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
        max_network_retries=1,
    )


def _customer_of(user, stripe_client) -> BillingCustomer:
    """The reader's Stripe customer, made once: two tabs share one (idempotency key)."""
    existing = BillingCustomer.objects.filter(user=user).first()
    if existing is not None:
        return existing
    customer = stripe_client.v1.customers.create(
        params={"email": user.email, "metadata": {"user_id": str(user.pk)}},
        options={"idempotency_key": f"newsroom-customer-{user.pk}"},
    )
    return BillingCustomer.objects.get_or_create(
        user=user, defaults={"stripe_customer_id": customer.id}
    )[0]


def _trial_end(user) -> int | None:
    """The end of a staff grant still running, so that billing starts only when it ends."""
    granted = Subscription.objects.active().filter(user=user, stripe_subscription_id="").first()
    if granted and granted.expires_at - timezone.now() > SHORTEST_TRIAL:
        return int(granted.expires_at.timestamp())
    return None


def checkout_url(*, user, plan: str) -> str:
    """The Stripe Checkout page where the reader pays for `plan`.

    A reader has at most one open Checkout Session: asking again for the same plan
    reopens it, and a new one expires the one before (two tabs cannot both pay).
    """
    stripe_client = client()
    try:
        customer = _customer_of(user, stripe_client)
        if customer.checkout_session_id and customer.checkout_plan == plan:
            session = stripe_client.v1.checkout.sessions.retrieve(customer.checkout_session_id)
            if session.status == "open":
                return session.url
        subscription_data = {"metadata": {"user_id": str(user.pk), "plan": plan}}
        if trial_end := _trial_end(user):
            subscription_data["trial_end"] = trial_end
        session = stripe_client.v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer.stripe_customer_id,
                "client_reference_id": str(user.pk),
                "line_items": [{"price": prices()[plan], "quantity": 1}],
                "metadata": {"user_id": str(user.pk), "plan": plan},
                "subscription_data": subscription_data,
                "success_url": absolute_url(reverse("premium_welcome")),
                "cancel_url": absolute_url(reverse("premium")),
            }
        )
        _replace_open_session(customer, session=session.id, plan=plan, stripe_client=stripe_client)
    except stripe.StripeError as error:
        log.warning("checkout for reader %s failed: %s", user.pk, error)
        raise BillingUnavailable from error
    return session.url


def _replace_open_session(customer, *, session: str, plan: str, stripe_client) -> None:
    """Make `session` the reader's open one, and expire the one it replaces."""
    with transaction.atomic():
        row = BillingCustomer.objects.select_for_update().get(pk=customer.pk)
        previous = row.checkout_session_id
        row.checkout_session_id, row.checkout_plan = session, plan
        row.save(update_fields=["checkout_session_id", "checkout_plan"])
    if previous and previous != session:
        # One already completed or expired has nothing left to expire.
        with contextlib.suppress(stripe.InvalidRequestError):
            stripe_client.v1.checkout.sessions.expire(previous)


def portal_url(*, user) -> str:
    """Stripe's customer portal for the reader: change card, switch plan, cancel."""
    customer = BillingCustomer.objects.filter(user=user).first()
    if customer is None:
        raise BillingUnavailable("this reader has never paid through Stripe")
    try:
        session = client().v1.billing_portal.sessions.create(
            params={
                "customer": customer.stripe_customer_id,
                "return_url": absolute_url(reverse("premium")),
            }
        )
    except stripe.StripeError as error:
        log.warning("customer portal for reader %s failed: %s", user.pk, error)
        raise BillingUnavailable from error
    return session.url


def cancel_at_stripe(*, subscription_ids: list[str]) -> None:
    """End these Stripe subscriptions now (their reader's account is gone); failures are logged."""
    stripe_client = client()
    for subscription_id in subscription_ids:
        try:
            stripe_client.v1.subscriptions.cancel(subscription_id)
        except stripe.StripeError:
            log.exception("could not cancel Stripe subscription %s", subscription_id)
