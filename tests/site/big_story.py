"""A published story of thousands of articles, written in bulk: factories would take minutes."""

from datetime import timedelta

from django.utils import timezone

from sources.models import Article
from sources.ratings import Bias
from stories.counters import recount_stories
from stories.models import StoryArticle
from tests.factories import KeyPointFactory, SourceFactory, StoryFactory


def big_story(*, articles: int, sources: int = 40, span=timedelta(days=10), slug="big-story"):
    """A story whose articles come from outlets of every bias, spread evenly over `span`."""
    story = StoryFactory(slug=slug)
    KeyPointFactory(story=story)
    biases = [*Bias.values, None]
    outlets = [SourceFactory(bias=biases[i % len(biases)]) for i in range(sources)]
    now = timezone.now()
    rows = Article.objects.bulk_create(
        [
            Article(
                source=outlets[i % sources],
                url=f"https://bulk.example/{slug}/{i}",
                title=f"Harbour strike, day {i % 9}: talks resume",
                published_at=now - span * i / articles,
            )
            for i in range(articles)
        ],
        batch_size=2000,
    )
    links = [StoryArticle(story=story, article=article) for article in rows]
    StoryArticle.objects.bulk_create(links, batch_size=2000)
    recount_stories([story.pk])  # as the story services do after their bulk writes
    return story
