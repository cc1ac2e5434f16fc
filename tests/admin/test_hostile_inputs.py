"""Bad and tampered input in the admin: a clear error on the page, never a 500, nothing lost."""

import pytest
from django.urls import reverse

from sources.models import Article, Feed, Source
from stories.models import Story, StoryArticle
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    FeedFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

from .helpers import ARTICLES, STORIES, action, errors_of, form_data, messages_of

pytestmark = pytest.mark.django_db

CANNOT_PUBLISH = "cannot be published"


def submit(client, page, form_id, **changes):
    """Open the form on the page, change some fields, submit it; return the response."""
    data = form_data(client.get(page), form_id) | {k: str(v) for k, v in changes.items()}
    return client.post(page, data)


def add_source(client, **changes):
    fields = {"name": "Coastline Daily", "slug": "coastline-daily"} | changes
    return submit(client, reverse("admin:sources_source_add"), "source_form", **fields)


def story_change(client, story, **changes):
    url = reverse("admin:stories_story_change", args=[story.pk])
    return submit(client, url, "story_form", **changes)


# --- duplicates refused by the database, shown as form errors --------------------


def test_source_inline_refuses_a_feed_url_another_source_has(superuser_client):
    FeedFactory(url="https://taken.example/rss")
    response = add_source(superuser_client, **{"feeds-0-url": "https://taken.example/rss"})
    assert response.status_code == 200
    assert "Feed with this Feed URL already exists." in errors_of(response)
    assert not Source.objects.filter(slug="coastline-daily").exists()


