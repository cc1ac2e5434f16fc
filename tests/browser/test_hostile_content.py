"""Feed text carrying script, event handlers and javascript: links stays inert in the browser."""

import pytest

from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
IMAGE = "<img src=x onerror=\"window.__pwned=1;alert('onerror')\">"
LINK = "<a href=\"javascript:window.__pwned=1;alert('link')\">details</a>"
HEADLINE = f"{SCRIPT} Council vote {IMAGE} {LINK}"
SNIPPET = f"Read more {LINK} and {IMAGE} then {SCRIPT}"

# Any attribute that runs script, and any URL attribute with the javascript: scheme.
ACTIVE_ATTRIBUTES = """
() => Array.from(document.querySelectorAll("*")).flatMap(element =>
  Array.from(element.attributes)
    .filter(a => a.name.startsWith("on")
      || (["href", "src", "action", "formaction", "xlink:href"].includes(a.name)
          && a.value.trim().toLowerCase().startsWith("javascript:")))
    .map(a => `${element.tagName} ${a.name}=${a.value}`))
"""
FOREIGN_ELEMENTS = """
() => [
  ...Array.from(document.scripts).filter(s => !s.src.includes("/static/")).map(s => s.outerHTML),
  ...Array.from(document.querySelectorAll("img")).filter(i => !i.src.includes("/static/"))
    .map(i => i.outerHTML),
]
"""


@pytest.fixture
def hostile(site):
    story = StoryFactory(title="Council vote", slug="council-vote")
    source = SourceFactory(name="Backwater Bulletin", slug="backwater-bulletin")
    StoryArticleFactory(
        story=story, article=ArticleFactory(source=source, title=HEADLINE, summary=SNIPPET)
    )
    # Links out only ever use http(s), even if a javascript: URL got into the database.
    StoryArticleFactory(
        story=story,
        article=ArticleFactory(
            source=source, url="javascript:window.__pwned=1;alert('url')", title="Plain title"
        ),
    )
    return story


@pytest.mark.parametrize("path", ["/stories/council-vote/", "/sources/backwater-bulletin/"])
def test_no_script_from_article_text_runs(open_page, hostile, path):
    page, problems = open_page()
    page.goto(path)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert problems.dialogs == []
    assert page.evaluate(ACTIVE_ATTRIBUTES) == []
    assert page.evaluate(FOREIGN_ELEMENTS) == []
    assert problems.all(page) == []  # nor did the CSP have to block anything


def test_article_markup_is_shown_as_visible_text(open_page, hostile):
    page, _ = open_page()
    page.goto("/stories/council-vote/")
    headline = page.locator(".card-title", has_text="Council vote")
    snippet = page.locator(".card-snippet", has_text="Read more")
    assert headline.is_visible() and snippet.is_visible()
    assert " ".join(headline.inner_text().split()).startswith(" ".join(HEADLINE.split()))
    assert " ".join(snippet.inner_text().split()) == " ".join(SNIPPET.split())


def test_a_javascript_url_is_not_linked(open_page, hostile):
    page, problems = open_page()
    page.goto("/stories/council-vote/")
    title = page.locator(".card-title", has_text="Plain title")
    assert title.is_visible()
    assert title.locator("a").count() == 0
    title.click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert problems.dialogs == []
