"""The self-service token page for signed-in readers."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_client(premium_reader):
    return logged_in(premium_reader)


def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/api/token/")
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "next=/api/token/" in response["Location"]


def test_a_reader_without_a_token_is_offered_one(reader_client):
    response = reader_client.get("/api/token/")
    assert response.status_code == 200
    assert b"You have no API token yet." in response.content
    assert b"Create my token" in response.content


def test_posting_creates_a_token_that_the_api_accepts(reader_client, premium_reader):
    response = reader_client.post("/api/token/", follow=True)
    token = Token.objects.get(user=premium_reader)
    assert token.key.encode() in response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/v1/stories/")
    assert response.status_code == 200
    assert response.wsgi_request.user == premium_reader


def test_posting_again_replaces_the_token_and_the_old_one_stops_working(
    reader_client, premium_reader
):
    reader_client.post("/api/token/")
    old = Token.objects.get(user=premium_reader).key
    reader_client.post("/api/token/")
    new = Token.objects.get(user=premium_reader).key
    assert new != old
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get("/api/v1/stories/").status_code == 401


def test_the_form_is_csrf_protected(premium_reader):
    client = logged_in(premium_reader, enforce_csrf_checks=True)
    assert client.post("/api/token/").status_code == 403
    assert not Token.objects.filter(user=premium_reader).exists()


def test_the_page_says_whether_the_token_unlocks_factuality(reader_client, free_reader):
    assert b"include factuality ratings" in reader_client.get("/api/token/").content
    free = logged_in(free_reader)
    assert b"leave factuality ratings out" in free.get("/api/token/").content


def test_the_page_is_never_cached(reader_client):
    assert "no-cache" in reader_client.get("/api/token/")["Cache-Control"]
