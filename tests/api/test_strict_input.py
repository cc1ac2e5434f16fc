"""The API reads its input as strictly as its schema describes it, checked with schemathesis.

Empty and repeated query parameters, over-long text and non-string body text are 400s in the
one error shape; what the schema says about them matches.
"""

import re

import pytest

from stories.models import Story

from .openapi import fetch_schema
from .test_hostile import error_of

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/stories/": ["published_before", "ordering", "search", "source", "status"],
    "/api/v1/articles/": ["published_after", "ordering", "bias", "search", "story", "source"],
    "/api/v1/sources/": ["ordering", "bias", "owner_category", "country", "search"],
    "/api/v1/stories/published-story/articles/": ["page", "page_size"],
}
EVERY_LIST_AND_PARAMETER = [
    (path, name) for path, names in LISTS.items() for name in [*names, "page", "page_size"]
]


@pytest.mark.parametrize(("path", "name"), EVERY_LIST_AND_PARAMETER)
def test_an_empty_parameter_is_a_400_that_names_it(anon, story_draft_and_inbox, path, name):
    error = error_of(anon.get(f"{path}?{name}="), 400)
    assert error["fields"] == {name: ["Empty; leave it out instead."]}


@pytest.mark.parametrize("value", ["title,", ",-title", "title,,published_at"])
def test_an_ordering_with_an_empty_field_is_a_400(anon, story_draft_and_inbox, value):
    error = error_of(anon.get(f"/api/v1/stories/?ordering={value}"), 400)
    assert list(error["fields"]) == ["ordering"]


@pytest.mark.parametrize(("path", "name"), EVERY_LIST_AND_PARAMETER)
def test_a_repeated_parameter_is_a_400_that_names_it(anon, story_draft_and_inbox, path, name):
    error = error_of(anon.get(f"{path}?{name}=1&{name}=2"), 400)
    assert error["fields"] == {name: ["Given more than once."]}


def test_an_unknown_parameter_is_named_before_an_empty_one(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/stories/?sorce="), 400)
    assert error["code"] == "unknown_parameter"


@pytest.mark.parametrize("path", ["/api/v1/stories/", "/api/v1/sources/", "/api/v1/articles/"])
def test_a_search_longer_than_a_slug_is_a_400(anon, story_draft_and_inbox, path):
    assert error_of(anon.get(f"{path}?search={'a' * 201}"), 400)["fields"].keys() == {"search"}
    assert anon.get(f"{path}?search={'a' * 200}").status_code == 200


def test_the_schema_describes_text_parameters_as_the_api_reads_them():
    parameters = {
        p["name"]: p["schema"]
        for p in fetch_schema()["paths"]["/api/v1/articles/"]["get"]["parameters"]
    }
    search = parameters["search"]
    assert search["maxLength"] == 200
    pattern = re.compile(search["pattern"])
    assert pattern.search("bridge")
    assert not pattern.search("")
    assert not pattern.search("  ")
    assert not pattern.search("a\x00b")
    assert parameters["ordering"]["minItems"] == 1


def test_every_list_documents_its_400_with_empty_and_repeated_parameters_and_nul():
    for path in LISTS:
        schema_path = path.replace("published-story", "{slug}")
        description = fetch_schema()["paths"][schema_path]["get"]["responses"]["400"]["description"]
        assert "given twice or empty" in description
        assert "NUL" in description


def test_the_server_answered_414_is_documented_as_html_on_every_operation():
    for operations in fetch_schema()["paths"].values():
        for operation in operations.values():
            assert list(operation["responses"]["414"]["content"]) == ["text/html"]


@pytest.mark.parametrize("key_points", [[0], ["Fine.", 3.5], [-1]])
def test_a_key_point_that_is_not_a_string_is_a_400(editor_api, story_draft_and_inbox, key_points):
    story = Story.objects.get(slug="published-story")
    before = list(story.key_points.values_list("text", flat=True))
    response = editor_api.patch(
        "/api/v1/stories/published-story/", {"key_points": key_points}, format="json"
    )
    error = error_of(response, 400)
    assert all(name.startswith("key_points.") for name in error["fields"])
    assert list(story.key_points.values_list("text", flat=True)) == before


@pytest.mark.parametrize("field", ["title", "slug"])
def test_a_title_or_slug_that_is_not_a_string_is_a_400(editor_api, story_draft_and_inbox, field):
    response = editor_api.patch("/api/v1/stories/published-story/", {field: 42}, format="json")
    assert error_of(response, 400)["fields"].keys() == {field}
