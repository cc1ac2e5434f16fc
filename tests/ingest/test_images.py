"""Articles' pictures become our own thumbnails, fetched over real HTTP on 127.0.0.1; hostile
pictures are refused with a reason on the article, which stays stored."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from sources import fetch, tasks, thumbnails
from sources.models import Article
from tests.factories import ArticleFactory
from tests.httpserver import LoopbackServer
from tests.pictures import (
    BLUE,
    HTML_PAGE,
    RED,
    SVG_WITH_SCRIPT,
    animated_gif,
    jpeg_with_exif,
    jpeg_with_trailing_html,
    picture,
    png_claiming,
)

from .conftest import RSS_TYPE
from .documents import item, rss

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Thumbnails go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def article_with_picture(http_server):
    """article_with_picture(body, content_type): an article whose picture the server serves."""

    def make(body: bytes, content_type: str = "image/jpeg", path: str = "/picture"):
        http_server.reply(path, body=body, headers={"Content-Type": content_type})
        return ArticleFactory(image_url=http_server.url(path))

    return make


def make_thumbnail(article) -> Article:
    """Run the task as a worker would, in this process; the article as it is afterwards."""
    tasks.make_thumbnails.apply(args=[[article.pk]]).get()
    return Article.objects.get(pk=article.pk)


def stored_picture(article) -> Image.Image:
    with default_storage.open(article.thumbnail.name) as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_refused(article, reason: str):
    assert article.thumbnail.name == ""
    assert reason in article.thumbnail_error
    assert not default_storage.exists("thumbnails")


# -- pictures that work ---------------------------------------------------------------------


def test_a_jpeg_becomes_a_small_webp_of_fixed_size(article_with_picture):
    article = make_thumbnail(article_with_picture(picture("JPEG", (1200, 500))))
    thumbnail = stored_picture(article)
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (320, 180))
    assert article.thumbnail_error == ""
    assert article.thumbnail.name.startswith("thumbnails/")


def test_a_wide_picture_keeps_its_centre(article_with_picture):
    wide = Image.new("RGB", (1600, 400), BLUE)
    wide.paste(RED, (600, 0, 1000, 400))  # the middle quarter is red
    body = io.BytesIO()
    wide.save(body, "PNG")
    thumbnail = stored_picture(make_thumbnail(article_with_picture(body.getvalue(), "image/png")))
    assert thumbnail.convert("RGB").getpixel((160, 90))[0] > 180  # red in the middle
    assert thumbnail.convert("RGB").getpixel((5, 90))[2] > 180  # blue at the edges


def test_metadata_is_stripped(article_with_picture):
    article = make_thumbnail(article_with_picture(jpeg_with_exif()))
    thumbnail = stored_picture(article)
    assert dict(thumbnail.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp"} & set(thumbnail.info)


def test_an_animated_gif_gives_its_first_frame(article_with_picture):
    article = make_thumbnail(article_with_picture(animated_gif(), "image/gif"))
    thumbnail = stored_picture(article)
    assert getattr(thumbnail, "n_frames", 1) == 1
    red, green, blue = thumbnail.convert("RGB").getpixel((160, 90))
    assert red > 180 and blue < 80  # the first frame is red, the second blue


def test_png_and_webp_are_accepted(article_with_picture):
    for fmt, kind in (("PNG", "image/png"), ("WEBP", "image/webp")):
        article = make_thumbnail(article_with_picture(picture(fmt), kind, path=f"/{fmt}"))
        assert stored_picture(article).size == (320, 180)


def test_a_jpeg_with_trailing_html_is_stored_as_a_clean_re_encode(article_with_picture):
    article = make_thumbnail(article_with_picture(jpeg_with_trailing_html()))
    with default_storage.open(article.thumbnail.name) as file:
        data = file.read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert b"<script" not in data and b"<html" not in data


def test_equal_pictures_share_one_file(article_with_picture):
    body = picture("PNG", colour=RED)
    first = make_thumbnail(article_with_picture(body, "image/png", path="/one"))
    second = make_thumbnail(article_with_picture(body, "image/png", path="/two"))
    assert first.thumbnail.name == second.thumbnail.name


# -- hostile or unusable pictures -----------------------------------------------------------


def test_bytes_over_the_cap_are_refused_while_streaming(settings, http_server):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 100_000
    sent = []

    def endless(handler):  # no Content-Length: only the streaming cap can stop it
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.end_headers()
        try:
            for _ in range(10_000):  # 640 MB if nobody stopped reading
                handler.wfile.write(b"\xff" * 65536)
                sent.append(65536)
        except OSError:
            pass
        handler.close_connection = True

    http_server.route("/huge.jpg", endless)
    article = make_thumbnail(ArticleFactory(image_url=http_server.url("/huge.jpg")))
    assert_refused(article, "larger than the limit of 100,000 bytes")
    time.sleep(0.2)
    assert sum(sent) < 50 * 1024 * 1024


def test_a_declared_length_over_the_cap_is_refused_before_reading(settings, article_with_picture):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    article = make_thumbnail(article_with_picture(picture("PNG", (2000, 2000), quality=100)))
    assert_refused(article, "larger than the limit")


def test_pixel_dimensions_over_the_limit_are_refused(settings, article_with_picture):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000
    article = make_thumbnail(article_with_picture(picture("PNG", (1200, 1000)), "image/png"))
    assert_refused(article, "too many pixels (1200×1000)")


def test_a_decompression_bomb_is_refused_without_decoding(article_with_picture):
    bomb = png_claiming(50_000, 50_000)
    assert len(bomb) < 2_000
    started = time.monotonic()
    article = make_thumbnail(article_with_picture(bomb, "image/png"))
    assert_refused(article, "too many pixels")
    assert time.monotonic() - started < 2  # 2.5 billion pixels were never decoded


def test_a_truncated_picture_is_refused(article_with_picture):
    whole = picture("JPEG", (800, 600), quality=95)
    article = make_thumbnail(article_with_picture(whole[: len(whole) // 2]))
    assert_refused(article, "truncated or damaged")


def test_an_html_page_is_not_a_picture(article_with_picture):
    article = make_thumbnail(article_with_picture(HTML_PAGE, "image/jpeg"))
    assert_refused(article, "not a JPEG, PNG, GIF or WebP image")


def test_svg_with_a_script_is_refused(article_with_picture):
    article = make_thumbnail(article_with_picture(SVG_WITH_SCRIPT, "image/svg+xml"))
    assert_refused(article, "not a JPEG, PNG, GIF or WebP image")


def test_a_tracking_pixel_is_refused(article_with_picture):
    article = make_thumbnail(article_with_picture(picture("GIF", (1, 1)), "image/gif"))
    assert_refused(article, "too small to show")


def test_a_redirect_to_a_private_address_is_refused(private_feeds_refused, monkeypatch, canary):
    # 127.0.0.2 plays a public image server; every other address is private, as it is.
    monkeypatch.setattr(fetch, "is_public_address", lambda ip: str(ip) == "127.0.0.2")
    with LoopbackServer("127.0.0.2") as public:
        target = f"http://127.0.0.1:{canary.port}/latest/meta-data/"
        public.reply("/picture.jpg", 302, headers={"Location": target})
        article = make_thumbnail(ArticleFactory(image_url=public.url("/picture.jpg")))
        assert public.hits("/picture.jpg") == 1
    assert_refused(article, "private or local network address")
    assert canary.count() == 0


def test_a_server_error_is_retried_a_few_times_then_recorded(http_server):
    http_server.reply("/busy.jpg", status=503)
    article = make_thumbnail(ArticleFactory(image_url=http_server.url("/busy.jpg")))
    assert http_server.hits("/busy.jpg") == 1 + tasks.make_thumbnails.max_retries
    assert_refused(article, "HTTP 503")


def test_a_missing_picture_is_not_retried(http_server):
    article = make_thumbnail(ArticleFactory(image_url=http_server.url("/gone.jpg")))
    assert http_server.hits("/gone.jpg") == 1
    assert_refused(article, "HTTP 404")


def test_a_refused_picture_is_not_fetched_again(article_with_picture, http_server):
    article = make_thumbnail(article_with_picture(HTML_PAGE))
    assert thumbnails.make_thumbnail(article.pk) == "skipped"
    assert http_server.hits("/picture") == 1


def test_a_deleted_article_is_skipped(article_with_picture, http_server):
    article = article_with_picture(picture())
    article_id = article.pk
    article.delete()
    assert tasks.make_thumbnails.apply(args=[[article_id]]).get() == {"skipped": 1}
    assert http_server.hits("/picture") == 0


# -- from the feed to the thumbnail ---------------------------------------------------------


def media_item(n: int, image_url: str) -> dict:
    return item(n, _raw=f'<media:content url="{image_url}" medium="image"/>')


def test_ingestion_stores_articles_and_then_their_thumbnails(
    serve_feed, http_server, eager_tasks, django_capture_on_commit_callbacks
):
    http_server.reply("/good.jpg", body=picture(), headers={"Content-Type": "image/jpeg"})
    http_server.reply("/bad.jpg", body=HTML_PAGE, headers={"Content-Type": "text/html"})
    feed = serve_feed(
        rss(
            [
                media_item(1, http_server.url("/good.jpg")),
                media_item(2, http_server.url("/bad.jpg")),
                item(3),
            ]
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.fetch_feed.apply(args=[feed.pk])
    articles = {a.image_url.rsplit("/", 1)[-1]: a for a in Article.objects.filter(feed=feed)}
    assert len(articles) == 3  # the article whose picture failed is stored all the same
    assert articles["good.jpg"].thumbnail.name.endswith(".webp")
    assert "not a JPEG" in articles["bad.jpg"].thumbnail_error
    assert (articles[""].thumbnail.name, articles[""].thumbnail_error) == ("", "")


def test_a_changed_picture_is_made_afresh(
    serve_feed, http_server, eager_tasks, django_capture_on_commit_callbacks
):
    http_server.reply("/old.jpg", body=HTML_PAGE)
    http_server.reply("/new.jpg", body=picture(), headers={"Content-Type": "image/jpeg"})
    feed = serve_feed(rss([media_item(1, http_server.url("/old.jpg"))]))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.fetch_feed.apply(args=[feed.pk])
    assert Article.objects.get().thumbnail_error
    moved = rss([media_item(1, http_server.url("/new.jpg"))])
    http_server.reply("/feed.xml", body=moved, headers={"Content-Type": RSS_TYPE})
    with django_capture_on_commit_callbacks(execute=True):
        tasks.fetch_feed.apply(args=[feed.pk])
    article = Article.objects.get()
    assert (article.thumbnail_error, article.thumbnail.name.endswith(".webp")) == ("", True)


def test_queueing_with_the_broker_down_leaves_the_articles_waiting(db, monkeypatch, caplog):
    import kombu.exceptions

    def refuse(article_ids):
        raise kombu.exceptions.OperationalError("broker down")

    monkeypatch.setattr(tasks.make_thumbnails, "delay", refuse)
    article = ArticleFactory(image_url="https://cdn.news.example/1.jpg")
    tasks.queue_thumbnails([article.pk])
    assert "left waiting" in caplog.text
    assert list(Article.objects.awaiting_thumbnail()) == [article]


def test_a_task_queues_again_what_it_has_no_time_left_for(article_with_picture, monkeypatch):
    first, second = article_with_picture(picture(), path="/1"), article_with_picture(picture())
    queued = []
    monkeypatch.setattr(tasks.make_thumbnails, "delay", queued.append)
    # No time left at all: the deadline has passed before the first picture is fetched.
    monkeypatch.setattr(tasks, "_THUMBNAIL_MARGIN", tasks.make_thumbnails.soft_time_limit)
    result = tasks.make_thumbnails.apply(args=[[first.pk, second.pk]]).get()
    assert result == {"queued again": 2}
    assert queued == [[first.pk, second.pk]]


def test_pictures_are_queued_fifty_to_a_task(db, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.make_thumbnails, "delay", queued.append)
    tasks.queue_thumbnails(list(range(1, 121)))
    assert [len(batch) for batch in queued] == [50, 50, 20]


def test_ingest_feeds_makes_the_waiting_thumbnails_by_hand(article_with_picture, http_server):
    made = article_with_picture(picture(), path="/ok")
    refused = article_with_picture(HTML_PAGE, path="/html")
    out = io.StringIO()
    call_command("ingest_feeds", "--thumbnails", stdout=out)
    assert "2 thumbnail(s): 1 stored, 1 failed" in out.getvalue()
    assert Article.objects.get(pk=made.pk).thumbnail.name.endswith(".webp")
    assert Article.objects.get(pk=refused.pk).thumbnail_error
