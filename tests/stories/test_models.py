"""What the database itself refuses for stories and their articles."""

import pytest

from stories.models import Story, StoryArticle
from tests.constraints import refused
from tests.factories import DraftStoryFactory, StoryArticleFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_story_slugs_are_unique():
    refused(lambda: StoryFactory.create_batch(2, slug="twin"))


def test_story_status_outside_the_enum_is_refused():
    story = StoryFactory()
    refused(lambda: Story.objects.filter(pk=story.pk).update(status="archived"))


def test_a_published_story_needs_a_publication_date():
    story = DraftStoryFactory()
    refused(lambda: Story.objects.filter(pk=story.pk).update(status="published"))


def test_an_article_belongs_to_at_most_one_story():
    link = StoryArticleFactory()
    refused(lambda: StoryArticle.objects.create(story=StoryFactory(), article=link.article))
