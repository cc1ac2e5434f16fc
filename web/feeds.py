"""The outgoing RSS and Atom feeds of published stories (never any factuality data)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from sources.site_url import absolute_url
from stories.coverage import split_of
from stories.models import Story, Topic


def feed_stories(limit: int = 30, *, topic: Topic | None = None) -> list[Story]:
    """The newest published stories (of the topic, if given) with counts and key points."""
    stories = Story.objects.published()
    if topic is not None:
        stories = stories.filter(topics=topic)
    return list(stories.prefetch_related("key_points").order_by("-published_at", "-id")[:limit])


class LatestStoriesFeed(Feed):
    """Every address in the feed is absolute on SITE_URL: Django would take the Host header."""

    title = "Newsroom: latest stories"
    description = "Stories and how outlets across the political spectrum cover them."
    description_template = None
    url_name = "story_feed"
    # Atom wants an author on every entry (RFC 4287, 4.1.2) or on the feed: the stories are
    # written by the newsroom, which is named on both (and as dc:creator in RSS).
    author_name = "Newsroom"
    item_author_name = author_name

    def link(self):
        return absolute_url(reverse("home"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def items(self):
        return feed_stories()

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        """Key points and the coverage split, as escaped HTML."""
        points = format_html_join("", "<li>{}</li>", ((p.text,) for p in story.key_points.all()))
        return format_html(
            "<ul>{}</ul><p>{} articles from {} sources. {}.</p>",
            points,
            story.article_count,
            story.source_count,
            split_of(story).sentence,
        )

    def item_link(self, story):
        return absolute_url(story.get_absolute_url())

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed
    url_name = "story_feed_atom"
    subtitle = LatestStoriesFeed.description


class TopicFeed(LatestStoriesFeed):
    """The newest published stories of one topic; an unknown slug is a 404."""

    url_name = "topic_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"Newsroom: {topic.name}"

    def description(self, topic):
        return topic.description or f"Stories about {topic.name} and how outlets cover them."

    def link(self, topic):
        return absolute_url(topic.get_absolute_url())

    def feed_url(self, topic):
        return absolute_url(reverse(self.url_name, args=[topic.slug]))

    def items(self, topic):
        return feed_stories(topic=topic)


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed
    url_name = "topic_feed_atom"

    def subtitle(self, topic):
        return self.description(topic)
