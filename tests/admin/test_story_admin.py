"""The story admin: list, search, change form with its inlines, coverage, publish actions."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Article
from sources.ratings import Bias, Factuality
from stories.models import KeyPoint, Story, StoryArticle
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    story_with_coverage,
)

from .helpers import STORIES, action, errors_of, form_data, messages_of, row_of

pytestmark = pytest.mark.django_db

ADD = reverse("admin:stories_story_add")


def change_url(story):
    return reverse("admin:stories_story_change", args=[story.pk])


def test_list_shows_counts_and_the_left_center_right_split(superuser_client):
    story = StoryFactory(title="Harbour bridge reopens")
    for bias in [Bias.LEFT, Bias.CENTER, Bias.CENTER, Bias.RIGHT, None]:
        StoryArticleFactory(story=story, article=ArticleFactory(source=SourceFactory(bias=bias)))
    StoryArticleFactory(
        story=story, article=ArticleFactory(source=story.story_articles.first().article.source)
    )
    response = superuser_client.get(STORIES)
    row = response.context["cl"].result_list[0]
    assert (row.article_count, row.source_count) == (6, 5)
    assert "L 1 · C 2 · R 1 · 1 not rated" in response.content.decode()
    assert "50% of the sources are Center" in response.content.decode()


def test_search_finds_titles_and_key_point_texts_once_each(superuser_client):
    by_title = StoryFactory(title="Flood barrier vote")
    by_points = StoryFactory(title="Council meeting")
    KeyPointFactory(story=by_points, text="The flood plan passed.")
    KeyPointFactory(story=by_points, text="Flood insurance rises.")
    StoryFactory(title="Unrelated")
    response = superuser_client.get(STORIES, {"q": "flood"})
    assert sorted(s.pk for s in response.context["cl"].result_list) == sorted(
        [by_title.pk, by_points.pk]
    )


def test_list_filters_by_status(superuser_client):
    drafted = DraftStoryFactory()
    StoryFactory()
    response = superuser_client.get(STORIES, {"status__exact": "draft"})
    assert list(response.context["cl"].result_list) == [drafted]


def test_list_filters_by_publication_date(superuser_client):
    StoryFactory()
    never = DraftStoryFactory()
    assert list(
        superuser_client.get(STORIES, {"published_at__isnull": "True"}).context["cl"].result_list
    ) == [never]


def test_add_page_prepopulates_the_slug_from_the_title(superuser_client):
    response = superuser_client.get(ADD)
    assert response.context["adminform"].prepopulated_fields[0]["field"].name == "slug"


def test_coverage_figures_are_shown_on_the_change_page_with_factuality(superuser_client):
    story = StoryFactory()
    source = SourceFactory(bias=Bias.LEAN_LEFT, factuality=Factuality.MIXED)
    StoryArticleFactory(story=story, article=ArticleFactory(source=source))
    page = superuser_client.get(change_url(story)).content.decode()
    assert '<table class="coverage-figures">' in page
    assert "L 1 · C 0 · R 0" in page
    assert "Mixed 1 (100%)" in page


def test_coverage_figures_escape_outlet_and_headline_text(superuser_client):
    story = StoryFactory()
    source = SourceFactory(name="<b>Outlet</b>")
    StoryArticleFactory(
        story=story, article=ArticleFactory(source=source, title="<script>x</script>")
    )
    page = superuser_client.get(change_url(story)).content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>Outlet</b>" not in page


def test_change_page_query_count_does_not_grow_with_articles(superuser_client):
    story = story_with_coverage(articles=5, sources=3)
    superuser_client.get(change_url(story))
    with CaptureQueriesContext(connection) as small:
        superuser_client.get(change_url(story))
    for _ in range(115):
        StoryArticleFactory(story=story)
    with CaptureQueriesContext(connection) as large:
        response = superuser_client.get(change_url(story))
    articles = response.context["articles"]
    assert (articles.page.paginator.count, len(articles.rows)) == (120, 50)
    assert len(large) == len(small)


def test_key_points_are_added_through_the_inline(superuser_client):
    story = DraftStoryFactory()
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data |= {"key_points-0-position": "1", "key_points-0-text": "Turnout was the highest in years."}
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 302
    assert list(story.key_points.values_list("text", flat=True)) == [
        "Turnout was the highest in years."
    ]


def test_key_points_are_reordered_with_the_arrow_buttons(superuser_client):
    story = DraftStoryFactory()
    first = KeyPointFactory(story=story, position=1, text="First")
    second = KeyPointFactory(story=story, position=2, text="Second")
    third = KeyPointFactory(story=story, position=3, text="Third")
    page = superuser_client.get(change_url(story))
    assert f'value="{third.pk}:up"' in page.content.decode()
    data = form_data(page, "story_form") | {"_move_key_point": f"{third.pk}:up"}
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 302 and response.url == change_url(story)
    assert list(story.key_points.all()) == [first, third, second]
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    superuser_client.post(change_url(story), data | {"_move_key_point": f"{first.pk}:down"})
    assert list(story.key_points.all()) == [third, first, second]


@pytest.mark.parametrize("value", ["abc", "987654:up", "", "other"])
def test_moving_a_key_point_that_is_not_the_storys_moves_nothing(superuser_client, value):
    story = DraftStoryFactory()
    first = KeyPointFactory(story=story, position=1)
    second = KeyPointFactory(story=story, position=2)
    foreign = KeyPointFactory(position=0)
    value = f"{foreign.pk}:down" if value == "other" else value
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    response = superuser_client.post(change_url(story), data | {"_move_key_point": value})
    assert response.status_code == 302
    assert "That key point is no longer in this story" in messages_of(response)[-1]
    assert list(story.key_points.all()) == [first, second]


def test_a_new_key_point_goes_after_the_others(superuser_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story, position=0, text="First")
    KeyPointFactory(story=story, position=7, text="Second")
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data["key_points-2-text"] = "Third"
    assert superuser_client.post(change_url(story), data).status_code == 302
    assert list(story.key_points.values_list("text", flat=True)) == ["First", "Second", "Third"]


def test_key_point_text_box_holds_a_sentence(superuser_client):
    story = DraftStoryFactory()
    page = superuser_client.get(change_url(story)).content.decode()
    boxes = lxml.html.fromstring(page).find_class("key-point-text")
    # The new row, and the template of further rows added with "Add another".
    assert [(box.tag, box.get("name"), int(box.get("rows"))) for box in boxes] == [
        ("textarea", "key_points-0-text", 3),
        ("textarea", "key_points-__prefix__-text", 3),
    ]
    assert "css/admin-story.css" in page


def test_key_points_are_removed_through_the_inline(superuser_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story, text="Stays")
    goes = KeyPointFactory(story=story, text="Goes")
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data[row_of(data, "key_points", goes) + "-DELETE"] = "on"
    superuser_client.post(change_url(story), data)
    assert list(story.key_points.values_list("text", flat=True)) == ["Stays"]


def test_an_article_is_attached_through_the_search_field(superuser_client, admin_user):
    story, article = DraftStoryFactory(), ArticleFactory()
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data["attach"] = str(article.pk)
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 302
    link = StoryArticle.objects.get(article=article)
    assert (link.story, link.added_by) == (story, admin_user)


def test_an_article_is_detached_with_its_checkbox(superuser_client):
    story = DraftStoryFactory()
    kept, dropped = StoryArticleFactory(story=story), StoryArticleFactory(story=story)
    page = superuser_client.get(change_url(story))
    assert f'name="detach" value="{dropped.article_id}"' in page.content.decode()
    data = form_data(page, "story_form")
    data["detach"] = [str(dropped.article_id)]
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 302
    assert list(StoryArticle.objects.filter(story=story)) == [kept]
    assert Article.objects.filter(pk=dropped.article_id).exists()


def test_attaching_refuses_an_article_of_another_story_and_names_it(superuser_client):
    story = DraftStoryFactory()
    # Free when the page was loaded, then taken by another story before the save.
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    elsewhere = StoryArticleFactory(story__title="Other story")
    data["attach"] = str(elsewhere.article.pk)
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "is in the story “Other story”" in errors_of(response)
    assert StoryArticle.objects.get(pk=elsewhere.pk).story == elsewhere.story


def pick_article(client, term):
    """What the story form's article picker offers for a search term."""
    params = {"app_label": "stories", "model_name": "storyarticle", "field_name": "article"}
    url = reverse("admin:sources_article_autocomplete")
    return client.get(url, params | {"term": term}).json()["results"]


