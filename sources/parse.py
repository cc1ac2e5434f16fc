"""Read a fetched feed document: the fast lxml path when it is sure, feedparser otherwise."""

import io
import logging
from urllib.parse import urljoin

import feedparser
from django.conf import settings

from . import parse_fast
from .feed_types import NotConfident, ParsedFeed, pick_image
from .normalize import RawEntry
from .time_limit import TimeLimitExceeded, cpu_time_limit

logger = logging.getLogger(__name__)


class NotAFeed(Exception):
    """The document is not an RSS or Atom feed that feedparser can read; .reason says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_feed(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    """The feed in body (fetched from url with these lower-cased response headers).

    Raises NotAFeed for a document neither parser can read as a feed, or cannot read within
    NEWSROOM_FEED_PARSE_SECONDS of processor time (see time_limit for where that holds).
    """
    headers = parser_headers(headers, url)
    seconds = settings.NEWSROOM_FEED_PARSE_SECONDS
    try:
        with cpu_time_limit(seconds):
            return _parse(body, headers, url)
    except TimeLimitExceeded:
        raise NotAFeed(
            f"Reading the feed took longer than {seconds:g} seconds of processor time; "
            "it is too large or too complex to read safely."
        ) from None


def _parse(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    try:
        return parse_fast.parse(body, headers)
    except NotConfident as exc:
        logger.debug("fast path declined %s: %s", url, exc)
    except Exception:  # a bug in the fast path must cost speed, never the feed
        logger.exception("fast path failed on %s; feedparser reads it instead", url)
    return parse_with_feedparser(body, headers)


def parser_headers(headers: dict[str, str], url: str) -> dict[str, str]:
    """The response headers as both parsers read them: Content-Location is the base for
    relative links, made absolute against the URL the document came from."""
    headers = dict(headers)
    headers["content-location"] = urljoin(url, headers.get("content-location", "").strip())
    return headers


def parse_with_feedparser(body: bytes, headers: dict[str, str]) -> ParsedFeed:
    if not body.strip():
        raise NotAFeed("The server sent an empty document instead of a feed.")
    # A stream, never bytes or str: feedparser treats a string as a URL or a file name to open.
    result = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not result.get("version") and not result.entries:
        raise NotAFeed(_unreadable_reason(result, headers))
    feed = result.feed
    return ParsedFeed(
        title=dict.get(feed, "title") or "",
        ttl=dict.get(feed, "ttl") or "",
        entries=[raw_entry(entry) for entry in result.entries],
    )


def _unreadable_reason(result, headers: dict[str, str]) -> str:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if "html" in content_type:
        return f"The server sent a web page ({content_type}) instead of an RSS or Atom feed."
    problem = result.get("bozo_exception")
    detail = f" ({str(problem)[:200]})" if problem else ""
    return f"The document is not an RSS or Atom feed{detail}."


def raw_entry(entry) -> RawEntry:
    """What ingestion takes from one of feedparser's entries.

    Plain dict lookups: FeedParserDict's aliases (e.g. "updated_parsed" falling back to
    "published_parsed") would blur what the feed actually said.
    """
    get = dict.get
    return RawEntry(
        link=get(entry, "link"),
        guid=get(entry, "id"),
        title=get(entry, "title"),
        summary=get(entry, "summary"),
        author=get(entry, "author"),
        image=pick_image(
            get(entry, "media_content") or [],
            get(entry, "media_thumbnail") or [],
            [link for link in get(entry, "links") or [] if link.get("rel") == "enclosure"],
        ),
        published=get(entry, "published_parsed") or get(entry, "updated_parsed"),
    )
