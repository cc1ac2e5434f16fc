"""factory_boy factories shared by the whole suite."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Subscription
from sources.models import Article, Feed, Owner, Source
from sources.ratings import Bias, Factuality, OwnerCategory
from stories.models import KeyPoint, Story, StoryArticle, Topic

PASSWORD = "correct horse battery staple"  # every UserFactory user's, for logging in by form


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    name = factory.Sequence(lambda n: f"Owner {n}")
    category = OwnerCategory.INDEPENDENT


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    homepage = factory.LazyAttribute(lambda s: f"https://{s.domain}/")
    country = "US"
    owner = factory.SubFactory(OwnerFactory)
    bias = Bias.CENTER
    bias_rated_by = "Newsroom ratings desk"
    factuality = Factuality.HIGH


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feed

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://feeds.example/{n}.xml")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    guid = factory.Sequence(lambda n: f"guid-{n}")
    title = factory.Sequence(lambda n: f"Headline number {n}")
    summary = "A short plain-text summary."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Story {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    status = Story.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))


class DraftStoryFactory(StoryFactory):
    """A story not yet published: a draft has no publication date."""

    status = Story.Status.DRAFT
    published_at = None


class KeyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPoint

    story = factory.SubFactory(StoryFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Key point {n}.")


class StoryArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryArticle

    story = factory.SubFactory(StoryFactory)
    article = factory.SubFactory(ArticleFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "Stories about one subject."


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def attach(story, source, n=1, **article) -> None:
    """Put n new articles by source into story; article fields as for ArticleFactory."""
    for _ in range(n):
        StoryArticleFactory(story=story, article=ArticleFactory(source=source, **article))


def story_with_coverage(*, articles: int, sources: int | None = None, key_points: int = 3, **kw):
    """A published story with articles spread over sources of every bias, round-robin."""
    story = StoryFactory(**kw)
    KeyPointFactory.create_batch(key_points, story=story)
    biases = [*Bias.values, None]
    outlets = [
        SourceFactory(bias=biases[i % len(biases)]) for i in range(sources or min(articles, 10))
    ]
    for i in range(articles):
        attach(story, outlets[i % len(outlets)])
    return story
