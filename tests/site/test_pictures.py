"""Pictures on the public pages: our own thumbnails and outlet marks, never an outlet's URL,
served by the app itself, at no extra query."""

import http.client
import threading
from datetime import timedelta
from wsgiref.simple_server import WSGIRequestHandler, make_server

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from sources.models import Article, Source
from sources.monogram import monogram
from sources.thumbnails import _store
from stories.freshness import bump_content_version
from stories.models import Story
from tests.clients import count_queries
from tests.factories import (
    ArticleFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
    story_with_coverage,
)
from tests.pictures import picture
from web import digest

pytestmark = pytest.mark.django_db

OUTLET_PICTURE = "https://cdn.outlet.example/photos/1.jpg"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(client, url: str):
    bump_content_version()
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def pictured_story(**fields):
    """A published story of three articles; the second and third have thumbnails, the second
    is the earliest of those; its outlet has a logo."""
    story = StoryFactory(**fields)
    now = timezone.now()
    logo_outlet = SourceFactory(name="Harbour Herald", logo="logos/aa/harbour.png")
    rows = [
        (SourceFactory(name="Plain Post"), "", 3),
        (logo_outlet, "thumbnails/bb/earliest.webp", 2),
        (SourceFactory(name="Quay Courier"), "thumbnails/cc/later.webp", 1),
    ]
    for source, thumbnail, hours in rows:
        article = ArticleFactory(
            source=source,
            image_url=OUTLET_PICTURE,
            thumbnail=thumbnail,
            published_at=now - timedelta(hours=hours),
        )
        StoryArticleFactory(story=story, article=article)
    return story


# -- what readers see -----------------------------------------------------------------------


def test_article_cards_show_our_thumbnail_lazily_with_its_size_reserved(client):
    story = pictured_story()
    (image,) = page(client, story.get_absolute_url()).find_class("card-thumbnail")[:1]
    assert image.get("src").startswith("/media/thumbnails/")
    assert (image.get("width"), image.get("height")) == ("320", "180")
    assert image.get("loading") == "lazy"
    assert image.get("alt") == ""  # decorative: the headline is beside it


def test_cards_without_a_thumbnail_show_no_image(client):
    story = pictured_story()
    cards = page(client, story.get_absolute_url()).find_class("article-card")
    with_image = [bool(card.find_class("card-thumbnail")) for card in cards]
    assert sorted(with_image) == [False, True, True]


def test_outlets_show_their_logo_or_else_a_monogram(client):
    story = pictured_story()
    html = page(client, story.get_absolute_url())
    logos = {img.get("src") for img in html.find_class("outlet-logo")}
    assert any(src.endswith("/media/logos/aa/harbour.png") for src in logos)
    initials, colour = monogram("Plain Post")
    marks = [span for span in html.find_class("monogram") if span.text == initials]
    assert marks and f"monogram-{colour}" in marks[0].get("class")
    assert marks[0].get("aria-hidden") == "true"


def test_a_source_page_heads_with_its_logo_or_monogram(client):
    pictured_story()
    herald = page(client, Source.objects.get(name="Harbour Herald").get_absolute_url())
    (logo,) = herald.xpath("//h1/img[contains(@class, 'outlet-mark-large')]")
    assert logo.get("src").endswith("/media/logos/aa/harbour.png")
    assert (logo.get("width"), logo.get("height"), logo.get("alt")) == ("48", "48", "")
    plain = page(client, Source.objects.get(name="Plain Post").get_absolute_url())
    (mark,) = plain.xpath("//h1/span[contains(@class, 'outlet-mark-large')]")
    assert "monogram" in mark.get("class")
    assert mark.text == "PP"


def test_the_monogram_is_the_same_on_every_machine():
    # Pinned: the colour comes from crc32 of the name, not from Python's per-process hash().
    assert monogram("Plain Post") == ("PP", 4)
    assert monogram("the daily") == ("TD", 2)
    assert monogram("Harbour Herald") == ("HH", 1)
    assert monogram("") == ("?", 0)


