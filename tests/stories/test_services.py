"""Story writes: publishing rules, attaching and detaching articles."""

import pytest
from django.core.exceptions import ValidationError

from sources.models import Article
from stories import services
from stories.models import KeyPoint, Story, StoryArticle
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    StoryArticleFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


def test_publishing_needs_a_key_point():
    story = DraftStoryFactory()
    StoryArticleFactory(story=story)
    with pytest.raises(ValidationError, match="no key points"):
        services.publish_story(story=story)
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT


def test_publishing_needs_an_article():
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    with pytest.raises(ValidationError, match="no articles"):
        services.publish_story(story=story)


def test_publishing_sets_the_date_once_and_unpublishing_keeps_it():
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    StoryArticleFactory(story=story)
    published = services.publish_story(story=story)
    assert published.status == Story.Status.PUBLISHED and published.published_at
    first_date = published.published_at
    services.unpublish_story(story=published)
    again = services.publish_story(story=Story.objects.get(pk=story.pk))
    assert again.published_at == first_date
    assert Story.objects.published().filter(pk=story.pk).exists()


def test_attaching_moves_articles_from_another_story():
    old, new = StoryFactory(), StoryFactory()
    moved = StoryArticleFactory(story=old).article
    fresh = ArticleFactory()
    assert services.attach_articles(story=new, articles=[moved, fresh]) == 2
    assert set(StoryArticle.objects.filter(story=new).values_list("article", flat=True)) == {
        moved.pk,
        fresh.pk,
    }
    assert not StoryArticle.objects.filter(story=old).exists()


def test_attaching_twice_changes_nothing():
    story = StoryFactory()
    article = ArticleFactory()
    services.attach_articles(story=story, articles=[article])
    assert services.attach_articles(story=story, articles=[article]) == 0
    assert StoryArticle.objects.filter(article=article).count() == 1


def test_detaching_returns_articles_to_the_inbox():
    link = StoryArticleFactory()
    assert services.detach_articles(story=link.story, articles=[link.article]) == 1
    assert Article.objects.filter(pk=link.article.pk, story_link__isnull=True).exists()


def test_create_story_makes_a_unique_slug_and_ordered_key_points():
    StoryFactory(slug="flood-warning")
    story = services.create_story(
        title="Flood warning", articles=[ArticleFactory()], key_points=["First", " ", "Second"]
    )
    assert story.slug == "flood-warning-2"
    assert story.status == Story.Status.DRAFT
    assert list(story.key_points.values_list("text", flat=True)) == ["First", "Second"]


def test_a_blank_title_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        services.create_story(title="   ", articles=[ArticleFactory()])
    assert not Story.objects.exists()


def test_an_overlong_key_point_is_refused_and_the_old_ones_stay():
    story = StoryFactory()
    KeyPointFactory(story=story, text="Kept")
    with pytest.raises(ValidationError):
        services.set_key_points(story=story, texts=["x" * 601])
    assert list(KeyPoint.objects.filter(story=story).values_list("text", flat=True)) == ["Kept"]
