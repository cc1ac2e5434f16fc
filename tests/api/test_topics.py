"""Topics in the API: the topics list and detail, stories' topics, and ?topic= on stories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.clients import count_queries
from tests.factories import DraftStoryFactory, StoryFactory, TopicFactory, story_with_coverage

from .conftest import session_client, token_client
from .openapi import fetch_schema, response_validator

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script> & <b>Bold</b>'


@pytest.fixture
def energy():
    return TopicFactory(name="Energy", slug="energy", description="Grids, fuels and prices.")


@pytest.fixture
def tagged(energy):
    """Two published stories about energy (the newer first), a draft, and one on another topic."""
    now = timezone.now()
    older = StoryFactory(slug="older", published_at=now - timedelta(hours=2))
    newer = StoryFactory(slug="newer", published_at=now - timedelta(hours=1))
    draft = DraftStoryFactory(slug="draft")
    energy.stories.add(older, newer, draft)
    StoryFactory(slug="labor-story").topics.add(TopicFactory(name="Labor", slug="labor"))
    return {"older": older, "newer": newer, "draft": draft}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


# --- /api/v1/topics/ --------------------------------------------------------------------


def test_topics_are_listed_by_name_with_counts_of_published_stories(anon, tagged):
    response = anon.get("/api/v1/topics/")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert list(rows) == ["energy", "labor"]
    energy = rows["energy"]
    assert energy["name"] == "Energy" and energy["description"] == "Grids, fuels and prices."
    assert energy["story_count"] == 2  # the draft is not counted
    assert energy["url"].endswith("/api/v1/topics/energy/")
    assert energy["page_url"].endswith("/topics/energy/")
    assert energy["stories_url"].endswith("/api/v1/stories/?topic=energy")


def test_a_topic_is_read_by_its_slug(anon, energy):
    response = anon.get("/api/v1/topics/energy/")
    assert response.status_code == 200
    assert response.json()["name"] == "Energy" and response.json()["story_count"] == 0


def test_an_unknown_topic_is_a_404_in_the_error_shape(anon):
    response = anon.get("/api/v1/topics/no-such-topic/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_topics_take_no_filters(anon, energy):
    response = anon.get("/api/v1/topics/?search=energy")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_parameter"


def test_nobody_writes_topics_through_the_api(editor_api):
    response = editor_api.post("/api/v1/topics/", {"name": "Sport"}, format="json")
    assert response.status_code == 405


def test_a_topic_name_with_markup_comes_back_verbatim_as_json(anon):
    TopicFactory(name=MARKUP, slug="markup")
    response = anon.get("/api/v1/topics/markup/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"] == MARKUP


# --- stories' topics ----------------------------------------------------------------------


def test_stories_name_their_topics_by_name(anon, energy):
    story = story_with_coverage(articles=1, slug="tagged")
    story.topics.add(energy, TopicFactory(name="Courts", slug="courts"))
    expected = [{"slug": "courts", "name": "Courts"}, {"slug": "energy", "name": "Energy"}]
    (listed,) = anon.get("/api/v1/stories/").json()["results"]
    assert listed["topics"] == expected
    assert anon.get("/api/v1/stories/tagged/").json()["topics"] == expected


def test_a_story_without_topics_has_an_empty_list(anon):
    story_with_coverage(articles=1, slug="untagged")
    assert anon.get("/api/v1/stories/untagged/").json()["topics"] == []


# --- ?topic= ------------------------------------------------------------------------------


def test_stories_filter_by_topic(anon, tagged):
    assert slugs(anon.get("/api/v1/stories/?topic=energy")) == ["newer", "older"]


def test_editors_also_see_drafts_of_a_topic(editor_api, tagged):
    # Where a draft (no publication date) sorts depends on the database's NULL ordering.
    listed = slugs(editor_api.get("/api/v1/stories/?topic=energy"))
    assert sorted(listed) == ["draft", "newer", "older"]


def test_an_unknown_topic_slug_gives_an_empty_list_as_an_unknown_source_does(anon, tagged):
    assert slugs(anon.get("/api/v1/stories/?topic=no-such-topic")) == []
    assert slugs(anon.get("/api/v1/stories/?source=no-such-source")) == []


@pytest.mark.parametrize("query", ["topic=", "topic=%20", "topic=energy&topic=labor"])
def test_an_empty_or_repeated_topic_is_a_400(anon, tagged, query):
    response = anon.get(f"/api/v1/stories/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["topic"]


def test_a_topic_slug_longer_than_any_is_a_400(anon):
    assert anon.get(f"/api/v1/stories/?topic={'a' * 201}").status_code == 400


def test_the_topic_filter_combines_with_the_others(anon, tagged):
    after = (timezone.now() - timedelta(minutes=90)).isoformat().replace("+00:00", "Z")
    response = anon.get("/api/v1/stories/", {"topic": "energy", "published_after": after})
    assert slugs(response) == ["newer"]


def test_the_premium_rule_holds_on_a_topics_stories(anon, premium_reader, energy):
    story_with_coverage(articles=2, slug="tagged").topics.add(energy)
    (free,) = anon.get("/api/v1/stories/?topic=energy").json()["results"]
    assert "factuality" not in free["coverage"]
    (premium,) = (
        session_client(premium_reader).get("/api/v1/stories/?topic=energy").json()["results"]
    )
    assert "factuality" in premium["coverage"]
    assert "factuality" not in str(anon.get("/api/v1/topics/").json())


# --- the schema -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/v1/topics/", "/api/v1/topics/"),
        ("/api/v1/topics/{slug}/", "/api/v1/topics/energy/"),
        ("/api/v1/stories/", "/api/v1/stories/?topic=energy"),
        ("/api/v1/stories/{slug}/", "/api/v1/stories/newer/"),
    ],
)
def test_topic_responses_validate_against_the_schema(anon, tagged, path, url):
    response = anon.get(url)
    response_validator(fetch_schema(), path, "get", 200).validate(response.json())


def test_the_schema_documents_the_topic_filter_strictly(anon):
    schema = fetch_schema()
    (parameter,) = [
        p for p in schema["paths"]["/api/v1/stories/"]["get"]["parameters"] if p["name"] == "topic"
    ]
    assert parameter["schema"]["maxLength"] == 200 and "pattern" in parameter["schema"]
    story = schema["components"]["schemas"]["Story"]
    assert "topics" in story["required"]


# --- queries ------------------------------------------------------------------------------


def build(size: int) -> str:
    """size topics, each with size published stories of a few articles; the first's slug."""
    topics = TopicFactory.create_batch(size)
    for topic in topics:
        for _ in range(size):
            story_with_coverage(articles=2, sources=2).topics.add(topic, TopicFactory())
    return topics[0].slug


@pytest.mark.parametrize("size", [2, 7])
def test_the_topic_list_runs_a_fixed_number_of_queries(anon, size):
    slug = build(size)
    assert count_queries(anon, "/api/v1/topics/") == 2  # count, page with story counts
    assert count_queries(anon, f"/api/v1/topics/{slug}/") == 1


@pytest.mark.parametrize("size", [2, 7])
def test_stories_of_a_topic_run_a_fixed_number_of_queries(anon, premium_reader, editor, size):
    url = f"/api/v1/stories/?topic={build(size)}"
    assert count_queries(anon, url) == 4  # count, page, key points, topics
    # session, user, subscription; and the page's factuality mix
    assert count_queries(session_client(premium_reader), url) == 4 + 3 + 1
    # token and user, user and group permissions; and the factuality mix
    assert count_queries(token_client(editor), url) == 4 + 3 + 1
