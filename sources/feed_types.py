"""What both feed parsers share: the feed they return, the image rule, the fast path's refusal."""

from dataclasses import dataclass, field

from .normalize import RawEntry


class NotConfident(Exception):
    """This document is for feedparser; the message says why."""


@dataclass
class ParsedFeed:
    title: str
    ttl: str  # RSS <ttl>, minutes, as written
    entries: list[RawEntry] = field(default_factory=list)
    parser: str = "feedparser"  # or "fast"


def pick_image(media_content, media_thumbnail, enclosures) -> str | None:
    """The entry's picture: an image media:content, else a media:thumbnail, else an image
    enclosure; each a list of attribute dicts as feedparser keeps them."""
    for media in media_content:
        kind = media.get("type") or ""
        if media.get("url") and (media.get("medium") == "image" or kind.startswith("image/")):
            return media["url"]
    for thumbnail in media_thumbnail:
        if thumbnail.get("url"):
            return thumbnail["url"]
    for enclosure in enclosures:
        if enclosure.get("href") and (enclosure.get("type") or "").startswith("image/"):
            return enclosure["href"]
    return None
