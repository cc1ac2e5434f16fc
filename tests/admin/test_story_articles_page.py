"""The story change page's article list: paged, read-only, detach and attach with the form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stories.models import StoryArticle
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    StoryArticleFactory,
    StoryFactory,
)

from .helpers import errors_of, form_data

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:stories_story_change", args=[story.pk])


def story_with_articles(count):
    """A draft story whose article n was published n hours ago (0 is the newest)."""
    story = DraftStoryFactory()
    now = timezone.now()
    links = [
        StoryArticleFactory(
            story=story, article=ArticleFactory(published_at=now - timedelta(hours=n))
        )
        for n in range(count)
    ]
    return story, [link.article for link in links]


def listed(response):
    return [row.article_id for row in response.context["articles"].rows]


def test_articles_are_listed_newest_first_fifty_a_page(superuser_client):
    story, articles = story_with_articles(60)
    first = superuser_client.get(change_url(story))
    assert listed(first) == [article.pk for article in articles[:50]]
    second = superuser_client.get(change_url(story), {"articles_page": "2"})
    assert listed(second) == [article.pk for article in articles[50:]]
    assert 'href="?articles_page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    assert "story_articles-0-article" not in first.content.decode()


def test_each_row_shows_outlet_bias_and_publication_time(superuser_client):
    story, (article,) = story_with_articles(1)
    row = superuser_client.get(change_url(story)).context["articles"].rows[0]
    assert (row.title, row.outlet) == (article.title, article.source.name)
    assert row.bias and row.published != "—"
    assert row.url == reverse("admin:sources_article_change", args=[article.pk])


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 3), ("-1", 3), ("abc", 1)])
def test_a_page_number_past_the_end_or_not_a_number_shows_the_nearest_page(
    superuser_client, asked, shown
):
    story, _ = story_with_articles(101)
    response = superuser_client.get(change_url(story), {"articles_page": asked})
    assert response.status_code == 200
    assert response.context["articles"].page.number == shown


def test_the_page_number_is_kept_when_the_form_is_posted_back_with_errors(superuser_client):
    story, articles = story_with_articles(55)
    url = change_url(story) + "?articles_page=2"
    data = form_data(superuser_client.get(url), "story_form") | {"title": ""}
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert listed(response) == [article.pk for article in articles[50:]]


def test_detaching_an_article_another_editor_detached_changes_nothing(superuser_client):
    story, (kept, gone) = story_with_articles(2)
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    StoryArticle.objects.filter(article=gone).delete()  # the other editor's save
    data |= {"detach": [str(kept.pk), str(gone.pk)], "title": "Renamed"}
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 200
    assert f"detached meanwhile: “{gone.title}”. Nothing was changed" in errors_of(response)
    story.refresh_from_db()
    assert story.title != "Renamed"
    assert list(StoryArticle.objects.filter(story=story).values_list("article", flat=True)) == [
        kept.pk
    ]


def test_detaching_an_article_that_no_longer_exists_changes_nothing(superuser_client):
    story, (kept,) = story_with_articles(1)
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    response = superuser_client.post(change_url(story), data | {"detach": ["987654"]})
    assert response.status_code == 200
    assert "no longer exists; nothing was changed" in errors_of(response)
    assert StoryArticle.objects.filter(story=story).count() == 1


def test_an_article_of_another_story_cannot_be_detached_from_this_one(superuser_client):
    story, _ = story_with_articles(1)
    other = StoryArticleFactory()
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    response = superuser_client.post(change_url(story), data | {"detach": [other.article_id]})
    assert response.status_code == 200
    assert StoryArticle.objects.get(pk=other.pk).story == other.story


def test_a_published_story_cannot_be_left_without_articles(superuser_client):
    story = StoryFactory()
    KeyPointFactory(story=story)
    link = StoryArticleFactory(story=story)
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    response = superuser_client.post(change_url(story), data | {"detach": [link.article_id]})
    assert response.status_code == 200
    assert "This story cannot be published: it has no articles." in errors_of(response)
    assert StoryArticle.objects.filter(pk=link.pk).exists()


def test_detach_and_attach_in_one_save(superuser_client):
    story, (dropped,) = story_with_articles(1)
    added = ArticleFactory()
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data |= {"detach": [str(dropped.pk)], "attach": str(added.pk)}
    assert superuser_client.post(change_url(story), data).status_code == 302
    assert list(StoryArticle.objects.filter(story=story).values_list("article", flat=True)) == [
        added.pk
    ]
