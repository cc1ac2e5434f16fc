"""Each article's picture as our own small thumbnail, so readers' browsers never load an outlet's.

The picture is fetched by the feeds' fetcher (fetch.py: public addresses only, checked at
connect time and on every redirect; a size cap while streaming), decoded and re-encoded by
images.py, and stored under a name made from its content. The outcome is recorded on the
article, a thumbnail or the reason there is none, so a picture that cannot be shown is not
fetched again until the feed names another.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .fetch import FetchError, TooLarge, TooManyRedirects, UnsafeURL, fetch
from .images import ImageRejected, content_name, thumbnail_webp
from .models import Article
from .signals import articles_changed

# Seconds one picture may take to download; a feed's own fetch may take longer.
DOWNLOAD_SECONDS = 20
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_REASON_MAX = Article._meta.get_field("thumbnail_error").max_length


class Unavailable(Exception):
    """The picture could not be fetched this time (time-out, server error); worth a retry."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def make_thumbnail(article_id: int, *, last_try: bool = True) -> str:
    """Make the thumbnail of an article still waiting for one; "stored", "failed: <reason>"
    or "skipped". Raises Unavailable for a passing failure, unless this is the last try.

    Safe to run twice, or twice at once: the result is written only while the article still
    waits for a thumbnail of the same picture, and equal pictures share one file.
    """
    waiting = Article.objects.awaiting_thumbnail().filter(pk=article_id)
    image_url = waiting.values_list("image_url", flat=True).first()
    if image_url is None:  # deleted, already done, or without a picture
        return "skipped"
    try:
        name = _store(thumbnail_webp(_download(image_url)))
    except ImageRejected as exc:
        return record_failure(article_id, exc.reason, image_url=image_url)
    except Unavailable as exc:
        if not last_try:
            raise
        return record_failure(article_id, exc.reason, image_url=image_url)
    if waiting.filter(image_url=image_url).update(thumbnail=name):
        transaction.on_commit(
            lambda: articles_changed.send(sender=Article, article_ids=[article_id])
        )
    return "stored"


def record_failure(article_id: int, reason: str, *, image_url: str | None = None) -> str:
    """Note on the article why its picture has no thumbnail; given image_url, only if the
    article still has that picture."""
    waiting = Article.objects.awaiting_thumbnail().filter(pk=article_id)
    if image_url is not None:
        waiting = waiting.filter(image_url=image_url)
    waiting.update(thumbnail_error=reason[:_REASON_MAX])
    return f"failed: {reason}"


def _download(url: str) -> bytes:
    """The picture's bytes; ImageRejected for what will never work, Unavailable otherwise."""
    cap = settings.NEWSROOM_IMAGE_MAX_BYTES
    try:
        response = fetch(url, max_bytes=cap, total_timeout=DOWNLOAD_SECONDS)
    except TooLarge as exc:
        raise ImageRejected(f"The image is larger than the limit of {cap:,} bytes.") from exc
    except TooManyRedirects as exc:
        raise ImageRejected("The image address redirects too many times.") from exc
    except UnsafeURL as exc:
        raise ImageRejected(exc.reason) from exc
    except FetchError as exc:  # time-outs, refused or broken connections, unknown hosts
        raise Unavailable(exc.reason) from exc
    if response.status in RETRY_STATUSES:
        raise Unavailable(f"The image server answered HTTP {response.status}.")
    if response.status != 200:
        raise ImageRejected(f"The image server answered HTTP {response.status}.")
    return response.body


def _store(webp: bytes) -> str:
    """The storage name of this thumbnail, saved unless an equal one already is."""
    name = content_name("thumbnails", webp, "webp")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(webp))
    return name
