"""What the database itself refuses for outlets, feeds and articles."""

import pytest

from sources.models import Article, Source
from tests.constraints import refused
from tests.factories import ArticleFactory, FeedFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_feed_urls_are_unique():
    feed = FeedFactory()
    refused(lambda: FeedFactory(url=feed.url))


def test_canonical_article_urls_are_unique():
    article = ArticleFactory()
    refused(lambda: ArticleFactory(url=article.url))


def test_a_feed_guid_is_unique_within_its_feed_only():
    feed = FeedFactory()
    ArticleFactory(feed=feed, source=feed.source, guid="same")
    ArticleFactory(feed=FeedFactory(), guid="same")
    ArticleFactory(feed=feed, source=feed.source, guid="")
    ArticleFactory(feed=feed, source=feed.source, guid="")
    refused(lambda: ArticleFactory(feed=feed, source=feed.source, guid="same"))


def test_source_slugs_are_unique():
    refused(lambda: SourceFactory.create_batch(2, slug="twin"))


def test_bias_and_factuality_outside_the_scales_are_refused():
    source = SourceFactory()
    refused(lambda: Source.objects.filter(pk=source.pk).update(bias=4))
    refused(lambda: Source.objects.filter(pk=source.pk).update(factuality=0))
    Source.objects.filter(pk=source.pk).update(bias=None, factuality=None)


def test_deleting_a_source_keeps_no_orphan_articles():
    article = ArticleFactory()
    article.source.delete()
    assert not Article.objects.filter(pk=article.pk).exists()
