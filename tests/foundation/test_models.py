"""What the database itself refuses: duplicates and values outside the enums."""

import pytest
from django.db import IntegrityError, transaction

from sources.models import Article, Source
from sources.ratings import Bias
from stories.models import Story, StoryArticle
from tests.factories import (
    ArticleFactory,
    FeedFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


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


def test_source_and_story_slugs_are_unique():
    refused(lambda: SourceFactory.create_batch(2, slug="twin"))
    refused(lambda: StoryFactory.create_batch(2, slug="twin"))


def test_bias_and_factuality_outside_the_scales_are_refused():
    source = SourceFactory()
    refused(lambda: Source.objects.filter(pk=source.pk).update(bias=4))
    refused(lambda: Source.objects.filter(pk=source.pk).update(factuality=0))
    Source.objects.filter(pk=source.pk).update(bias=None, factuality=None)


def test_story_status_outside_the_enum_is_refused():
    story = StoryFactory()
    refused(lambda: Story.objects.filter(pk=story.pk).update(status="archived"))


def test_a_published_story_needs_a_publication_date():
    story = StoryFactory(status=Story.Status.DRAFT, published_at=None)
    refused(lambda: Story.objects.filter(pk=story.pk).update(status="published"))


def test_an_article_belongs_to_at_most_one_story():
    link = StoryArticleFactory()
    refused(lambda: StoryArticle.objects.create(story=StoryFactory(), article=link.article))


def test_a_subscription_must_expire_after_it_starts():
    sub = SubscriptionFactory()
    refused(lambda: type(sub).objects.filter(pk=sub.pk).update(expires_at=sub.starts_at))


def test_bias_buckets_group_the_seven_points():
    assert [Bias.bucket_of(v) for v in Bias.values] == ["left"] * 3 + ["center"] + ["right"] * 3
    assert Bias.bucket_of(None) is None


def test_deleting_a_source_keeps_no_orphan_articles():
    article = ArticleFactory()
    article.source.delete()
    assert not Article.objects.filter(pk=article.pk).exists()
