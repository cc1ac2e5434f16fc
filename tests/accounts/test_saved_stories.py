"""Saved stories: the story page's button, a free reader's limit, the Saved stories page."""

import pytest
from django.test import Client

from accounts.models import SavedStory
from tests.clients import logged_in
from tests.factories import DraftStoryFactory, UserFactory, story_with_coverage

pytestmark = pytest.mark.django_db


def save(client, story, action="save", **extra):
    return client.post(f"/saved/{story.slug}/", {"action": action, **extra})


def button(client, story) -> str:
    html = client.get(story.get_absolute_url()).content.decode()
    start = html.index('id="save-story"')
    return html[start : html.index("</form>", start)] if "<form" in html[start - 80 : start] else ""


def test_the_story_page_shows_a_logged_in_reader_their_own_button(client):
    story = story_with_coverage(articles=2)
    reader = logged_in(UserFactory())
    assert "Save story" in button(reader, story)
    assert save(reader, story).status_code == 302
    assert "Saved · Unsave" in button(reader, story)
    # Another reader, served the same cached page content, sees their own state.
    assert "Save story" in button(logged_in(UserFactory()), story)


def test_anonymous_readers_are_asked_to_log_in_and_get_the_shared_cached_page(client):
    story = story_with_coverage(articles=2)
    logged_in(UserFactory()).get(story.get_absolute_url())
    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    html = second.content.decode()
    assert "Log in to save this story" in html and "csrfmiddlewaretoken" not in html
    assert first.content == second.content


def test_saving_needs_a_csrf_token(client):
    story = story_with_coverage(articles=1)
    strict = logged_in(UserFactory(), enforce_csrf_checks=True)
    assert save(strict, story).status_code == 403
    assert not SavedStory.objects.exists()


def test_a_free_reader_saves_up_to_the_limit(settings):
    settings.NEWSROOM_FREE_SAVED_STORIES = 2
    reader = UserFactory()
    client = logged_in(reader)
    stories = [story_with_coverage(articles=1) for _ in range(3)]
    for story in stories:
        save(client, story)
    assert SavedStory.objects.filter(user=reader).count() == 2
    # Unsaving one frees a place.
    save(client, stories[0], "unsave")
    save(client, stories[2])
    saved = set(SavedStory.objects.filter(user=reader).values_list("story_id", flat=True))
    assert saved == {stories[1].pk, stories[2].pk}


def test_the_limit_message_is_shown_after_a_refused_save(settings):
    settings.NEWSROOM_FREE_SAVED_STORIES = 1
    client = logged_in(UserFactory())
    first, second = story_with_coverage(articles=1), story_with_coverage(articles=1)
    save(client, first)
    page = client.post(f"/saved/{second.slug}/", {"action": "save"}, follow=True)
    assert (
        "A free account keeps 1 saved stories: unsave one, or go premium." in page.content.decode()
    )


def test_a_premium_reader_has_no_limit(settings, premium_reader):
    settings.NEWSROOM_FREE_SAVED_STORIES = 1
    client = logged_in(premium_reader)
    for _ in range(3):
        save(client, story_with_coverage(articles=1))
    assert SavedStory.objects.filter(user=premium_reader).count() == 3
    assert "You have saved <strong>3</strong> stories." in client.get("/premium/").content.decode()


def test_the_premium_page_shows_a_free_readers_numbers(settings):
    settings.NEWSROOM_FREE_SAVED_STORIES = 5
    client = logged_in(UserFactory())
    save(client, story_with_coverage(articles=1))
    assert (
        "You have saved <strong>1</strong> story of 5." in client.get("/premium/").content.decode()
    )


def test_saving_twice_keeps_one_and_a_draft_cannot_be_saved():
    client = logged_in(UserFactory())
    story = story_with_coverage(articles=1)
    save(client, story)
    save(client, story)
    assert SavedStory.objects.count() == 1
    assert save(client, DraftStoryFactory()).status_code == 404


def test_the_saved_stories_page_lists_them_newest_first_and_unsaves():
    client = logged_in(UserFactory())
    older, newer = story_with_coverage(articles=1), story_with_coverage(articles=1)
    save(client, older)
    save(client, newer)
    html = client.get("/saved/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    response = save(client, older, "unsave", next="/saved/")
    assert response["Location"] == "/saved/"
    assert older.title not in client.get("/saved/").content.decode()


def test_the_way_back_after_saving_stays_on_this_site():
    client = logged_in(UserFactory())
    story = story_with_coverage(articles=1)
    response = save(client, story, next="https://evil.example/")
    assert response["Location"] == story.get_absolute_url()


def test_the_saved_stories_page_needs_a_login():
    assert Client().get("/saved/")["Location"].startswith("/accounts/login/")
