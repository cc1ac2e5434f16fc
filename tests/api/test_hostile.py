"""Hostile and malformed requests: each is a 4xx in the one error shape, never a 500."""

import pytest
from rest_framework.test import APIClient

from tests.clients import logged_in
from tests.factories import SourceFactory

from .conftest import session_client, token_client

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    """The error body of a response, checked against the shape every error shares."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert set(error) <= {"status", "code", "message", "fields"}
    assert error["message"].strip()
    return error


def test_a_page_that_is_not_a_number_is_a_400(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/stories/?page=abc"), 400)
    assert error["fields"] == {"page": ["page must be a whole number of 1 or more."]}


@pytest.mark.parametrize("value", ["0", "-3", "", "1.5", "9" * 5000])
def test_a_page_below_one_or_unparsable_is_a_400(anon, story_draft_and_inbox, value):
    assert error_of(anon.get(f"/api/v1/sources/?page={value}"), 400)["fields"].keys() == {"page"}


def test_a_page_past_the_last_is_a_404_that_says_so(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/stories/?page=999999"), 404)
    assert error["message"] == "Page 999999 is past the last page of results."


def test_a_huge_page_size_is_served_as_one_hundred(anon, db):
    SourceFactory.create_batch(105)
    data = anon.get("/api/v1/sources/?page_size=100000").json()
    assert data["count"] == 105
    assert len(data["results"]) == 100
    assert "page=2" in data["next"]


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_a_page_size_that_is_not_a_positive_number_is_a_400(anon, story_draft_and_inbox, value):
    error = error_of(anon.get(f"/api/v1/articles/?page_size={value}"), 400)
    assert "page_size" in error["fields"]


def test_unknown_filters_are_refused_with_the_allowed_names(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/stories/?sorce=left-post"), 400)
    assert error["code"] == "unknown_parameter"
    assert "sorce" in error["message"]
    for allowed in ["source", "published_after", "ordering", "page", "page_size", "search"]:
        assert allowed in error["message"]
    assert list(error["fields"]) == ["sorce"]


def test_format_override_is_not_a_parameter(anon, story_draft_and_inbox):
    assert error_of(anon.get("/api/v1/sources/?format=api"), 400)["code"] == "unknown_parameter"


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-13-01", "2026-02-30T10:00:00Z", "9999-12-31T23:59:59-05:00"]
)
def test_malformed_or_out_of_range_dates_are_a_400(anon, story_draft_and_inbox, value):
    response = anon.get("/api/v1/articles/", {"published_after": value})
    assert "published_after" in error_of(response, 400)["fields"]


def test_an_ordering_outside_the_whitelist_is_a_400(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/stories/?ordering=created_by"), 400)
    assert "ordering" in error["fields"]


def test_an_unknown_choice_is_a_400(anon, story_draft_and_inbox):
    error = error_of(anon.get("/api/v1/articles/?bias=purple"), 400)
    assert "bias" in error["fields"]


def test_a_null_character_in_a_search_is_a_400(anon, story_draft_and_inbox):
    assert "search" in error_of(anon.get("/api/v1/stories/?search=a%00b"), 400)["fields"]


def test_an_unknown_address_under_the_api_is_a_json_404(anon):
    assert error_of(anon.get("/api/v1/nothing-here/"), 404)["code"] == "not_found"


def test_a_missing_trailing_slash_is_a_404_that_names_the_right_address(
    anon, story_draft_and_inbox
):
    error = error_of(anon.post("/api/v1/stories/published-story/publish"), 404)
    assert "/api/v1/stories/published-story/publish/" in error["message"]


def test_an_unknown_story_is_a_404(anon, story_draft_and_inbox):
    assert error_of(anon.get("/api/v1/stories/no-such-story/"), 404)["code"] == "not_found"


def test_an_unsupported_method_is_a_405(editor_api, story_draft_and_inbox):
    error = error_of(editor_api.delete("/api/v1/stories/published-story/"), 405)
    assert error["code"] == "method_not_allowed"


def test_a_write_without_credentials_is_a_401_asking_for_a_token(anon, story_draft_and_inbox):
    response = anon.post("/api/v1/stories/", {"title": "Anonymous"}, format="json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_write_by_a_free_reader_is_a_403(free_reader, story_draft_and_inbox):
    client = token_client(free_reader)
    response = client.post("/api/v1/stories/published-story/unpublish/")
    error = error_of(response, 403)
    assert error["message"] == "Only editors may change stories."


def test_a_write_by_a_premium_reader_is_a_403(premium_reader, story_draft_and_inbox):
    response = token_client(premium_reader).patch(
        "/api/v1/stories/published-story/", {"title": "Mine now"}, format="json"
    )
    assert error_of(response, 403)["code"] == "permission_denied"


def test_an_invalid_token_is_a_401_even_for_reading(story_draft_and_inbox):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert error_of(client.get("/api/v1/stories/"), 401)["code"] == "authentication_failed"


def test_a_session_write_without_the_csrf_token_is_a_403(editor, story_draft_and_inbox):
    client = logged_in(editor, APIClient, enforce_csrf_checks=True)
    response = client.post("/api/v1/stories/", {"title": "No CSRF"}, format="json")
    assert "CSRF" in error_of(response, 403)["message"]


def test_a_body_that_is_not_json_is_a_400(editor_api):
    response = editor_api.post(
        "/api/v1/stories/", data="title=Plain", content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_a_body_of_another_content_type_is_a_415(editor_api, content_type):
    response = editor_api.post("/api/v1/stories/", data="title=Plain", content_type=content_type)
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_invalid_utf8_in_a_json_body_is_a_400(editor_api):
    response = editor_api.post(
        "/api/v1/stories/", data=b'{"title": "caf\xe9"}', content_type="application/json"
    )
    assert "JSON parse error" in error_of(response, 400)["message"]


def test_a_lone_surrogate_escape_in_a_json_body_is_a_400(editor_api):
    response = editor_api.post(
        "/api/v1/stories/", data=b'{"title": "\\ud800"}', content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


def test_json_nested_too_deeply_is_a_400(editor_api):
    body = b"[" * 100_000 + b"]" * 100_000
    response = editor_api.post("/api/v1/stories/", data=body, content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"


def test_a_json_body_that_is_not_an_object_is_a_400(editor_api):
    response = editor_api.post("/api/v1/stories/", data=[1, 2], format="json")
    assert "Expected a dictionary" in error_of(response, 400)["message"]


def test_a_body_over_the_upload_limit_is_a_413(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = editor_api.post("/api/v1/stories/", {"title": "x" * 2000}, format="json")
    error = error_of(response, 413)
    assert error["code"] == "too_large"
    assert "1000 bytes" in error["message"]


def test_an_id_too_large_for_the_database_is_a_400(editor_api, story_draft_and_inbox):
    response = editor_api.post(
        "/api/v1/stories/published-story/articles/attach/", {"articles": [2**70]}, format="json"
    )
    assert "articles.0" in error_of(response, 400)["fields"]


def test_editors_only_filter_is_a_401_for_anonymous_readers(anon, story_draft_and_inbox):
    assert error_of(anon.get("/api/v1/articles/?unassigned=true"), 401)


def test_editors_only_filter_is_a_403_for_signed_in_readers(premium_reader, story_draft_and_inbox):
    response = session_client(premium_reader).get("/api/v1/articles/?unassigned=true")
    assert error_of(response, 403)["message"] == "Only editors may filter by unassigned."


def test_an_address_with_a_newline_is_a_json_404_too(anon):
    assert error_of(anon.post("/api/v1/stories/a%0Ab./publish/"), 404)["code"] == "not_found"