def test_article_picker_finds_by_headline_and_by_outlet(superuser_client):
    by_headline = ArticleFactory(title="Dam inspection finds cracks")
    by_outlet = ArticleFactory(source=SourceFactory(name="Valley Courier"))
    ArticleFactory(title="Something else")
    found = {
        term: [int(r["id"]) for r in pick_article(superuser_client, term)]
        for term in ("dam insp", "valley cour")
    }
    assert found == {"dam insp": [by_headline.pk], "valley cour": [by_outlet.pk]}


def test_article_picker_names_the_outlet_of_each_headline(superuser_client):
    ArticleFactory(title="Storm hits coast", source=SourceFactory(name="Bay Post"))
    assert [r["text"] for r in pick_article(superuser_client, "storm")] == [
        "Storm hits coast — Bay Post"
    ]


def test_article_picker_offers_only_articles_in_no_story(superuser_client):
    waiting = ArticleFactory(title="Storm hits coast")
    StoryArticleFactory(article__title="Storm hits coast again")
    assert [int(r["id"]) for r in pick_article(superuser_client, "storm")] == [waiting.pk]


def test_story_form_uses_the_article_picker(superuser_client):
    page = superuser_client.get(ADD).content.decode()
    assert 'data-ajax--url="/admin/sources/article/autocomplete/"' in page


def test_saving_as_published_sets_the_publication_date(superuser_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    StoryArticleFactory(story=story)
    data = form_data(superuser_client.get(change_url(story)), "story_form")
    data["status"] = "published"
    response = superuser_client.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_published and story.published_at is not None


def test_publish_action_publishes_a_complete_story(superuser_client):
    story = DraftStoryFactory()
    KeyPointFactory(story=story)
    StoryArticleFactory(story=story)
    response = superuser_client.post(STORIES, action("publish", [story]))
    story.refresh_from_db()
    assert story.is_published
    assert "Published 1 story." in messages_of(response)


def test_unpublish_action_takes_stories_back_to_draft(superuser_client):
    story = StoryFactory()
    response = superuser_client.post(STORIES, action("unpublish", [story]))
    assert messages_of(response) == ["Took 1 story back to draft."]
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert story.published_at is not None  # kept for a later re-publish


def test_adding_a_story_records_who_created_it(superuser_client, admin_user):
    data = form_data(superuser_client.get(ADD), "story_form")
    data |= {"title": "Rail strike ends", "slug": "rail-strike-ends"}
    response = superuser_client.post(ADD, data)
    assert response.status_code == 302
    assert Story.objects.get(slug="rail-strike-ends").created_by == admin_user
    assert KeyPoint.objects.count() == 0
