"""Starting a checkout: one open session per reader, clear failures, nothing without keys."""

import pytest
from django.test import Client

from accounts.models import BillingCustomer
from tests.clients import logged_in
from tests.factories import SubscriptionFactory, UserFactory

from .conftest import WEBHOOK_URL

pytestmark = pytest.mark.django_db


def checkout(client, plan="monthly"):
    return client.post("/premium/checkout/", {"plan": plan})


def test_a_reader_opening_checkout_in_two_tabs_gets_one_session(stripe_fake):
    reader = UserFactory()
    first, second = checkout(logged_in(reader)), checkout(logged_in(reader))
    assert first["Location"] == second["Location"]
    customer = BillingCustomer.objects.get(user=reader)
    assert len(stripe_fake.customers) == 1
    assert len(stripe_fake.open_sessions(customer.stripe_customer_id)) == 1


def test_choosing_another_plan_in_a_second_tab_closes_the_first_checkout(stripe_fake):
    reader = UserFactory()
    monthly = checkout(logged_in(reader))["Location"].rsplit("/", 1)[1]
    yearly = checkout(logged_in(reader), "yearly")["Location"].rsplit("/", 1)[1]
    assert stripe_fake.sessions[monthly]["status"] == "expired"
    assert stripe_fake.sessions[yearly]["status"] == "open"
    assert stripe_fake.sessions[yearly]["line_items"]["0"]["price"] == "price_yearly"


def test_stripe_unreachable_during_checkout_gives_a_clear_message(stripe_fake, settings, canary):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{canary.port}"  # accepts, never answers
    settings.STRIPE_TIMEOUT = 1
    client = logged_in(UserFactory())
    response = checkout(client)
    assert response.status_code == 302 and response["Location"] == "/premium/"
    page = client.get("/premium/").content.decode()
    assert "Payments are unavailable just now, and nothing was charged" in page
    assert not BillingCustomer.objects.exists()


def test_stripe_refusing_the_call_gives_the_same_message(stripe_fake, settings):
    settings.STRIPE_PRICE_MONTHLY = "price_that_does_not_exist"
    settings.STRIPE_API_BASE = stripe_fake.url + "/nowhere"  # every path is unknown: 404
    response = checkout(logged_in(UserFactory()), "monthly")
    assert response.status_code == 302 and response["Location"] == "/premium/"


def test_a_reader_who_pays_already_is_sent_to_manage_it(stripe_fake, deliver):
    reader = UserFactory()
    session = checkout(logged_in(reader))["Location"].rsplit("/", 1)[1]
    deliver(*stripe_fake.complete_checkout(session))
    calls = len(stripe_fake.calls)
    response = checkout(logged_in(reader))
    assert response["Location"] == "/premium/"
    assert len(stripe_fake.calls) == calls


def test_a_staff_granted_reader_is_billed_only_when_the_grant_ends(stripe_fake):
    grant = SubscriptionFactory()
    session = checkout(logged_in(grant.user))["Location"].rsplit("/", 1)[1]
    trial_end = stripe_fake.sessions[session]["subscription_data"]["trial_end"]
    assert int(trial_end) == int(grant.expires_at.timestamp())


def test_an_unknown_plan_is_refused(stripe_fake):
    assert checkout(logged_in(UserFactory()), "lifetime").status_code == 400
    assert stripe_fake.calls == []


def test_checkout_needs_a_login_and_a_csrf_token(stripe_fake):
    assert checkout(Client())["Location"].startswith("/accounts/login/")
    strict = logged_in(UserFactory(), enforce_csrf_checks=True)
    assert checkout(strict).status_code == 403
    assert stripe_fake.calls == []


def test_the_premium_page_offers_both_plans_with_keys(stripe_fake):
    page = logged_in(UserFactory()).get("/premium/").content.decode()
    assert "Upgrade to Premium, monthly" in page and "Upgrade to Premium, yearly" in page
    assert "granted by the newsroom’s staff" not in page


def test_without_stripe_keys_premium_is_granted_by_staff_and_stripe_is_never_called(
    settings, canary
):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{canary.port}"
    reader = UserFactory()
    client = logged_in(reader)
    page = client.get("/premium/").content.decode()
    assert "premium access is granted by the newsroom’s staff" in page
    assert "Upgrade to Premium" not in page
    assert checkout(client).status_code == 404
    assert client.post("/premium/billing/").status_code == 404
    assert (
        Client().post(WEBHOOK_URL, data=b"{}", content_type="application/json").status_code == 404
    )
    reader.delete()
    assert canary.count() == 0


def test_without_a_webhook_secret_no_event_is_accepted(stripe_fake, settings, stripe_client):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = stripe_client.post(
        WEBHOOK_URL, data=b"{}", content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=00"},
    )  # fmt: skip
    assert response.status_code == 404


def test_the_portal_when_stripe_is_unreachable_says_so(stripe_fake, deliver, settings, canary):
    reader = UserFactory()
    session = checkout(logged_in(reader))["Location"].rsplit("/", 1)[1]
    deliver(*stripe_fake.complete_checkout(session))
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{canary.port}"
    settings.STRIPE_TIMEOUT = 1
    response = logged_in(reader).post("/premium/billing/", follow=True)
    assert response.redirect_chain == [("/premium/", 302)]
    assert "Payments are unavailable just now" in response.content.decode()
