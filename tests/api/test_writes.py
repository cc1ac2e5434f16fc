"""Editors write through the story services; their answers are the story as it now stands."""

import pytest

from stories.models import Story, StoryArticle
from tests.factories import ArticleFactory, DraftStoryFactory

pytestmark = pytest.mark.django_db


def test_creating_a_story_makes_a_draft_with_a_slug_from_the_title(editor_api, editor):
    response = editor_api.post(
        "/api/v1/stories/", {"title": "  Floods close the ring road "}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["slug"], data["title"], data["status"]) == (
        "floods-close-the-ring-road", "Floods close the ring road", "draft",
    )  # fmt: skip
    assert response["Location"] == data["url"]
    assert Story.objects.get(slug=data["slug"]).created_by == editor


def test_creating_a_story_with_key_points_articles_and_a_slug(editor_api, story_draft_and_inbox):
    loose = story_draft_and_inbox["loose"]
    response = editor_api.post(
        "/api/v1/stories/",
        {"title": "Ring road", "slug": "ring-road-2026", "key_points": ["One.", "Two."],
         "articles": [loose.pk]},
        format="json",
    )  # fmt: skip
    data = response.json()
    assert response.status_code == 201
    assert data["slug"] == "ring-road-2026"
    assert data["key_points"] == ["One.", "Two."]
    assert data["coverage"]["article_count"] == 1
    assert StoryArticle.objects.get(article=loose).story.slug == "ring-road-2026"


def test_a_taken_slug_is_a_field_error(editor_api, story_draft_and_inbox):
    response = editor_api.post(
        "/api/v1/stories/", {"title": "Again", "slug": "published-story"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"slug": ["Another story already uses this slug."]}


def test_a_missing_title_is_a_field_error(editor_api):
    response = editor_api.post("/api/v1/stories/", {"key_points": ["x"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"title": ["This field is required."]}


def test_unknown_article_ids_are_named_in_the_error(editor_api, story_draft_and_inbox):
    response = editor_api.post(
        "/api/v1/stories/",
        {"title": "T", "articles": [story_draft_and_inbox["loose"].pk, 99999]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"articles": ["No article with id 99999."]}
    assert not Story.objects.filter(title="T").exists()


def test_a_key_point_too_long_is_a_field_error_with_its_position(editor_api, story_draft_and_inbox):
    response = editor_api.patch(
        "/api/v1/stories/published-story/", {"key_points": ["ok", "x" * 601]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["key_points.1"]


def test_updating_the_title_keeps_the_slug_and_replaces_key_points(
    editor_api, story_draft_and_inbox
):
    response = editor_api.patch(
        "/api/v1/stories/published-story/",
        {"title": "Bridge reopens at last", "key_points": ["Only this."]},
        format="json",
    )
    data = response.json()
    assert response.status_code == 200
    assert (data["slug"], data["title"]) == ("published-story", "Bridge reopens at last")
    assert data["key_points"] == ["Only this."]


def test_changing_the_slug_to_one_in_use_is_refused(editor_api, story_draft_and_inbox):
    response = editor_api.patch(
        "/api/v1/stories/published-story/", {"slug": "draft-story"}, format="json"
    )
    assert response.status_code == 400
    assert "slug" in response.json()["error"]["fields"]


def test_attaching_moves_articles_into_the_story(editor_api, story_draft_and_inbox):
    loose = story_draft_and_inbox["loose"]
    response = editor_api.post(
        "/api/v1/stories/published-story/articles/attach/", {"articles": [loose.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["coverage"]["article_count"] == 5
    assert StoryArticle.objects.get(article=loose).story == story_draft_and_inbox["story"]


def test_detaching_returns_articles_to_the_inbox(editor_api, story_draft_and_inbox):
    article = story_draft_and_inbox["story"].story_articles.first().article
    response = editor_api.post(
        "/api/v1/stories/published-story/articles/detach/",
        {"articles": [article.pk]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["coverage"]["article_count"] == 3
    assert not StoryArticle.objects.filter(article=article).exists()


def test_detaching_an_article_of_another_story_is_refused(editor_api, story_draft_and_inbox):
    response = editor_api.post(
        "/api/v1/stories/published-story/articles/detach/",
        {"articles": [story_draft_and_inbox["in_draft"].pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "articles": [f"Not in this story: {story_draft_and_inbox['in_draft'].pk}."]
    }


def test_attach_needs_at_least_one_article(editor_api, story_draft_and_inbox):
    response = editor_api.post(
        "/api/v1/stories/published-story/articles/attach/", {"articles": []}, format="json"
    )
    assert response.status_code == 400
    assert "articles" in response.json()["error"]["fields"]


def test_publishing_a_story_without_key_points_or_articles_is_refused_with_the_reason(
    editor_api,
):
    DraftStoryFactory(slug="empty", title="Empty")
    response = editor_api.post("/api/v1/stories/empty/publish/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "“Empty” cannot be published: it has no key points and it has no articles."
    )
    assert Story.objects.get(slug="empty").status == "draft"


def test_publishing_and_unpublishing_a_draft(editor_api, story_draft_and_inbox, anon):
    assert editor_api.post("/api/v1/stories/draft-story/publish/").json()["status"] == ("published")
    assert anon.get("/api/v1/stories/draft-story/").status_code == 200
    assert editor_api.post("/api/v1/stories/draft-story/unpublish/").json()["status"] == "draft"
    assert anon.get("/api/v1/stories/draft-story/").status_code == 404


def test_editors_write_answers_include_factuality_as_staff_may_see_it(
    editor_api, story_draft_and_inbox
):
    data = editor_api.post("/api/v1/stories/draft-story/publish/").json()
    assert "factuality" in data["coverage"]


def test_a_non_staff_user_with_the_permission_still_cannot_write(
    free_reader, story_draft_and_inbox
):
    from django.contrib.auth.models import Permission

    from .conftest import token_client

    free_reader.user_permissions.add(Permission.objects.get(codename="change_story"))
    response = token_client(free_reader).post("/api/v1/stories/published-story/unpublish/")
    assert response.status_code == 403


def test_an_editor_without_add_permission_cannot_create(editor_api, editor):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="Editors")
    group.permissions.remove(Permission.objects.get(codename="add_story"))
    response = editor_api.post("/api/v1/stories/", {"title": "No"}, format="json")
    assert response.status_code == 403


def test_editor_can_attach_an_article_to_a_new_story_by_id(editor_api):
    article = ArticleFactory()
    response = editor_api.post(
        "/api/v1/stories/", {"title": "New", "articles": [article.pk, article.pk]}, format="json"
    )
    assert response.json()["coverage"]["article_count"] == 1
