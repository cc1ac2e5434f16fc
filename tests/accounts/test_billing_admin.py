"""Staff see billing in the admin; complimentary plans are still granted and extended there."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import BillingCustomer, BillingEvent, Subscription
from accounts.services import extend_subscriptions
from tests.clients import logged_in
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return logged_in(UserFactory(is_staff=True, is_superuser=True))


def billed(**fields):
    end = timezone.now() + timedelta(days=30)
    return SubscriptionFactory(
        expires_at=end, current_period_end=end, plan="monthly", status="active",
        stripe_subscription_id=f"sub_{UserFactory().pk}", **fields,
    )  # fmt: skip


def test_the_subscription_list_shows_billing_state_and_stripe_ids(admin_client):
    billed()
    SubscriptionFactory(note="press pass")
    html = admin_client.get(reverse("admin:accounts_subscription_changelist")).content.decode()
    assert "Stripe" in html and "Complimentary" in html and "Monthly" in html
    search = admin_client.get(
        reverse("admin:accounts_subscription_changelist"), {"q": "sub_"}
    ).context["cl"]
    assert search.result_count == 1


def test_extending_by_a_year_leaves_plans_billed_by_stripe_to_stripe():
    paid, granted = billed(), SubscriptionFactory()
    before = {s.pk: s.expires_at for s in (paid, granted)}
    assert extend_subscriptions(subscriptions=Subscription.objects.all()) == 1
    paid.refresh_from_db()
    granted.refresh_from_db()
    assert paid.expires_at == before[paid.pk]
    assert granted.expires_at > before[granted.pk]


def test_billing_events_are_a_record_nobody_edits(admin_client):
    event = BillingEvent.objects.create(
        event_id="evt_1", type="invoice.paid", created=timezone.now(), outcome="applied"
    )
    assert admin_client.get(reverse("admin:accounts_billingevent_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:accounts_billingevent_change", args=[event.pk]), {"outcome": "forged"}
    )
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.outcome == "applied"


def make_billing_rows(n):
    for _ in range(n):
        subscription = billed()
        BillingCustomer.objects.create(
            user=subscription.user, stripe_customer_id=f"cus_{subscription.user.pk}"
        )
        BillingEvent.objects.create(
            event_id=f"evt_{subscription.pk}", type="invoice.paid", created=timezone.now(),
            outcome="applied",
        )  # fmt: skip


@pytest.mark.parametrize("changelist", ["billingevent", "billingcustomer", "subscription"])
def test_billing_changelists_run_the_same_queries_for_3_rows_as_for_30(admin_client, changelist):
    url = reverse(f"admin:accounts_{changelist}_changelist")
    admin_client.get(url)
    counts = []
    for n in (3, 27):
        make_billing_rows(n)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
