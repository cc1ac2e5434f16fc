"""404 and 500 pages in the site's style; the 500 page needs no request and no database."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

from .html import find

pytestmark = pytest.mark.django_db


def test_the_404_page_is_styled_and_says_what_happened(client):
    response = client.get("/stories/no-such-story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert find(html, "link", rel="stylesheet", href="/static/css/site.css")
    assert find(html, "h1")[0].text == "Page not found"
    assert find(html, "a", href="/")


def test_the_500_page_is_styled_and_renders_without_a_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert find(html, "link", rel="stylesheet", href="/static/css/site.css")
    assert find(html, "h1")[0].text == "Something went wrong"
    assert "Log in" not in html and "csrfmiddlewaretoken" not in html


def test_the_500_template_renders_from_an_empty_context():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
