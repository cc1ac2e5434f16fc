"""Admin of outlets, their feeds and owners, and readers' subscriptions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Subscription
from sources.models import Feed
from sources.ratings import Bias, Factuality, OwnerCategory
from tests.factories import (
    FeedFactory,
    OwnerFactory,
    SourceFactory,
    SubscriptionFactory,
    UserFactory,
)

from .helpers import action, form_data, listed, messages_of

pytestmark = pytest.mark.django_db


def test_source_is_added_with_its_feed_in_one_form(superuser_client):
    url = reverse("admin:sources_source_add")
    owner = OwnerFactory()
    data = form_data(superuser_client.get(url), "source_form") | {
        "name": "Lakeside Ledger",
        "slug": "lakeside-ledger",
        "domain": "Ledger.Example",
        "owner": str(owner.pk),
        "bias": str(Bias.LEAN_LEFT.value),
        "feeds-0-url": "https://ledger.example/rss",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    feed = Feed.objects.select_related("source").get()
    assert (feed.url, feed.source.name, feed.source.domain) == (
        "https://ledger.example/rss",
        "Lakeside Ledger",
        "ledger.example",
    )


def test_source_filters_cover_unrated_outlets(superuser_client):
    unrated = SourceFactory(bias=None, factuality=None)
    SourceFactory(bias=Bias.CENTER, factuality=Factuality.HIGH)
    assert listed(superuser_client, "sources_source", bias="none") == [unrated]
    assert listed(superuser_client, "sources_source", factuality="none") == [unrated]


def test_source_filter_by_owner_category(superuser_client):
    public = SourceFactory(owner=OwnerFactory(category=OwnerCategory.NONPROFIT))
    SourceFactory()
    assert listed(superuser_client, "sources_source", owner__category__exact="nonprofit") == [
        public
    ]


def test_source_owner_uses_autocomplete(superuser_client):
    OwnerFactory(name="Harbor Media Group")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "sources", "model_name": "source", "field_name": "owner", "term": "harbor"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Harbor Media Group"]


def test_owner_list_counts_their_sources(superuser_client):
    owner = OwnerFactory()
    SourceFactory.create_batch(3, owner=owner)
    (row,) = listed(superuser_client, "sources_owner")
    assert row.source_count == 3


def test_feed_list_shows_fetch_state_at_a_glance(superuser_client):
    FeedFactory(
        last_status=503,
        last_new_count=4,
        last_updated_count=2,
        consecutive_errors=3,
        last_error="Service unavailable " + "x" * 200,
    )
    page = superuser_client.get(reverse("admin:sources_feed_changelist")).content.decode()
    assert "503" in page
    assert "4 new, 2 updated" in page
    assert "Service unavailable " + "x" * 59 + "…" in page
    assert "x" * 100 not in page


def test_feed_health_filter_finds_failing_and_disabled_feeds(superuser_client):
    erroring = FeedFactory(consecutive_errors=2)
    gone = FeedFactory(is_active=False, disabled_reason="HTTP 410 Gone")
    FeedFactory(is_active=False)  # switched off by an editor: not failing
    FeedFactory()
    failing = listed(superuser_client, "sources_feed", health="failing")
    assert sorted(f.pk for f in failing) == sorted([erroring.pk, gone.pk])


def test_fetch_state_is_read_only_in_the_feed_form(superuser_client):
    feed = FeedFactory(consecutive_errors=2)
    url = reverse("admin:sources_feed_change", args=[feed.pk])
    data = form_data(superuser_client.get(url), "feed_form") | {"consecutive_errors": "0"}
    assert "consecutive_errors" not in form_data(superuser_client.get(url), "feed_form")
    superuser_client.post(url, data)
    feed.refresh_from_db()
    assert feed.consecutive_errors == 2


def test_re_enable_action_clears_the_failure_and_makes_the_feed_due(superuser_client):
    feed = FeedFactory(is_active=False, disabled_reason="HTTP 410 Gone", consecutive_errors=5)
    response = superuser_client.post(
        reverse("admin:sources_feed_changelist"), action("re_enable", [feed])
    )
    feed.refresh_from_db()
    assert (feed.is_active, feed.consecutive_errors, feed.disabled_reason) == (True, 0, "")
    assert feed.next_fetch_at <= timezone.now()
    assert Feed.objects.due().filter(pk=feed.pk).exists()
    assert "Re-enabled 1 feed; they are due now." in messages_of(response)


def test_subscription_filter_separates_active_and_expired(superuser_client, expired_reader):
    active = SubscriptionFactory()
    expired = expired_reader.subscription
    model = "accounts_subscription"
    assert listed(superuser_client, model, state="active") == [active]
    assert listed(superuser_client, model, state="expired") == [expired]


def test_extend_adds_a_year_to_a_running_subscription(superuser_client):
    subscription = SubscriptionFactory()
    before = subscription.expires_at
    superuser_client.post(
        reverse("admin:accounts_subscription_changelist"), action("extend_one_year", [subscription])
    )
    subscription.refresh_from_db()
    assert subscription.expires_at == before + timedelta(days=365)


def test_extend_restarts_the_year_of_a_lapsed_subscription_today(superuser_client, expired_reader):
    subscription = expired_reader.subscription
    asked = timezone.now()
    superuser_client.post(
        reverse("admin:accounts_subscription_changelist"), action("extend_one_year", [subscription])
    )
    subscription.refresh_from_db()
    assert asked + timedelta(days=365) <= subscription.expires_at
    assert subscription.expires_at <= timezone.now() + timedelta(days=365)
    assert subscription.is_active()


def test_subscription_search_finds_by_username_and_email(superuser_client):
    subscription = SubscriptionFactory(
        user=UserFactory(username="ada", email="ada@lovelace.example")
    )
    SubscriptionFactory()
    model = "accounts_subscription"
    assert listed(superuser_client, model, q="ada") == [subscription]
    assert listed(superuser_client, model, q="lovelace.example") == [subscription]


def test_subscription_form_says_the_expiry_must_follow_the_start(superuser_client):
    url = reverse("admin:accounts_subscription_add")
    reader = UserFactory()
    data = form_data(superuser_client.get(url), "subscription_form") | {
        "user": str(reader.pk),
        "starts_at_0": "2030-01-10",
        "starts_at_1": "00:00:00",
        "expires_at_0": "2030-01-01",
        "expires_at_1": "00:00:00",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expires_at"] == [
        "The expiry must come after the start."
    ]
    assert not Subscription.objects.exists()
