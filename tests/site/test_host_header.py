"""Links that leave the site (feeds, e-mails) name SITE_URL, whatever Host the request sent.

Django checks the Host header without its port, so "127.0.0.1:6666" passes ALLOWED_HOSTS;
a link built from it would send readers to a port of the attacker's choosing, and the
feed cache would serve that link to everyone.
"""

import re
from xml.etree import ElementTree

import pytest
from django.core import mail

from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://newsroom.test:8443"
POISONED = "127.0.0.1:6666"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def feed_links(content: bytes) -> list[str]:
    """Every address in an RSS or Atom document: link and guid texts, ids and hrefs."""
    root = ElementTree.fromstring(content)  # noqa: S314  (our own feed)
    texts = ("link", "guid", f"{ATOM}id")
    found = [el.text for el in root.iter() if el.tag in texts and el.text]
    return found + [el.attrib["href"] for el in root.iter() if "href" in el.attrib]


@pytest.mark.parametrize("url", ["/feeds/stories/", "/feeds/stories/atom/"])
def test_feed_links_name_the_site_even_after_a_poisoned_host(client, url):
    story = StoryFactory(slug="bridge-reopens")
    poisoned = client.get(url, HTTP_HOST=POISONED)
    normal = client.get(url)  # served from the feed cache the first request filled
    for response in (poisoned, normal):
        links = feed_links(response.content)
        assert f"{SITE}/stories/{story.slug}/" in links
        assert all(link.startswith(f"{SITE}/") for link in links), links


def test_a_password_reset_e_mail_links_to_the_site_not_the_host_header(client):
    UserFactory(username="reader", email="reader@example.org")
    client.post("/accounts/password_reset/", {"email": "reader@example.org"}, HTTP_HOST=POISONED)
    (message,) = mail.outbox
    links = re.findall(r"\w+://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith(f"{SITE}/accounts/reset/")
