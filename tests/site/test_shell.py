"""The shared page shell (web/shell.py): the same bytes as rendering the layout each time."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils.safestring import mark_safe

from web import shell

pytestmark = pytest.mark.django_db

TITLES = ["Harbour bridge reopens", "<script>alert(\"x\")</script> & 'quotes'", ""]


def request_for(path):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize("path", ["/", "/blindspot/", "/topics/", "/stories/some-story/"])
@pytest.mark.parametrize("title", TITLES)
def test_the_shell_gives_what_the_layout_renders(path, title):
    request = request_for(path)
    main = mark_safe('<h1 class="x">Main &amp; more</h1>')
    expected = render_to_string("page.html", {"title": title, "main": main}, request)
    for _ in range(2):  # rendered the first time, joined the second
        assert shell.shared_page(request, layout="page.html", title=title, main=main) == expected


def test_the_current_page_is_marked_per_page_name():
    main = mark_safe("<p>x</p>")
    home = shell.shared_page(request_for("/"), layout="page.html", title="T", main=main)
    story = shell.shared_page(request_for("/stories/s/"), layout="page.html", title="T", main=main)
    assert 'href="/" aria-current="page"' in home
    assert "aria-current" not in story


def test_anonymous_pages_come_from_the_shell(client):
    shell._pieces.clear()
    assert client.get("/").status_code == 200
    assert ("page.html", "home") in shell._pieces
