"""The admin's actions that merge selected stories and split selected articles off."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from sources.ratings import Bias
from stories.models import Story, StoryRedirect
from tests.admin.helpers import ARTICLES, STORIES, action, errors_of, form_data, messages_of
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory
from tests.stories.test_counters import assert_counters

pytestmark = pytest.mark.django_db


def story_with(*sources, age_days=0, **kw):
    """A published story with an article by each source, created age_days ago."""
    story = StoryFactory(**kw)
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    for source in sources:
        StoryArticleFactory(story=story, article=ArticleFactory(source=source))
    return story


@pytest.fixture
def three_stories():
    """Newest first: the oldest is the one the page picks at first."""
    left, right = SourceFactory(bias=Bias.LEFT), SourceFactory(bias=Bias.RIGHT)
    return (
        story_with(left, age_days=1, slug="newest"),
        story_with(right, right, age_days=3, slug="oldest"),
        story_with(left, right, age_days=2, slug="middle"),
    )


def radios(response) -> dict[str, bool]:
    """{value: checked} of the survivor radio buttons of the merge page."""
    page = lxml.html.fromstring(response.content.decode())
    buttons = page.get_element_by_id("merge-form").xpath(".//input[@name='survivor']")
    return {button.get("value"): button.checked for button in buttons}


def test_the_merge_page_lists_the_stories_with_the_oldest_picked(staff_client, three_stories):
    newest, oldest, middle = three_stories

    page = staff_client.post(STORIES, action("merge_selected", three_stories))

    assert page.status_code == 200
    assert radios(page) == {str(oldest.pk): True, str(middle.pk): False, str(newest.pk): False}
    assert "csrfmiddlewaretoken" in form_data(page, "merge-form")
    assert Story.objects.count() == 3


def test_confirming_merges_into_the_story_picked(staff_client, three_stories):
    newest, oldest, middle = three_stories
    page = staff_client.post(STORIES, action("merge_selected", three_stories))
    data = form_data(page, "merge-form") | {"survivor": str(newest.pk), "confirm": "Merge"}

    response = staff_client.post(STORIES, data)

    assert response.status_code == 302
    assert response.url == reverse("admin:stories_story_change", args=[newest.pk])
    assert list(Story.objects.all()) == [newest]
    assert set(StoryRedirect.objects.values_list("old_slug", flat=True)) == {"oldest", "middle"}
    # 1 + 2 + 2 articles by one left and one right outlet.
    assert_counters({newest: (5, 2, 1, 0, 1)})
    assert "Merged 2 stories into" in messages_of(response)[0]


def test_merging_a_single_story_is_refused(staff_client, three_stories):
    response = staff_client.post(STORIES, action("merge_selected", three_stories[:1]), follow=True)

    assert "Select at least two stories" in messages_of(response)[0]
    assert Story.objects.count() == 3


def test_merging_into_a_story_deleted_meanwhile_merges_nothing(staff_client, three_stories):
    newest, oldest, middle = three_stories
    page = staff_client.post(STORIES, action("merge_selected", three_stories))
    Story.objects.filter(pk=oldest.pk).delete()
    data = form_data(page, "merge-form") | {"survivor": str(oldest.pk), "confirm": "Merge"}

    response = staff_client.post(STORIES, data)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)
    assert set(Story.objects.all()) == {newest, middle}
    assert not StoryRedirect.objects.exists()


def test_the_split_page_asks_for_the_new_title(staff_client, three_stories):
    articles = [link.article for link in three_stories[2].story_articles.all()]

    page = staff_client.post(ARTICLES, action("split_into_new_story", articles))

    assert page.status_code == 200
    assert set(form_data(page, "curate-form")) >= {"title", "csrfmiddlewaretoken"}


def test_confirming_a_split_creates_a_draft_with_the_articles(staff_client, three_stories):
    middle = three_stories[2]
    leaving = middle.story_articles.get(article__source__bias=Bias.RIGHT).article

    response = staff_client.post(
        ARTICLES,
        action("split_into_new_story", [leaving], confirm="Confirm", title="Right side"),
    )

    new = Story.objects.get(title="Right side")
    assert response.status_code == 302
    assert response.url == reverse("admin:stories_story_change", args=[new.pk])
    assert new.status == Story.Status.DRAFT
    assert_counters({middle: (1, 1, 1, 0, 0), new: (1, 1, 0, 0, 1)})


def test_splitting_every_article_warns_that_the_published_story_is_empty(
    staff_client, three_stories
):
    middle = three_stories[2]
    articles = [link.article for link in middle.story_articles.all()]

    response = staff_client.post(
        ARTICLES,
        action("split_into_new_story", articles, confirm="Confirm", title="All of it"),
        follow=True,
    )

    assert any("no articles left" in message for message in messages_of(response))
    assert_counters({middle: (0, 0, 0, 0, 0)})


def test_splitting_articles_of_two_stories_is_refused(staff_client, three_stories):
    newest, oldest, _ = three_stories
    mixed = [newest.story_articles.get().article, oldest.story_articles.first().article]

    response = staff_client.post(
        ARTICLES, action("split_into_new_story", mixed, confirm="Confirm", title="Mixed")
    )

    assert response.status_code == 200
    assert "1 of the selected articles is not in" in errors_of(response)
    assert Story.objects.count() == 3
    assert_counters({newest: (1, 1, 1, 0, 0), oldest: (2, 1, 0, 0, 1)})


def test_splitting_articles_in_no_story_is_refused(staff_client):
    response = staff_client.post(
        ARTICLES,
        action("split_into_new_story", [ArticleFactory()], confirm="Confirm", title="Stray"),
    )

    assert response.status_code == 200
    assert "None of the selected articles is in a story" in errors_of(response)
    assert not Story.objects.exists()