def test_a_teaser_shows_the_earliest_thumbnail_of_its_story_with_its_outlet(client):
    story = pictured_story(title="Harbour bridge vote")
    (teaser,) = [
        t for t in page(client, "/").find_class("story-teaser") if t.get("data-slug") == story.slug
    ]
    (image,) = teaser.find_class("teaser-thumbnail")
    assert image.get("src").endswith("/media/thumbnails/bb/earliest.webp")
    assert (image.get("width"), image.get("height"), image.get("loading")) == ("320", "180", "lazy")
    credit = teaser.find_class("picture-credit")[0]
    assert "Harbour Herald" in credit.text_content()
    assert credit.find_class("outlet-logo")


def test_a_teaser_without_thumbnails_shows_no_picture(client):
    story = story_with_coverage(articles=3)
    (teaser,) = [
        t for t in page(client, "/").find_class("story-teaser") if t.get("data-slug") == story.slug
    ]
    assert teaser.find_class("teaser-picture") == []


@pytest.mark.parametrize("url", ["/", "/blindspot/", "story", "source"])
def test_no_page_names_an_outlets_picture(client, url):
    story = pictured_story()
    Source.objects.update(bias=-3)  # everything leans left: the story is a blindspot
    story_url = story.get_absolute_url()
    source_url = Source.objects.get(name="Quay Courier").get_absolute_url()
    url = {"story": story_url, "source": source_url}.get(url, url)
    bump_content_version()
    content = client.get(url).content.decode()
    assert "teaser-thumbnail" in content or "card-thumbnail" in content
    assert "cdn.outlet.example" not in content


def test_images_may_come_only_from_the_site_itself(client):
    policy = client.get("/how-we-rate/")["Content-Security-Policy"]
    (img_src,) = [part.strip() for part in policy.split(";") if part.strip().startswith("img-src")]
    assert img_src == "img-src 'self' data:"


# -- the same queries with pictures as without ----------------------------------------------


def give_everything_pictures():
    Article.objects.update(thumbnail="thumbnails/dd/same.webp")
    Source.objects.update(logo="logos/ee/same.png")


@pytest.mark.parametrize("kind", ["home", "blindspot", "search", "story", "source"])
def test_pictures_cost_no_query_at_two_sizes(client, kind):
    def grow(n):
        stories = [
            story_with_coverage(articles=4, sources=1, title=f"Canal works {i}", slug=f"c-{n}-{i}")
            for i in range(n)
        ]
        Source.objects.update(bias=-3)
        return stories

    first = grow(3)[0]
    source = Source.objects.filter(articles__story_link__story=first).first()
    url = {
        "home": "/",
        "blindspot": "/blindspot/",
        "search": "/search/?q=canal",
        "story": first.get_absolute_url(),
        "source": source.get_absolute_url(),
    }[kind]

    def cold():
        # The updates here bypass the signals that outdate story digests (web/digest.py).
        bump_content_version()
        digest.forget_all()
        return count_queries(client, url)

    cold()  # a story's first digest is inserted, later ones updated: one query fewer
    bare = cold()
    give_everything_pictures()
    assert cold() == bare
    grow(22)
    for story in Story.objects.all():
        StoryArticleFactory(story=story, article=ArticleFactory(source=source))
    give_everything_pictures()
    assert cold() == bare


# -- the pictures themselves, from the real server ------------------------------------------


@pytest.fixture
def app_server():
    """The project's WSGI application on 127.0.0.1, as gunicorn runs it: without the test
    server's own handler for media files, which would answer in its place."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def get(address: str, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_the_app_serves_thumbnails_for_good(app_server):
    name = _store(picture("WEBP", (320, 180)))
    response, body = get(app_server, default_storage.url(name))
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/webp"
    assert "immutable" in response.getheader("Cache-Control")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert body[8:12] == b"WEBP"


@pytest.mark.parametrize(
    "path",
    [
        "/media/thumbnails/",
        "/media/missing.webp",
        "/media/../newsroom/settings.py",
        "/media/%2e%2e/manage.py",
    ],
)
def test_nothing_but_the_media_folders_files_is_served(app_server, path):
    _store(picture("WEBP", (320, 180)))
    response, body = get(app_server, path)
    assert response.status in (400, 404)
    assert b"SECRET_KEY" not in body and b"django" not in body
