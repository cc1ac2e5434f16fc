"""A premium plan's life over HTTP: purchase, access, renewal, failed payment, grace,
cancellation and expiry, with the fake Stripe playing Stripe's part."""

import time
from datetime import timedelta

import pytest
from django.db.models import F

from accounts.models import BillingCustomer, BillingEvent, Subscription
from tests.clients import logged_in
from tests.factories import UserFactory, story_with_coverage

from .fake_stripe import DAY

pytestmark = pytest.mark.django_db


def days_pass(fake, days: int) -> None:
    """Move the clock on by moving every stored time back: the database's and Stripe's."""
    delta = timedelta(days=days)
    fields = ["starts_at", "expires_at", "current_period_end", "grace_until", "billing_event_at"]
    Subscription.objects.update(**{name: F(name) - delta for name in fields})
    for subscription in fake.subscriptions.values():
        subscription["items"]["data"][0]["current_period_end"] -= days * DAY


def sees_factuality(client, story) -> bool:
    html = client.get(story.get_absolute_url()).content.decode()
    assert ('id="factuality"' in html) != ('id="factuality-upsell"' in html)
    return 'id="factuality"' in html


def premium_page(client) -> str:
    response = client.get("/premium/")
    assert response.status_code == 200
    return response.content.decode()


def buy(client, fake, *, plan="monthly"):
    """The reader clicks Upgrade and pays on Stripe's page; returns the Stripe events."""
    response = client.post("/premium/checkout/", {"plan": plan})
    assert response.status_code == 302
    session_id = response["Location"].rsplit("/", 1)[1]
    assert response["Location"] == f"{fake.url}/pay/{session_id}"
    return fake.complete_checkout(session_id)


def test_a_plan_from_purchase_to_expiry(stripe_fake, deliver):
    reader = UserFactory(username="payer", email="payer@example.org")
    client = logged_in(reader)
    story = story_with_coverage(articles=4)
    assert not sees_factuality(client, story)
    assert "Upgrade to Premium, monthly" in premium_page(client)

    # Purchase: Stripe's events arrive; access follows.
    events = buy(client, stripe_fake)
    session = events[0]["data"]["object"]
    assert session["client_reference_id"] == str(reader.pk)
    assert session["customer"] == BillingCustomer.objects.get(user=reader).stripe_customer_id
    deliver(*events)
    assert sees_factuality(client, story)
    subscription = Subscription.objects.get(user=reader)
    assert (subscription.plan, subscription.status) == ("monthly", "active")
    first_end = subscription.current_period_end
    page = premium_page(client)
    assert "Monthly" in page and "Renews on" in page
    assert f"{first_end:%-d %B %Y}" in page

    # Renewal, a month on.
    days_pass(stripe_fake, 29)
    deliver(*stripe_fake.renew(subscription.stripe_subscription_id, now=int(time.time())))
    subscription.refresh_from_db()
    assert subscription.current_period_end > first_end
    assert sees_factuality(client, story)

    # The next renewal fails: premium stays during the grace period, and the page says so.
    days_pass(stripe_fake, 30)
    failed = stripe_fake.renew(
        subscription.stripe_subscription_id, now=int(time.time()), paid=False
    )
    deliver(*failed)
    subscription.refresh_from_db()
    assert subscription.status == "past_due"
    assert subscription.grace_until == subscription.expires_at
    assert sees_factuality(client, story)
    assert "Your last payment failed" in premium_page(client)

    # The grace runs out before the card is fixed: no more factuality.
    days_pass(stripe_fake, 4)
    assert not sees_factuality(client, story)
    assert "Your premium access ended on" in premium_page(client)

    # The card is fixed: Stripe retries and the invoice is paid; premium comes back.
    paid = stripe_fake.renew(subscription.stripe_subscription_id, now=int(time.time()))
    deliver(*paid)
    assert sees_factuality(client, story)

    # The reader cancels in the portal: premium runs to the end of the paid period.
    deliver(
        *stripe_fake.cancel_at_period_end(subscription.stripe_subscription_id, now=int(time.time()))
    )
    page = premium_page(client)
    assert "Cancelled, ends at the period’s end" in page and "Ends on" in page
    assert sees_factuality(client, story)

    # The period ends: Stripe deletes the subscription, and access ends.
    days_pass(stripe_fake, 60)
    deliver(*stripe_fake.end(subscription.stripe_subscription_id, now=int(time.time())))
    assert not sees_factuality(client, story)
    page = premium_page(client)
    assert "Your premium access ended on" in page and "The subscription was cancelled" in page
    assert "Upgrade to Premium, monthly" in page  # and they may buy again
    assert BillingEvent.objects.count() == 3 + 2 + 2 + 2 + 1 + 1


def test_a_reader_back_from_checkout_before_the_webhook_sees_it_is_on_its_way(stripe_fake, deliver):
    client = logged_in(UserFactory())
    events = buy(client, stripe_fake)
    assert "waiting for its confirmation" in client.get("/premium/welcome/").content.decode()
    deliver(*events)
    assert "Your premium access is on" in client.get("/premium/welcome/").content.decode()


def test_a_webhook_that_arrives_before_the_reader_returns_is_applied(stripe_fake, deliver):
    client = logged_in(UserFactory())
    deliver(*buy(client, stripe_fake))  # Stripe is quicker than the reader's browser
    assert "Your premium access is on" in client.get("/premium/welcome/").content.decode()


def test_the_yearly_plan_is_recorded_as_yearly(stripe_fake, deliver):
    reader = UserFactory()
    deliver(*buy(logged_in(reader), stripe_fake, plan="yearly"))
    assert Subscription.objects.get(user=reader).plan == "yearly"


def test_the_customer_portal_is_opened_for_the_readers_own_customer(stripe_fake, deliver):
    reader = UserFactory()
    client = logged_in(reader)
    deliver(*buy(client, stripe_fake))
    response = client.post("/premium/billing/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{stripe_fake.url}/portal/bps_")
    assert ("POST", "/v1/billing_portal/sessions") in stripe_fake.calls
