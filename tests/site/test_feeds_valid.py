"""The outgoing feeds carry every element their specifications require (RFC 4287, RSS 2.0).

Checked offline: the XML is parsed with the standard library and by feedparser, which
flags (bozo) anything malformed; no validator on the network is asked.
"""

from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest

from tests.factories import KeyPointFactory, StoryFactory, story_with_coverage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
RSS, ATOM_URL = "/feeds/stories/", "/feeds/stories/atom/"


@pytest.fixture
def stories():
    story_with_coverage(articles=3, title="Harbour reopens")
    hostile = StoryFactory(title='Tide <b>tables</b> & "charts"')
    KeyPointFactory(story=hostile, text="<script>alert(1)</script>")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # Our own feed, not untrusted input.
    return response.content, ElementTree.fromstring(response.content)  # noqa: S314


def one(parent, tag):
    """The one child element `tag` of parent, failing if there are none or several."""
    (element,) = parent.findall(tag)
    assert (element.text or "").strip() or element.attrib or len(element), f"empty {tag}"
    return element


def assert_rfc3339(text):
    assert datetime.fromisoformat(text).tzinfo is not None, text


def assert_absolute(iri):
    parts = urlsplit(iri)
    assert parts.scheme in ("http", "https") and parts.netloc, iri


@pytest.mark.usefixtures("stories")
def test_atom_has_the_feed_and_entry_elements_rfc_4287_requires(client):
    _, feed = fetch(client, ATOM_URL)
    assert feed.tag == f"{ATOM}feed"
    assert_absolute(one(feed, f"{ATOM}id").text)
    one(feed, f"{ATOM}title")
    assert_rfc3339(one(feed, f"{ATOM}updated").text)
    (self_link,) = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href").endswith(ATOM_URL)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert_absolute(one(entry, f"{ATOM}id").text)
        one(entry, f"{ATOM}title")
        assert_rfc3339(one(entry, f"{ATOM}updated").text)
        (alternate,) = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert_absolute(alternate.get("href"))


@pytest.mark.usefixtures("stories")
def test_every_atom_entry_and_the_feed_name_an_author(client):
    _, feed = fetch(client, ATOM_URL)
    assert one(one(feed, f"{ATOM}author"), f"{ATOM}name").text == "Newsroom"
    for entry in feed.findall(f"{ATOM}entry"):
        assert one(one(entry, f"{ATOM}author"), f"{ATOM}name").text == "Newsroom"


def test_an_empty_atom_feed_still_names_its_author(client):
    _, feed = fetch(client, ATOM_URL)
    assert not feed.findall(f"{ATOM}entry")
    assert one(one(feed, f"{ATOM}author"), f"{ATOM}name").text == "Newsroom"
    one(feed, f"{ATOM}id")
    assert_rfc3339(one(feed, f"{ATOM}updated").text)


@pytest.mark.usefixtures("stories")
def test_rss_has_the_channel_and_item_elements_rss_2_requires(client):
    _, rss = fetch(client, RSS)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = one(rss, "channel")
    one(channel, "title")
    assert_absolute(one(channel, "link").text)
    one(channel, "description")
    (self_link,) = channel.findall(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href").endswith(RSS)
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        one(item, "title")
        assert_absolute(one(item, "link").text)
        assert_absolute(one(item, "guid").text)
        assert parsedate_to_datetime(one(item, "pubDate").text).tzinfo is not None
        one(item, "{http://purl.org/dc/elements/1.1/}creator")


@pytest.mark.usefixtures("stories")
@pytest.mark.parametrize("url", [RSS, ATOM_URL])
def test_feedparser_reads_the_feeds_without_complaint(client, url):
    content, _ = fetch(client, url)
    parsed = feedparser.parse(content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {entry.title for entry in parsed.entries} == {
        "Harbour reopens",
        'Tide <b>tables</b> & "charts"',
    }
    assert all(entry.author == "Newsroom" for entry in parsed.entries)
