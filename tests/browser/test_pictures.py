"""In Chromium, pages show our own thumbnails and logos; the browser never contacts an outlet."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from sources.images import logo_png
from sources.thumbnails import _store
from tests.factories import ArticleFactory, SourceFactory, StoryArticleFactory, StoryFactory
from tests.pictures import picture

pytestmark = pytest.mark.browser


@pytest.fixture
def pictured(site, settings, tmp_path, http_server):
    """A published story whose articles' pictures live on an "outlet" server (http_server),
    with thumbnails of our own, one outlet with a logo and one without."""
    settings.MEDIA_ROOT = tmp_path / "media"
    http_server.reply("/photo.jpg", body=picture(), headers={"Content-Type": "image/jpeg"})
    story = StoryFactory(title="Harbour bridge reopens", slug="harbour-bridge")
    with_logo = SourceFactory(name="Harbour Herald")
    with_logo.logo.save("logo.png", ContentFile(logo_png(picture("PNG", (200, 200)))))
    for source in (with_logo, SourceFactory(name="Quay Courier")):
        article = ArticleFactory(
            source=source,
            image_url=http_server.url("/photo.jpg"),
            thumbnail=_store(picture("JPEG", (320, 180))),
            published_at=timezone.now(),
        )
        StoryArticleFactory(story=story, article=article)
    return story


@pytest.mark.parametrize("path", ["/", "/stories/harbour-bridge/"])
def test_pictures_load_from_the_site_alone(open_page, pictured, http_server, site, path):
    page, problems = open_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(path)
    page.mouse.wheel(0, 5000)  # lazy images load once near the viewport
    page.wait_for_load_state("networkidle")
    images = page.evaluate(
        "() => Array.from(document.images).map(i => [i.className, i.complete && i.naturalWidth])"
    )
    assert images and all(width for _, width in images), images
    assert any(kind in ("card-thumbnail", "teaser-thumbnail") for kind, _ in images)
    assert set(hosts) == {urlsplit(site.url).netloc}
    assert http_server.hits("/photo.jpg") == 0
    assert problems.all(page) == []
