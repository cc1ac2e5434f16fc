"""The outgoing RSS and Atom feeds: published stories, newest first, escaped, no factuality."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.factories import DraftStoryFactory, KeyPointFactory, StoryFactory, story_with_coverage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # Our own feed, not untrusted input.
    return response, ElementTree.fromstring(response.content)  # noqa: S314


def test_rss_lists_published_stories_newest_first(client):
    StoryFactory(title="Yesterday", published_at=timezone.now() - timedelta(days=1))
    StoryFactory(title="Today")
    DraftStoryFactory(title="Draft")
    response, rss = parse(client, "/feeds/stories/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert [item.findtext("title") for item in rss.iter("item")] == ["Today", "Yesterday"]


def test_atom_lists_the_same_stories(client):
    story = StoryFactory(title="Only one")
    response, atom = parse(client, "/feeds/stories/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    (entry,) = atom.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Only one"
    assert entry.find(f"{ATOM}link").attrib["href"].endswith(f"/stories/{story.slug}/")


def test_items_carry_key_points_and_coverage_counts(client):
    story = story_with_coverage(articles=4, sources=2, key_points=0, title="Counted")
    KeyPointFactory(story=story, text="First point.")
    _, rss = parse(client, "/feeds/stories/")
    description = next(rss.iter("item")).findtext("description")
    assert "<li>First point.</li>" in description
    assert "4 articles from 2 sources" in description


def test_key_points_are_escaped_inside_the_description(client):
    story = StoryFactory(title="Escapes")
    KeyPointFactory(story=story, text='<script>alert("x")</script>')
    _, rss = parse(client, "/feeds/stories/")
    description = next(rss.iter("item")).findtext("description")
    assert "<script>" not in description
    assert "&lt;script&gt;" in description
