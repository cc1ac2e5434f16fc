"""Adding a feed in the admin: an address that will never be fetched is refused, with why."""

import pytest
from django.urls import reverse

from sources.models import Feed
from tests.factories import SourceFactory


def add_feed(client, url: str):
    data = {"source": SourceFactory().pk, "url": url, "title": "", "is_active": "on"}
    return client.post(reverse("admin:sources_feed_add"), data)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://feeds.example/rss.xml", "Only http:// and https:// addresses can be fetched"),
        ("http://127.0.0.1/rss.xml", "only public addresses can be fetched"),
        ("http://169.254.169.254/latest/", "only public addresses can be fetched"),
        ("https://editor:secret@feeds.example/rss", "must not contain a user name or password"),
    ],
)
def test_feed_form_says_why_an_address_is_refused(admin_client, private_feeds_refused, url, reason):
    response = add_feed(admin_client, url)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Feed.objects.exists()


def test_feed_form_accepts_a_loopback_address_when_private_feeds_are_allowed(admin_client):
    response = add_feed(admin_client, "http://127.0.0.1:8000/rss.xml")
    assert response.status_code == 302
    assert Feed.objects.get().url == "http://127.0.0.1:8000/rss.xml"
