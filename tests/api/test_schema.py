"""The OpenAPI schema: valid, accurate for real responses, honest about premium fields."""

import json

import pytest
from django.core.management import call_command

from .conftest import session_client, token_client
from .openapi import fetch_schema, response_validator

pytestmark = pytest.mark.django_db

PREMIUM_COMPONENTS = ["Outlet", "Source", "Coverage", "CoverageSummary"]


@pytest.fixture
def schema(db):
    return fetch_schema()


def test_schema_generation_has_no_warnings_and_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


def test_schema_is_served_as_yaml_by_default(anon):
    response = anon.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.0.3")


def test_every_resource_is_documented(schema):
    assert set(schema["paths"]) == {
        "/api/v1/stories/",
        "/api/v1/stories/{slug}/",
        "/api/v1/stories/{slug}/articles/",
        "/api/v1/stories/{slug}/articles/attach/",
        "/api/v1/stories/{slug}/articles/detach/",
        "/api/v1/stories/{slug}/publish/",
        "/api/v1/stories/{slug}/unpublish/",
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/sources/",
        "/api/v1/sources/{slug}/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
    }


@pytest.mark.parametrize("component", PREMIUM_COMPONENTS)
def test_premium_fields_are_optional_and_say_why(schema, component):
    definition = schema["components"]["schemas"][component]
    assert "factuality" in definition["properties"]
    assert "factuality" not in definition["required"]
    assert "Premium" in definition["properties"]["factuality"]["description"]


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "429"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if code == "414":  # the web server's own page, before the application
                    assert list(response["content"]) == ["text/html"], (method, path)
                elif code.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)


def test_writes_document_the_body_errors(schema):
    create = schema["paths"]["/api/v1/stories/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "429"} <= set(create)


def test_reading_needs_no_credentials_in_the_schema(schema):
    for operations in schema["paths"].values():
        if "get" in operations:
            assert {} in operations["get"]["security"]


def test_no_example_carries_factuality(schema):
    examples = [
        example
        for operations in schema["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
        for example in response.get("content", {})
        .get("application/json", {})
        .get("examples", {})
        .values()
    ]
    assert examples
    assert "factuality" not in json.dumps(examples)


def test_the_story_example_matches_the_schema(schema):
    example = schema["paths"]["/api/v1/stories/{slug}/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]
    validator = response_validator(schema, "/api/v1/stories/{slug}/", "get", 200)
    for named in example.values():
        validator.validate(named["value"])


def test_the_validator_rejects_what_the_schema_does_not_allow(schema):
    validator = response_validator(schema, "/api/v1/stories/{slug}/", "get", 200)
    assert not validator.is_valid({"slug": "x", "title": "No coverage"})


READS = [
    ("/api/v1/stories/", "/api/v1/stories/"),
    ("/api/v1/stories/{slug}/", "/api/v1/stories/published-story/"),
    ("/api/v1/stories/{slug}/articles/", "/api/v1/stories/published-story/articles/"),
    ("/api/v1/articles/", "/api/v1/articles/"),
    ("/api/v1/sources/", "/api/v1/sources/"),
    ("/api/v1/sources/{slug}/", "/api/v1/sources/left-post/"),
]


@pytest.mark.parametrize(("path", "url"), READS)
@pytest.mark.parametrize("reader", ["anonymous", "premium_reader", "editor"])
def test_real_responses_validate_against_the_schema(
    request, schema, story_draft_and_inbox, path, url, reader
):
    if reader == "anonymous":
        client = request.getfixturevalue("anon")
    else:
        client = session_client(request.getfixturevalue(reader))
    response = client.get(url)
    response_validator(schema, path, "get", response.status_code).validate(response.json())


def test_error_responses_validate_against_the_schema(
    schema, story_draft_and_inbox, anon, free_reader
):
    cases = [
        (anon.get("/api/v1/stories/?page=abc"), "/api/v1/stories/", "get"),
        (anon.get("/api/v1/stories/nope/"), "/api/v1/stories/{slug}/", "get"),
        (anon.post("/api/v1/stories/", {}, format="json"), "/api/v1/stories/", "post"),
        (
            token_client(free_reader).post("/api/v1/stories/published-story/publish/"),
            "/api/v1/stories/{slug}/publish/",
            "post",
        ),
    ]
    for response, path, method in cases:
        assert response.status_code in (400, 401, 403, 404)
        response_validator(schema, path, method, response.status_code).validate(response.json())


def test_write_responses_validate_against_the_schema(schema, story_draft_and_inbox, editor_api):
    response = editor_api.post("/api/v1/stories/", {"title": "A new one"}, format="json")
    response_validator(schema, "/api/v1/stories/", "post", 201).validate(response.json())
