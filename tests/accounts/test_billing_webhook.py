"""Stripe's webhook under hostile and unlucky deliveries: each event applied once, in order."""

import json
import time

import pytest
from django.test import TestCase

from accounts import billing_events
from accounts.models import BillingCustomer, BillingEvent, Subscription
from tests.clients import logged_in
from tests.factories import UserFactory

from .conftest import WEBHOOK_SECRET, WEBHOOK_URL, post_event
from .fake_stripe import make_event, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def paying(stripe_fake):
    """A reader in the middle of checkout: their customer exists, the session is open."""
    reader = UserFactory()
    response = logged_in(reader).post("/premium/checkout/", {"plan": "monthly"})
    session_id = response["Location"].rsplit("/", 1)[1]
    return reader, stripe_fake.complete_checkout(session_id)


def subscription_of(reader):
    return Subscription.objects.filter(user=reader).first()


def test_an_unsigned_event_is_refused_and_changes_nothing(stripe_client, paying):
    reader, events = paying
    response = stripe_client.post(
        WEBHOOK_URL, data=json.dumps(events[1]), content_type="application/json"
    )
    assert response.status_code == 400
    assert subscription_of(reader) is None and not BillingEvent.objects.exists()


def test_an_event_signed_with_another_secret_is_refused(stripe_client, paying):
    reader, events = paying
    assert post_event(stripe_client, events[1], secret="whsec_someone_else").status_code == 400
    assert subscription_of(reader) is None and not BillingEvent.objects.exists()


def test_an_event_whose_body_was_changed_after_signing_is_refused(stripe_client, paying):
    reader, events = paying
    payload = json.dumps(events[1]).encode()
    header = sign(payload, WEBHOOK_SECRET)
    tampered = payload.replace(b'"active"', b'"trialing"')
    response = stripe_client.post(
        WEBHOOK_URL, data=tampered, content_type="application/json",
        headers={"Stripe-Signature": header},
    )  # fmt: skip
    assert response.status_code == 400
    assert subscription_of(reader) is None


def test_a_replayed_delivery_older_than_the_tolerance_is_refused(stripe_client, paying, settings):
    reader, events = paying
    old = int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE - 60
    assert post_event(stripe_client, events[1], at=old).status_code == 400
    assert subscription_of(reader) is None


def test_a_body_that_is_not_an_event_is_refused(stripe_client, stripe_fake):
    payload = b'{"hello": "world"}'
    response = stripe_client.post(
        WEBHOOK_URL, data=payload, content_type="application/json",
        headers={"Stripe-Signature": sign(payload, WEBHOOK_SECRET)},
    )  # fmt: skip
    assert response.status_code == 400


def test_the_webhook_needs_no_csrf_token_but_only_answers_post(stripe_client, stripe_fake):
    assert stripe_client.get(WEBHOOK_URL).status_code == 405


def test_an_event_delivered_twice_is_applied_once(stripe_client, deliver, paying):
    reader, events = paying
    deliver(*events)
    subscription = subscription_of(reader)
    # The same renewal arrives twice: the period moves on by one month, not two.
    renewal = make_event("invoice.paid", events[2]["data"]["object"])
    renewal["data"]["object"]["lines"]["data"][0]["period"]["end"] += 30 * 86400
    first, second = post_event(stripe_client, renewal), post_event(stripe_client, renewal)
    assert first.content.startswith(b"applied") and second.content == b"duplicate"
    assert BillingEvent.objects.filter(event_id=renewal["id"]).count() == 1
    once = subscription_of(reader).current_period_end
    assert (once - subscription.current_period_end).days == 30


def test_an_older_event_arriving_after_a_newer_one_does_not_move_the_plan_back(
    deliver, paying, stripe_fake
):
    reader, events = paying
    deliver(*events)
    sub_id = subscription_of(reader).stripe_subscription_id
    now = int(time.time())
    cancelled = stripe_fake.cancel_at_period_end(sub_id, now=now + 10)
    ended = stripe_fake.end(sub_id, now=now + 20)
    # Stripe sends the end before the cancellation, and the first renewal again, late.
    deliver(*ended, *cancelled, make_event("invoice.paid", events[2]["data"]["object"]))
    subscription = subscription_of(reader)
    assert subscription.status == "canceled"
    assert subscription.expires_at.timestamp() == now + 20  # when Stripe ended it
    outcomes = list(
        BillingEvent.objects.order_by("received_at", "id").values_list("outcome", flat=True)
    )
    assert outcomes[-2:] == ["subscription already ended, not applied"] * 2


