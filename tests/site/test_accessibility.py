"""Page structure for assistive technology: landmarks, headings, skip link, alt text.

(The browser suite runs axe-core on top of this; these checks need no browser.)
"""

import re

import pytest

from tests.factories import TopicFactory, story_with_coverage

from .html import elements, find

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    story = story_with_coverage(articles=5, sources=5)
    source = story.story_articles.first().article.source
    topic = TopicFactory()
    story.topics.add(topic)
    return [
        "/",
        f"/stories/{story.slug}/",
        f"/sources/{source.slug}/",
        "/blindspot/",
        "/search/?q=Story",
        "/premium/",
        "/how-we-rate/",
        "/topics/",
        f"/topics/{topic.slug}/",
        "/accounts/login/",
        "/accounts/signup/",
    ]


@pytest.mark.parametrize("audience", ["anonymous", "premium"])
def test_pages_have_landmarks_a_skip_link_and_a_language(client_as, urls, audience):
    client = client_as(audience)
    for url in urls:
        html = client.get(url, follow=True).content.decode()
        for landmark in ("header", "nav", "main", "footer"):
            assert find(html, landmark), (url, landmark)
        assert find(html, "main", id="main")
        assert find(html, "a", class_="skip-link", href="#main")
        assert re.search(r'<html lang="en">', html)


def test_headings_start_at_one_h1_and_never_skip_a_level(client, urls):
    for url in urls:
        levels = [int(e.tag[1]) for e in elements(client.get(url).content.decode())
                  if re.fullmatch(r"h[1-6]", e.tag)]  # fmt: skip
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)


def test_images_have_alt_text_and_form_fields_have_labels(client, urls):
    for url in urls:
        html = client.get(url).content.decode()
        parsed = elements(html)
        assert all("alt" in e.attrs for e in parsed if e.tag == "img"), url
        labelled = {e.attrs.get("for") for e in parsed if e.tag == "label"}
        fields = [e for e in parsed if e.tag in ("input", "select", "textarea")
                  and e.attrs.get("type") not in ("hidden", "submit")]  # fmt: skip
        assert all(f.attrs.get("id") in labelled for f in fields), url
