"""The outgoing RSS and Atom feeds of published stories (never any factuality data)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from sources.site_url import absolute_url
from stories.coverage import split_of
from stories.models import Story


def feed_stories(limit: int = 30) -> list[Story]:
    """The newest published stories with counts and key points, for the outgoing feed."""
    return list(
        Story.objects.published()
        .prefetch_related("key_points")
        .order_by("-published_at", "-id")[:limit]
    )


class LatestStoriesFeed(Feed):
    """Every address in the feed is absolute on SITE_URL: Django would take the Host header."""

    title = "Newsroom: latest stories"
    description = "Stories and how outlets across the political spectrum cover them."
    description_template = None
    url_name = "story_feed"

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