def test_a_stale_update_is_recorded_but_not_applied(deliver, paying, stripe_fake):
    reader, events = paying
    deliver(*events)
    sub_id = subscription_of(reader).stripe_subscription_id
    past_due = stripe_fake.renew(sub_id, now=int(time.time()) + 5, paid=False)
    stale = make_event("customer.subscription.updated", events[1]["data"]["object"],
                       created=int(time.time()) - 100)  # fmt: skip
    deliver(*past_due, stale)
    assert subscription_of(reader).status == "past_due"
    assert BillingEvent.objects.get(event_id=stale["id"]).outcome.startswith("older than")


def test_the_subscription_events_may_come_before_the_checkout_event(deliver, paying):
    reader, events = paying
    checkout, created, paid = events
    deliver(paid, created, checkout)
    assert subscription_of(reader).is_active()
    assert BillingCustomer.objects.get(user=reader).checkout_session_id == ""


def test_an_event_for_an_unknown_customer_is_recorded_and_answered(deliver, stripe_fake):
    event = make_event(
        "customer.subscription.created",
        {"id": "sub_x", "customer": "cus_nobody", "status": "active", "items": {"data": []}},
    )
    deliver(event)  # 200: Stripe must not retry it for days
    assert BillingEvent.objects.get(event_id=event["id"]).outcome == "unknown customer"
    assert not Subscription.objects.exists()


def test_an_event_of_another_type_is_recorded_as_ignored(deliver, stripe_fake):
    event = make_event("customer.created", {"id": "cus_x", "customer": None})
    deliver(event)
    assert BillingEvent.objects.get(event_id=event["id"]).outcome == "ignored"


def test_a_crash_while_applying_stores_nothing_and_stripes_retry_applies_it(
    stripe_client, deliver, paying, monkeypatch
):
    reader, events = paying

    def crash(*args):
        raise RuntimeError("the worker died here")

    monkeypatch.setitem(billing_events.HANDLERS, "customer.subscription.created", crash)
    with pytest.raises(RuntimeError):
        post_event(stripe_client, events[1])
    assert not BillingEvent.objects.filter(event_id=events[1]["id"]).exists()
    monkeypatch.undo()
    deliver(events[1])  # Stripe's retry
    assert subscription_of(reader).is_active()


def test_no_event_is_lost_or_applied_twice_in_a_burst_of_redeliveries(deliver, paying):
    reader, events = paying
    deliver(*events, *reversed(events), *events)
    assert sorted(BillingEvent.objects.values_list("event_id", flat=True)) == sorted(
        e["id"] for e in events
    )
    assert subscription_of(reader).is_active()


def test_a_second_subscription_does_not_replace_the_running_one(deliver, paying, stripe_fake):
    reader, events = paying
    deliver(*events)
    first = subscription_of(reader).stripe_subscription_id
    other = dict(events[1]["data"]["object"], id="sub_second")
    event = make_event("customer.subscription.created", other)
    deliver(event)
    assert subscription_of(reader).stripe_subscription_id == first
    assert BillingEvent.objects.get(event_id=event["id"]).outcome.startswith("second subscription")


def test_a_reader_who_deletes_their_account_stops_paying(deliver, paying, stripe_fake):
    reader, events = paying
    deliver(*events)
    sub_id = subscription_of(reader).stripe_subscription_id
    with TestCase.captureOnCommitCallbacks(execute=True):
        reader.delete()
    assert stripe_fake.subscriptions[sub_id]["status"] == "canceled"
    assert ("DELETE", f"/v1/subscriptions/{sub_id}") in stripe_fake.calls
    # Stripe's event about it names a customer that is gone: recorded, nothing created.
    (deleted,) = stripe_fake.end(sub_id, now=int(time.time()))
    deliver(deleted)
    assert BillingEvent.objects.get(event_id=deleted["id"]).outcome == "unknown customer"
    assert not Subscription.objects.exists()
