"""What readers get: published stories only, filters, search, ordering and pages."""

from datetime import UTC, datetime

import pytest

from sources.ratings import Bias, OwnerCategory
from tests.factories import (
    ArticleFactory,
    OwnerFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

from .conftest import session_client

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_the_api_root_lists_the_four_resources(anon):
    assert set(anon.get("/api/v1/").json()) == {"stories", "articles", "sources", "topics"}


def test_story_list_shows_only_published_stories(anon, story_draft_and_inbox):
    StoryFactory(slug="scheduled", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    assert slugs(anon.get("/api/v1/stories/")) == ["published-story"]


@pytest.mark.parametrize("reader", ["free_reader", "premium_reader"])
def test_a_draft_is_a_404_for_readers(request, story_draft_and_inbox, reader):
    client = session_client(request.getfixturevalue(reader))
    assert client.get("/api/v1/stories/draft-story/").status_code == 404
    assert client.get("/api/v1/stories/draft-story/articles/").status_code == 404


def test_editors_see_drafts_in_lists_and_details(editor_api, story_draft_and_inbox):
    assert set(slugs(editor_api.get("/api/v1/stories/"))) == {"published-story", "draft-story"}
    assert editor_api.get("/api/v1/stories/draft-story/").json()["status"] == "draft"
    assert slugs(editor_api.get("/api/v1/stories/?status=draft")) == ["draft-story"]


def test_an_article_in_a_draft_shows_no_story_to_readers(anon, editor_api, story_draft_and_inbox):
    url = f"/api/v1/articles/{story_draft_and_inbox['in_draft'].pk}/"
    assert anon.get(url).json()["story"] is None
    assert editor_api.get(url).json()["story"]["slug"] == "draft-story"


def test_filtering_articles_by_a_drafts_slug_finds_nothing_for_readers(
    anon, editor_api, story_draft_and_inbox
):
    assert titles(anon.get("/api/v1/articles/?story=draft-story")) == []
    assert titles(editor_api.get("/api/v1/articles/?story=draft-story")) == ["In a draft"]


def test_story_detail_carries_key_points_and_coverage(anon, story_draft_and_inbox):
    data = anon.get("/api/v1/stories/published-story/").json()
    assert len(data["key_points"]) == 2
    coverage = data["coverage"]
    assert (coverage["article_count"], coverage["source_count"]) == (4, 4)
    assert coverage["bias"]["percentages"] == {"left": 34, "center": 33, "right": 33}
    assert coverage["bias"]["unrated"] == 1
    assert coverage["first_reported"]["source"]["slug"] in {
        outlet.slug for outlet in story_draft_and_inbox["outlets"].values()
    }
    assert coverage["last_updated"]


def test_the_story_articles_list_has_each_article_with_its_outlet(anon, story_draft_and_inbox):
    data = anon.get("/api/v1/stories/published-story/articles/").json()
    assert data["count"] == 4
    assert {item["source"]["bias"]["bucket"] for item in data["results"]} == {
        "left", "center", "right", "unrated",
    }  # fmt: skip


def test_stories_filter_by_published_date_range(anon, db):
    StoryFactory(slug="january", published_at=datetime(2026, 1, 15, tzinfo=UTC))
    StoryFactory(slug="february", published_at=datetime(2026, 2, 15, tzinfo=UTC))
    url = "/api/v1/stories/?published_after=2026-02-01&published_before=2026-03-01T00:00:00%2B00:00"
    assert slugs(anon.get(url)) == ["february"]


def test_stories_filter_by_covering_source(anon, story_draft_and_inbox):
    other = StoryFactory(slug="other")
    StoryArticleFactory(story=other, article=ArticleFactory())
    assert slugs(anon.get("/api/v1/stories/?source=right-times")) == ["published-story"]
    assert slugs(anon.get("/api/v1/stories/?source=nobody")) == []


def test_stories_search_titles(anon, story_draft_and_inbox):
    StoryFactory(slug="rates", title="Interest rates rise")
    assert slugs(anon.get("/api/v1/stories/?search=BRIDGE")) == ["published-story"]


def test_stories_order_by_article_count(anon, story_draft_and_inbox):
    StoryFactory(slug="small")
    assert slugs(anon.get("/api/v1/stories/?ordering=-article_count")) == [
        "published-story", "small",
    ]  # fmt: skip
    assert slugs(anon.get("/api/v1/stories/?ordering=article_count")) == [
        "small", "published-story",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [("left", {"left-post"}), ("center", {"center-daily"}), ("right", {"right-times"}),
     ("unrated", {"unrated-news"})],
)  # fmt: skip
def test_articles_filter_by_bias_bucket_of_their_outlet(
    anon, story_draft_and_inbox, bucket, expected
):
    results = anon.get(f"/api/v1/articles/?bias={bucket}").json()["results"]
    assert {item["source"]["slug"] for item in results} == expected


def test_articles_filter_by_source_story_and_date(anon, story_draft_and_inbox):
    ArticleFactory(source=story_draft_and_inbox["outlets"]["left"], title="Old",
                   published_at=datetime(2020, 5, 1, tzinfo=UTC))  # fmt: skip
    assert titles(anon.get("/api/v1/articles/?source=left-post&published_before=2021-01-01")) == [
        "Old"
    ]
    assert anon.get("/api/v1/articles/?story=published-story").json()["count"] == 4


def test_editors_list_the_articles_in_no_story(editor_api, story_draft_and_inbox):
    assert titles(editor_api.get("/api/v1/articles/?unassigned=true")) == ["Waiting in the inbox"]
    assert editor_api.get("/api/v1/articles/?unassigned=false").json()["count"] == 5


def test_sources_filter_by_bias_owner_category_and_country(anon, db):
    SourceFactory(slug="a", bias=Bias.LEAN_LEFT, country="GB",
                  owner=OwnerFactory(category=OwnerCategory.NONPROFIT))  # fmt: skip
    SourceFactory(slug="b", bias=Bias.FAR_RIGHT, country="US")
    SourceFactory(slug="c", bias=None, country="US")
    assert slugs(anon.get("/api/v1/sources/?bias=-1")) == ["a"]
    assert slugs(anon.get("/api/v1/sources/?bias_bucket=right")) == ["b"]
    assert slugs(anon.get("/api/v1/sources/?bias_bucket=unrated")) == ["c"]
    assert slugs(anon.get("/api/v1/sources/?owner_category=nonprofit")) == ["a"]
    assert slugs(anon.get("/api/v1/sources/?country=gb")) == ["a"]


def test_source_detail_has_owner_bias_and_homepage(anon, story_draft_and_inbox):
    data = anon.get("/api/v1/sources/left-post/").json()
    assert data["bias"] == {
        "value": -2, "label": "Left", "bucket": "left",
        "rated_by": "Newsroom ratings desk", "rated_at": None,
    }  # fmt: skip
    assert data["owner"]["category"] == "independent"
    assert data["homepage"].startswith("https://")


def test_pages_link_to_each_other(anon, db):
    SourceFactory.create_batch(5)
    first = anon.get("/api/v1/sources/?page_size=2").json()
    assert first["count"] == 5
    assert first["previous"] is None
    second = anon.get(first["next"]).json()
    assert second["previous"].endswith("page_size=2")
    third = anon.get(second["next"]).json()
    assert third["next"] is None
    seen = [item["slug"] for page in (first, second, third) for item in page["results"]]
    assert len(set(seen)) == 5


def test_default_page_size_is_twenty(anon, db):
    SourceFactory.create_batch(21)
    assert len(anon.get("/api/v1/sources/").json()["results"]) == 20


def test_responses_vary_on_credentials(anon, story_draft_and_inbox):
    vary = anon.get("/api/v1/stories/")["Vary"]
    assert "Authorization" in vary
    assert "Cookie" in vary
