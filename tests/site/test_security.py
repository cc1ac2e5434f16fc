"""Security: headers, no inline code, hostile feed content rendered inert, CSRF on forms."""

import pytest
from django.test import Client

from tests.factories import (
    ArticleFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    story_with_coverage,
)

from .html import elements, find

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<script>alert("title")</script> Breaking'
HOSTILE_SUMMARY = (
    '<img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">click me</a>'
    " and <script>document.cookie</script>"
)


@pytest.fixture
def hostile_story():
    story = StoryFactory(title="<b>Bold</b> claims", slug="hostile")
    source = SourceFactory(name='Evil "Outlet" <i>', slug="evil-outlet")
    StoryArticleFactory(
        story=story,
        article=ArticleFactory(source=source, title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY),
    )
    # A feed could only get here by bypassing validation; the page must still not link it.
    StoryArticleFactory(
        story=story,
        article=ArticleFactory(source=source, url="javascript:alert(3)", title="Sneaky link"),
    )
    return story


def page_urls(story):
    return [
        "/",
        f"/stories/{story.slug}/",
        f"/stories/{story.slug}/?bias=center",
        "/sources/evil-outlet/",
        "/blindspot/",
        "/search/?q=claims",
        "/premium/",
        "/how-we-rate/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
    ]


def active_content(html: str) -> list[str]:
    """Anything in the page that could run script or style inline."""
    found = []
    for element in elements(html):
        if element.tag == "script" and not element.attrs.get("src", "").startswith("/static/"):
            found.append(f"script {element.attrs}")
        if element.tag == "style":
            found.append("style element")
        for name, value in element.attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{element.tag} {name}")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"{element.tag} {name}={value}")
    return found


@pytest.mark.parametrize("audience", ["anonymous", "premium"])
def test_hostile_article_text_renders_as_inert_text(client_as, hostile_story, audience):
    html = client_as(audience).get(f"/stories/{hostile_story.slug}/").content.decode()
    assert active_content(html) == []
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Breaking" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;click me&lt;/a&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in html


def test_a_javascript_article_url_is_not_linked(client, hostile_story):
    html = client.get(f"/stories/{hostile_story.slug}/").content.decode()
    assert [h for h in find(html, "h3", class_="card-title") if "Sneaky link" in h.text]
    assert not [a for a in find(html, "a") if "Sneaky link" in a.text]
    assert "javascript:alert(3)" not in html


def test_hostile_text_is_inert_on_source_and_search_pages(client, hostile_story):
    for url in ("/sources/evil-outlet/", "/search/?q=Breaking"):
        html = client.get(url).content.decode()
        assert active_content(html) == []
        assert "<script>alert" not in html


def test_no_page_has_inline_script_style_or_event_handlers(client, hostile_story):
    story_with_coverage(articles=5)
    for url in page_urls(hostile_story):
        response = client.get(url)
        assert response.status_code == 200, url
        assert active_content(response.content.decode()) == [], url


def test_scripts_and_styles_come_from_the_site_itself(client):
    html = client.get("/").content.decode()
    assets = [e.attrs["src"] for e in find(html, "script")]
    assets += [e.attrs["href"] for e in find(html, "link", rel="stylesheet")]
    assert assets and all(url.startswith("/static/") for url in assets)


def test_the_stylesheet_and_scripts_are_served(client):
    html = client.get("/").content.decode()
    for url in [e.attrs["src"] for e in find(html, "script")] + ["/static/css/site.css"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.strip(), url


def test_security_headers_are_set(client, hostile_story):
    response = client.get(f"/stories/{hostile_story.slug}/")
    csp = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/", "/search/?q=x", "/accounts/login/", "/nope/"])
def test_every_kind_of_page_sends_the_headers(client, url):
    response = client.get(url)
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def csrf_forms(html):
    """POST forms, and whether each carries a CSRF token."""
    parsed = elements(html)
    return [
        any(e.attrs.get("name") == "csrfmiddlewaretoken" and form in e.ancestors for e in parsed)
        for form in parsed
        if form.tag == "form" and form.attrs.get("method", "").lower() == "post"
    ]


@pytest.mark.parametrize(
    ("audience", "url"),
    [
        ("anonymous", "/accounts/signup/"),
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/accounts/password_reset/"),
        ("free", "/accounts/password_change/"),
        ("free", "/"),  # the log-out form in the header
    ],
)
def test_every_post_form_carries_a_csrf_token(client_as, audience, url):
    forms = csrf_forms(client_as(audience).get(url).content.decode())
    assert forms and all(forms)


@pytest.mark.parametrize(
    "url",
    ["/accounts/signup/", "/accounts/login/", "/accounts/password_reset/", "/accounts/logout/"],
)
def test_posts_without_a_csrf_token_are_refused(db, url):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, {"username": "x", "email": "x@example.org"}).status_code == 403


def test_pages_refuse_posts(client):
    assert client.post("/").status_code == 405