def test_source_inline_refuses_the_same_feed_url_twice(superuser_client):
    url = reverse("admin:sources_source_add")
    data = form_data(superuser_client.get(url), "source_form") | {
        "name": "Coastline Daily",
        "slug": "coastline-daily",
        "feeds-TOTAL_FORMS": "2",
        "feeds-0-url": "https://coastline.example/rss",
        "feeds-0-is_active": "on",
        "feeds-1-url": "https://coastline.example/rss",
        "feeds-1-is_active": "on",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for url" in errors_of(response)
    assert Feed.objects.count() == 0


def test_feed_admin_refuses_a_feed_url_that_exists(superuser_client):
    existing = FeedFactory(url="https://taken.example/rss")
    url = reverse("admin:sources_feed_add")
    response = submit(
        superuser_client, url, "feed_form", source=existing.source_id, url=existing.url
    )
    assert response.status_code == 200
    assert "Feed with this Feed URL already exists." in errors_of(response)
    assert Feed.objects.count() == 1


def test_article_admin_refuses_a_canonical_url_that_exists(superuser_client):
    existing = ArticleFactory(url="https://news.example/a/1")
    url = reverse("admin:sources_article_add")
    response = submit(
        superuser_client,
        url,
        "article_form",
        source=existing.source_id,
        url=existing.url,
        title="A copy",
        published_at_0="2030-01-01",
        published_at_1="10:00:00",
    )
    assert response.status_code == 200
    assert "Article with this Canonical URL already exists." in errors_of(response)
    assert Article.objects.count() == 1


def test_article_admin_refuses_a_guid_the_feed_already_has_in_words(superuser_client):
    feed = FeedFactory()
    ArticleFactory(source=feed.source, feed=feed, guid="story-42")
    response = submit(
        superuser_client,
        reverse("admin:sources_article_add"),
        "article_form",
        source=feed.source_id,
        feed=feed.pk,
        guid="story-42",
        url="https://news.example/another",
        title="Same entry again",
        published_at_0="2030-01-01",
        published_at_1="10:00:00",
    )
    assert response.status_code == 200
    assert "This feed already has an article with this GUID." in errors_of(response)
    assert Article.objects.count() == 1


def test_source_admin_refuses_a_slug_in_use(superuser_client):
    SourceFactory(slug="coastline-daily")
    response = add_source(superuser_client)
    assert response.status_code == 200
    assert "Source with this Slug already exists." in errors_of(response)
    assert Source.objects.count() == 1


def test_source_admin_names_the_outlet_that_holds_a_domain(superuser_client):
    SourceFactory(name="First Coastline", domain="coastline.example")
    response = add_source(superuser_client, domain="Coastline.example")
    assert response.status_code == 200
    assert "“First Coastline” already uses this domain." in errors_of(response)


def test_story_admin_refuses_a_slug_in_use(superuser_client):
    StoryFactory(slug="bridge-vote")
    response = submit(
        superuser_client,
        reverse("admin:stories_story_add"),
        "story_form",
        title="Bridge vote",
        slug="bridge-vote",
    )
    assert response.status_code == 200
    assert "Story with this Slug already exists." in errors_of(response)
    assert Story.objects.count() == 1


# --- publishing needs a key point and an article ---------------------------------


def test_publish_action_refuses_a_story_without_key_points_and_says_why(superuser_client):
    story = DraftStoryFactory(title="No points")
    StoryArticleFactory(story=story)
    response = superuser_client.post(STORIES, action("publish", [story]), follow=True)
    page = response.content.decode()
    assert "“No points” cannot be published: it has no key points." in page
    assert "keep it as a draft until it has both" in page
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_publish_action_refuses_a_story_without_articles_and_publishes_the_rest(
    superuser_client,
):
    empty = DraftStoryFactory(title="No articles")
    KeyPointFactory(story=empty)
    ready = DraftStoryFactory(title="Ready")
    KeyPointFactory(story=ready)
    StoryArticleFactory(story=ready)
    response = superuser_client.post(STORIES, action("publish", [empty, ready]))
    assert "“No articles” cannot be published: it has no articles." in messages_of(response)
    assert "Published 1 story." in messages_of(response)
    assert list(Story.objects.filter(status="published")) == [ready]


def test_change_form_refuses_to_publish_without_key_points(superuser_client):
    story = DraftStoryFactory()
    StoryArticleFactory(story=story)
    response = story_change(superuser_client, story, status="published")
    assert response.status_code == 200
    assert "This story cannot be published: it has no key points." in errors_of(response)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_change_form_refuses_to_publish_without_articles(superuser_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    response = story_change(superuser_client, story, status="published")
    assert response.status_code == 200
    assert "This story cannot be published: it has no articles." in errors_of(response)


def test_change_form_refuses_to_leave_a_published_story_without_key_points(superuser_client):
    story = StoryFactory()
    point = KeyPointFactory(story=story)
    StoryArticleFactory(story=story)
    data = form_data(
        superuser_client.get(reverse("admin:stories_story_change", args=[story.pk])), "story_form"
    )
    response = story_change(superuser_client, story, **{"key_points-0-DELETE": "on"})
    assert data["key_points-0-id"] == str(point.pk)
    assert response.status_code == 200
    assert "it has no key points" in errors_of(response)
    assert story.key_points.count() == 1


def test_add_form_publishes_with_a_key_point_and_an_attached_article(superuser_client):
    article = ArticleFactory()
    response = submit(
        superuser_client,
        reverse("admin:stories_story_add"),
        "story_form",
        title="Bridge vote",
        slug="bridge-vote",
        status="published",
        **{"key_points-0-text": "It passed.", "attach": article.pk},
    )
    assert response.status_code == 302
    story = Story.objects.get(slug="bridge-vote")
    assert story.is_published and story.published_at is not None


# --- the attach action with bad or tampered input ---------------------------------


def attach_action(client, articles, story):
    """The attach-to-story action, confirmed, as a (possibly tampered) POST."""
    return client.post(ARTICLES, action("attach_to_story", articles, confirm="1", story=story))


@pytest.mark.parametrize("story_id", ["987654", "abc", ""])
def test_attach_with_a_story_that_does_not_exist_shows_an_error(superuser_client, story_id):
    article = ArticleFactory()
    response = attach_action(superuser_client, [article], story_id)
    assert response.status_code == 200
    assert response.context["form"].errors["story"]
    assert not StoryArticle.objects.exists()


def test_attach_with_articles_that_no_longer_exist_changes_nothing(superuser_client):
    gone = ArticleFactory()
    selection = [Article(pk=gone.pk)]
    story = StoryFactory()
    gone.delete()
    response = attach_action(superuser_client, selection, story.pk)
    assert response.status_code == 302
    assert "None of the selected articles exists any more" in messages_of(response)[0]
    assert not StoryArticle.objects.exists()


def test_attach_with_a_tampered_article_id_changes_nothing(superuser_client):
    article = ArticleFactory()
    story = StoryFactory()
    data = action("attach_to_story", [article], confirm="1", story=story.pk)
    data["_selected_action"].append("1 OR 1=1")
    response = superuser_client.post(ARTICLES, data)
    assert response.status_code == 302
    assert "The selection could not be read; nothing was changed." in messages_of(response)
    assert not StoryArticle.objects.exists()


def test_create_story_with_a_tampered_article_id_changes_nothing(superuser_client):
    data = action("create_story_from_selected", [ArticleFactory()], confirm="1", title="T")
    data["_selected_action"] = ["<script>"]
    response = superuser_client.post(ARTICLES, data)
    assert response.status_code == 302
    assert not Story.objects.exists()
