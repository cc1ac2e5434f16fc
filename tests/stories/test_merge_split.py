"""Merging stories and splitting one: articles, key points, counters and old addresses."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from sources.ratings import Bias
from stories.freshness import bump_content_version
from stories.models import KeyPoint, Story, StoryArticle, StoryRedirect
from stories.services import merge_stories, split_story
from tests.api.conftest import token_client
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    TopicFactory,
)

from .test_counters import assert_counters, assert_placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def left():
    return SourceFactory(bias=Bias.LEFT)


@pytest.fixture
def right():
    return SourceFactory(bias=Bias.RIGHT)


def story_with(*sources, points=(), **kw):
    """A published story with one article by each source and these key points."""
    story = StoryFactory(**kw)
    for source in sources:
        StoryArticleFactory(story=story, article=ArticleFactory(source=source))
    for position, text in enumerate(points):
        KeyPointFactory(story=story, position=position, text=text)
    return story


def articles_of(story) -> set[int]:
    return set(StoryArticle.objects.filter(story=story).values_list("article_id", flat=True))


def points_of(story) -> list[str]:
    return list(story.key_points.order_by("position", "id").values_list("text", flat=True))


def test_merging_moves_every_article_and_recounts_the_survivor(left, right):
    survivor = story_with(left, points=["S1."])
    absorbed = story_with(left, right, right, points=["A1."])
    before = articles_of(survivor) | articles_of(absorbed)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert articles_of(survivor) == before and len(before) == 4
    assert not Story.objects.filter(pk=absorbed.pk).exists()
    # 4 articles, from 2 sources: 1 left, 0 center, 1 right.
    assert_counters({survivor: (4, 2, 1, 0, 1)})


def test_merged_key_points_follow_the_survivors_in_order():
    survivor = story_with(points=["S1.", "S2."])
    absorbed = story_with(points=["A1.", "A2.", "A3."])
    # Stored positions out of creation order: the position decides.
    absorbed.key_points.filter(text="A1.").update(position=9)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert points_of(survivor) == ["S1.", "S2.", "A2.", "A3.", "A1."]
    survivor.refresh_from_db()
    assert "A3." in survivor.key_points_text  # site search finds the moved points


def test_merging_adds_the_absorbed_topics_to_the_survivors():
    energy, labor = TopicFactory(), TopicFactory()
    survivor, absorbed = story_with(), story_with()
    survivor.topics.add(energy)
    absorbed.topics.add(labor)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert set(survivor.topics.all()) == {energy, labor}


def test_merging_leaves_the_absorbed_slug_leading_to_the_survivor():
    survivor, absorbed = story_with(), story_with(slug="old-address")

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert StoryRedirect.objects.get(old_slug="old-address").story == survivor


def test_a_story_cannot_be_merged_into_itself(left):
    story = story_with(left, points=["P."])

    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        merge_stories(survivor=story, absorbed=Story.objects.get(pk=story.pk))

    assert Story.objects.filter(pk=story.pk).exists()
    assert not StoryRedirect.objects.exists()
    assert_counters({story: (1, 1, 1, 0, 0)})


def test_merging_into_a_story_deleted_meanwhile_changes_nothing(left):
    survivor, absorbed = story_with(left), story_with(left, points=["A1."])
    Story.objects.filter(pk=survivor.pk).delete()

    with pytest.raises(ValidationError, match="deleted meanwhile"):
        merge_stories(survivor=survivor, absorbed=absorbed)

    assert points_of(absorbed) == ["A1."]
    assert not StoryRedirect.objects.exists()
    assert_counters({absorbed: (1, 1, 1, 0, 0)})


def test_a_chain_of_merges_leads_the_first_slug_to_the_last_survivor():
    a, b, c = story_with(slug="a"), story_with(slug="b"), story_with(slug="c")

    merge_stories(survivor=b, absorbed=a)
    merge_stories(survivor=c, absorbed=b)

    assert dict(StoryRedirect.objects.values_list("old_slug", "story")) == {"a": c.pk, "b": c.pk}


def test_a_slug_reused_then_merged_again_leads_to_the_latest_survivor():
    first = story_with()
    merge_stories(survivor=first, absorbed=story_with(slug="reused"))
    second = story_with()
    merge_stories(survivor=second, absorbed=story_with(slug="reused"))

    assert StoryRedirect.objects.get(old_slug="reused").story == second


def test_splitting_moves_the_articles_into_a_new_draft_and_recounts_both(left, right):
    story = story_with(left, left, right, points=["P."])
    articles = [link.article for link in story.story_articles.filter(article__source=right)]

    new = split_story(story=story, articles=articles, title="The other side")

    assert (new.title, new.status) == ("The other side", Story.Status.DRAFT)
    assert articles_of(new) == {article.pk for article in articles}
    assert_counters({story: (2, 1, 1, 0, 0), new: (1, 1, 0, 0, 1)})
    assert points_of(story) == ["P."]


def test_splitting_every_article_is_allowed_and_leaves_the_story_empty(left, right):
    story = story_with(left, right)
    articles = [link.article for link in story.story_articles.all()]

    new = split_story(story=story, articles=articles, title="All of it")

    assert_counters({story: (0, 0, 0, 0, 0), new: (2, 2, 1, 0, 1)})


def test_splitting_articles_of_two_stories_is_refused(left):
    story, other = story_with(left, left), story_with(left)
    mixed = [story.story_articles.first().article, other.story_articles.get().article]

    with pytest.raises(ValidationError, match="1 of the selected articles is not in"):
        split_story(story=story, articles=mixed, title="Mixed")

    assert Story.objects.count() == 2
    assert_counters({story: (2, 1, 1, 0, 0), other: (1, 1, 1, 0, 0)})


def test_splitting_an_article_in_no_story_is_refused(left):
    story = story_with(left)
    stray = ArticleFactory(source=left)

    with pytest.raises(ValidationError, match="not in"):
        split_story(story=story, articles=[stray], title="Stray")

    assert Story.objects.count() == 1
    assert_placed()


def test_splitting_nothing_is_refused():
    with pytest.raises(ValidationError, match="at least one article"):
        split_story(story=story_with(), articles=[], title="Empty")


def test_splitting_from_a_story_deleted_meanwhile_is_refused(left):
    story = story_with(left)
    articles = [story.story_articles.get().article]
    Story.objects.filter(pk=story.pk).delete()

    with pytest.raises(ValidationError, match="deleted meanwhile"):
        split_story(story=story, articles=articles, title="Orphans")

    assert not Story.objects.exists()


# Old addresses, on the site and in the API.


def test_the_absorbed_story_page_answers_a_permanent_redirect_to_the_survivor(left):
    survivor, absorbed = story_with(left, points=["S."]), story_with(left, slug="gone")
    merge_stories(survivor=survivor, absorbed=absorbed)

    response = Client().get("/stories/gone/")

    assert response.status_code == 301
    assert response["Location"] == f"/stories/{survivor.slug}/"


def test_the_redirect_chain_is_followed_on_the_site():
    a, b, c = story_with(slug="a"), story_with(slug="b"), story_with(slug="c")
    merge_stories(survivor=b, absorbed=a)
    merge_stories(survivor=c, absorbed=b)

    response = Client().get("/stories/a/")

    assert (response.status_code, response["Location"]) == (301, "/stories/c/")


def test_an_absorbed_slug_leading_to_a_draft_is_not_found_for_readers():
    survivor = DraftStoryFactory()
    merge_stories(survivor=survivor, absorbed=story_with(slug="gone"))

    assert Client().get("/stories/gone/").status_code == 404
    assert APIClient().get("/api/v1/stories/gone/").status_code == 404


def test_an_unknown_slug_is_still_not_found():
    assert Client().get("/stories/never-was/").status_code == 404
    assert APIClient().get("/api/v1/stories/never-was/").status_code == 404


def test_the_api_answers_a_permanent_redirect_for_an_absorbed_slug():
    survivor = story_with(slug="kept")
    merge_stories(survivor=survivor, absorbed=story_with(slug="gone"))

    response = APIClient().get("/api/v1/stories/gone/")

    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/stories/kept/"
    assert APIClient().get(response["Location"]).json()["slug"] == "kept"


def test_the_anonymous_page_cache_never_serves_the_absorbed_story(
    left, django_capture_on_commit_callbacks
):
    survivor, absorbed = story_with(left), story_with(left, slug="gone", title="Gone story")
    client = Client()
    cached = client.get("/stories/gone/")
    assert cached.status_code == 200 and client.get("/stories/gone/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        merge_stories(survivor=survivor, absorbed=absorbed)

    assert client.get("/stories/gone/").status_code == 301


def test_key_points_move_rather_than_being_copied():
    survivor, absorbed = story_with(points=["S."]), story_with(points=["A."])
    moved = absorbed.key_points.get().pk

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert KeyPoint.objects.get(pk=moved).story == survivor
    assert KeyPoint.objects.count() == 2


def test_the_api_answer_cache_never_serves_the_absorbed_story(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_API_CACHE_SECONDS = 300
    bump_content_version()  # a version no other test cached under
    survivor, absorbed = story_with(slug="kept"), story_with(slug="gone")
    client = APIClient()
    assert client.get("/api/v1/stories/gone/").status_code == 200
    assert client.get("/api/v1/stories/gone/")["X-Api-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        merge_stories(survivor=survivor, absorbed=absorbed)

    assert client.get("/api/v1/stories/gone/").status_code == 301


def test_editors_are_led_through_the_api_to_a_draft_survivor(editor):
    merge_stories(survivor=DraftStoryFactory(slug="draft-kept"), absorbed=story_with(slug="gone"))

    response = token_client(editor).get("/api/v1/stories/gone/")

    assert (response.status_code, response["Location"]) == (
        301,
        "http://testserver/api/v1/stories/draft-kept/",
    )


def test_the_api_leads_an_absorbed_storys_articles_to_the_survivors_keeping_the_page(left):
    survivor = story_with(slug="kept")
    merge_stories(survivor=survivor, absorbed=story_with(left, slug="gone"))

    response = APIClient().get("/api/v1/stories/gone/articles/?page=1")

    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/stories/kept/articles/?page=1"
    followed = APIClient().get(response["Location"])
    assert followed.status_code == 200 and followed.json()["results"]


def test_the_articles_of_an_unknown_story_are_still_not_found():
    assert APIClient().get("/api/v1/stories/never-was/articles/").status_code == 404
