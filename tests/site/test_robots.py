"""/robots.txt: crawlers read the public pages, not the admin, the API or readers' own pages."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_to_the_public_pages():
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    for private in ("/admin/", "/api/", "/accounts/", "/for-you/", "/my-news-bias/", "/saved/"):
        assert f"Disallow: {private}" in rules
    assert "Disallow: /" not in rules  # stories, sources and topics stay open


@pytest.mark.django_db
def test_robots_txt_answers_only_reads():
    assert Client().post("/robots.txt").status_code == 405
