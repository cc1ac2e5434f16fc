"""An editor (staff, in the Editors group, not a superuser) does the whole curation job."""

import pytest
from django.urls import reverse

from sources.models import Feed, Owner
from stories.models import Story, StoryArticle
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    FeedFactory,
    KeyPointFactory,
    StoryArticleFactory,
    StoryFactory,
    SubscriptionFactory,
    UserFactory,
)

from .helpers import ARTICLES, STORIES, action, form_data

pytestmark = pytest.mark.django_db


def test_the_editor_is_not_a_superuser(editor):
    assert editor.is_staff and not editor.is_superuser


def test_a_logged_in_reader_is_sent_to_the_admin_login(client, free_reader):
    client.force_login(free_reader)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("admin:login") + "?next=" + reverse("admin:index")


def test_a_logged_in_reader_cannot_open_a_changelist(client, premium_reader):
    client.force_login(premium_reader)
    response = client.get(ARTICLES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "model",
    [
        "stories_story",
        "sources_article",
        "sources_source",
        "sources_feed",
        "sources_owner",
        "accounts_subscription",
    ],
)
def test_editor_opens_every_add_page(editor_client, model):
    assert editor_client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_editor_adds_an_owner(editor_client):
    url = reverse("admin:sources_owner_add")
    data = form_data(editor_client.get(url), "owner_form") | {"name": "Bayside Trust"}
    assert editor_client.post(url, data).status_code == 302
    assert Owner.objects.filter(name="Bayside Trust").exists()


def test_editor_adds_a_source_with_a_feed(editor_client):
    url = reverse("admin:sources_source_add")
    data = form_data(editor_client.get(url), "source_form") | {
        "name": "Hilltop Gazette",
        "slug": "hilltop-gazette",
        "feeds-0-url": "https://hilltop.example/feed.xml",
    }
    assert editor_client.post(url, data).status_code == 302
    assert Feed.objects.get().source.slug == "hilltop-gazette"


def test_editor_attaches_articles_to_a_story_with_the_action(editor_client, editor):
    articles = ArticleFactory.create_batch(2)
    story = StoryFactory()
    page = editor_client.post(ARTICLES, action("attach_to_story", articles))
    assert page.status_code == 200
    data = form_data(page, "curate-form") | {"story": str(story.pk), "confirm": "Confirm"}
    assert editor_client.post(ARTICLES, data).status_code == 302
    assert set(StoryArticle.objects.values_list("story_id", "added_by_id")) == {
        (story.pk, editor.pk)
    }


def test_editor_creates_a_story_from_selected_articles(editor_client):
    articles = ArticleFactory.create_batch(2)
    page = editor_client.post(ARTICLES, action("create_story_from_selected", articles))
    data = form_data(page, "curate-form") | {"title": "Ferry fares rise", "confirm": "Confirm"}
    response = editor_client.post(ARTICLES, data)
    story = Story.objects.get(title="Ferry fares rise")
    assert response.url == reverse("admin:stories_story_change", args=[story.pk])
    assert story.story_articles.count() == 2


def test_editor_writes_key_points_and_publishes_in_the_story_form(editor_client):
    story = DraftStoryFactory()
    StoryArticleFactory(story=story)
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = form_data(editor_client.get(url), "story_form") | {
        "status": "published",
        "key_points-0-position": "1",
        "key_points-0-text": "Fares rise by a tenth in March.",
    }
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.is_published
    assert story.key_points.get().text == "Fares rise by a tenth in March."


def test_editor_publishes_with_the_action(editor_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    StoryArticleFactory(story=story)
    editor_client.post(STORIES, action("publish", [story]))
    story.refresh_from_db()
    assert story.is_published


def test_editor_re_enables_a_feed(editor_client):
    feed = FeedFactory(is_active=False, disabled_reason="HTTP 410 Gone")
    editor_client.post(reverse("admin:sources_feed_changelist"), action("re_enable", [feed]))
    feed.refresh_from_db()
    assert feed.is_active


def test_editor_extends_a_subscription(editor_client):
    subscription = SubscriptionFactory()
    before = subscription.expires_at
    url = reverse("admin:accounts_subscription_changelist")
    editor_client.post(url, action("extend_one_year", [subscription]))
    subscription.refresh_from_db()
    assert subscription.expires_at > before


def test_editor_finds_articles_by_outlet_in_the_story_inline(editor_client):
    article = ArticleFactory()
    response = editor_client.get(
        reverse("admin:sources_article_autocomplete"),
        {
            "app_label": "stories",
            "model_name": "storyarticle",
            "field_name": "article",
            "term": article.source.name,
        },
    )
    assert [int(r["id"]) for r in response.json()["results"]] == [article.pk]


def test_editor_finds_a_reader_when_adding_a_subscription(editor_client):
    UserFactory(username="marguerite")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "subscription",
            "field_name": "user",
            "term": "marguer",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["marguerite"]
