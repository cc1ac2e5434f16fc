"""A feed's host is looked up when its address is new or changed, never on other saves.

An outlet whose domain does not resolve (every demo outlet; any outlet during a DNS
outage) can still be edited, its feed switched off; a new address that cannot be looked
up now is saved with a warning; one that leads to a private network is refused.
"""

import pytest
from django.urls import reverse

from sources.models import Feed
from tests.factories import FeedFactory, SourceFactory
from tests.fetch.conftest import dns as dns  # the fixture, for this module's tests

from .helpers import form_data, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_feeds_refused")]


@pytest.fixture
def unresolvable_feed():
    source = SourceFactory(name="Harbour Gazette", domain="gazette.example")
    return FeedFactory(source=source, url="https://gazette.example/rss")


def test_an_outlet_whose_host_does_not_resolve_can_be_edited(
    superuser_client, unresolvable_feed, dns
):
    lookups = dns({})
    url = reverse("admin:sources_source_change", args=[unresolvable_feed.source_id])
    data = form_data(superuser_client.get(url), "source_form") | {"name": "Harbour Gazette Daily"}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert unresolvable_feed.source.__class__.objects.get().name == "Harbour Gazette Daily"
    assert lookups == []


def test_its_feed_can_be_switched_off(superuser_client, unresolvable_feed, dns):
    lookups = dns({})
    url = reverse("admin:sources_feed_change", args=[unresolvable_feed.pk])
    data = form_data(superuser_client.get(url), "feed_form")
    data.pop("is_active", None)
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    assert not Feed.objects.get().is_active
    assert lookups == []


def test_a_new_address_that_cannot_be_looked_up_is_saved_with_a_warning(
    superuser_client, unresolvable_feed, dns
):
    lookups = dns({})
    url = reverse("admin:sources_feed_change", args=[unresolvable_feed.pk])
    data = form_data(superuser_client.get(url), "feed_form") | {
        "url": "https://feeds.gazette.example/all.xml"
    }
    response = superuser_client.post(url, data, follow=True)
    assert Feed.objects.get().url == "https://feeds.gazette.example/all.xml"
    assert lookups == ["feeds.gazette.example"]
    (warning,) = [m for m in messages_of(response) if "could not be found" in m]
    assert "The feed is saved" in warning


def test_a_new_feed_added_with_its_outlet_is_looked_up_and_warned_about(superuser_client, dns):
    dns({})
    url = reverse("admin:sources_source_add")
    data = form_data(superuser_client.get(url), "source_form") | {
        "name": "Quay Courier",
        "slug": "quay-courier",
        "domain": "quay.example",
        "feeds-0-url": "https://quay.example/rss",
    }
    response = superuser_client.post(url, data, follow=True)
    assert Feed.objects.get().url == "https://quay.example/rss"
    assert any("“quay.example” could not be found" in m for m in messages_of(response))


def test_a_changed_address_leading_to_a_private_network_is_refused(
    superuser_client, unresolvable_feed, dns
):
    dns({"intranet.gazette.example": ["10.1.2.3"]})
    url = reverse("admin:sources_feed_change", args=[unresolvable_feed.pk])
    data = form_data(superuser_client.get(url), "feed_form") | {
        "url": "https://intranet.gazette.example/rss"
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "only public addresses can be fetched" in response.content.decode()
    assert Feed.objects.get().url == "https://gazette.example/rss"


def test_a_public_new_address_is_saved_without_a_warning(superuser_client, unresolvable_feed, dns):
    dns({"news.gazette.example": ["93.184.215.14"]})
    url = reverse("admin:sources_feed_change", args=[unresolvable_feed.pk])
    data = form_data(superuser_client.get(url), "feed_form") | {
        "url": "https://news.gazette.example/rss"
    }
    response = superuser_client.post(url, data, follow=True)
    assert Feed.objects.get().url == "https://news.gazette.example/rss"
    assert not [m for m in messages_of(response) if "could not be found" in m]
