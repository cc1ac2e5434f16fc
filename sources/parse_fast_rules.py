"""feedparser's rules as the fast reader replays them: the element names, text and attributes."""

import contextlib
from urllib.parse import urljoin

import feedparser
from feedparser.html import _cp1252
from feedparser.urls import _urifixer

from .feed_types import NotConfident

# Part of the fast reader (parse_fast.py), split by job into parse_fast, parse_fast_entries and
# this module; the underscore names are private to those three, not to each file.

# feedparser's table of known namespaces (lower-cased URI -> the prefix it uses internally).
_MIXIN = feedparser.mixin._FeedParserMixin
_KNOWN_NAMESPACES = {uri.lower(): prefix for uri, prefix in _MIXIN.namespaces.items()}
# Element names feedparser has a dedicated handler for; any not replayed here is refused.
_HANDLED = {n[7:].lower() for n in dir(_MIXIN) if n.startswith("_start_")} | {
    n[5:].lower() for n in dir(_MIXIN) if n.startswith("_end_")
}
_TEXT_TYPES = ("text/plain", "text/html")

_TITLES = {"title", "dc_title"}
_DESCRIPTIONS = {"description", "dc_description", "media_description"}
_SUMMARIES = {"summary", "itunes_summary"}
_CONTENTS = {"content_encoded": "text/html", "fullitem": "text/html", "content": "text/plain"}
_PUBLISHED = {"pubdate", "published", "issued", "dcterms_issued"}
_UPDATED = {"updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"}
_AUTHORS = {"author", "managingeditor", "dc_author", "dc_creator", "itunes_author"}
_AUTHOR_PARTS = {
    "name": "name",
    "itunes_name": "name",
    "email": "email",
    "itunes_email": "email",
    "url": "href",
    "uri": "href",
    "homepage": "href",
}
# Handled by feedparser, but nothing they do reaches a field we store.
_INERT = {
    *("category", "dc_subject", "media_category", "keywords", "media_keywords"),
    *("itunes_keywords", "itunes_category", "tags", "created", "dcterms_created"),
    *("expirationdate", "dcterms_valid", "generator", "admin_generatoragent"),
    *("admin_errorreportsto", "cloud", "language", "dc_language", "media_rating"),
    *("media_credit", "media_restriction", "media_license", "media_player", "itunes_block"),
    *("itunes_explicit", "itunes_image", "itunes_link", "cc_license"),
    *("creativecommons_license", "width", "height", "newlocation", "webmaster"),
    *("dc_publisher", "name", "itunes_name", "email", "itunes_email", "url", "uri"),
    *("homepage", "rights", "copyright", "dc_rights", "subtitle", "tagline"),
    *("itunes_subtitle", "info", "feedburner_browserfriendly"),
}
# Inert, but feedparser reads their text as (possibly inline) markup: no child elements allowed.
_TEXT_ONLY = {"rights", "copyright", "dc_rights", "subtitle", "tagline", "itunes_subtitle", "info"}
_TEXT_ONLY |= {"feedburner_browserfriendly"}
# Inside an entry's <source> these write to the source's own record, not the entry's.
_SOURCE_INERT = _INERT | _AUTHORS | _PUBLISHED | _UPDATED | set(_AUTHOR_PARTS)
_SOURCE_INERT |= {"link", "id", "guid", "media_title", "contributor", "dc_contributor"}
# feedparser reads these as text or markup, never dispatching what is inside them.
_CONTENTISH = _TITLES | _DESCRIPTIONS | _SUMMARIES | _TEXT_ONLY | set(_CONTENTS)
_CONTENTISH |= {"media_title", "abstract", "body", "xhtml_body"}
# At feed level these change state that later entries depend on (hasContent, insource).
_FEED_LEVEL_REFUSED = _SUMMARIES | set(_CONTENTS) | {"abstract", "body", "xhtml_body", "source"}
_FEED_LEVEL_REFUSED |= {"rss", "feed", "psc_chapters", "psc_chapter"}
# Keys of feedparser's entry dict we read; an unknown element of that name would overwrite one.
_RESERVED = {"links", "link", "id", "title", "summary", "author", "author_detail", "authors"}
_RESERVED |= {"media_content", "media_thumbnail", "published_parsed", "updated_parsed"}
_RESERVED |= {"content", "enclosures", "href", "source", "tags"}
_URI_FIXER = _urifixer  # ^(scheme://)(/*)(.*?) - extra slashes after the scheme are dropped


def _finish(text: str, base: str | None = None) -> str:
    """feedparser's post-processing of an element's text (mixin.pop); base for link-like ones."""
    text = text.strip()
    if base is not None and text:
        text = _urljoin(base, text)
    if text.isascii():  # (constant time) nothing below would change it
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")  # UTF-8 once decoded as Latin-1
    return text.translate(_cp1252)


def _urljoin(base: str, uri: str) -> str:
    """feedparser.urls._urljoin, without its regex substitution (a hot spot here)."""
    match = _URI_FIXER.match(uri)
    if match and match.group(2):
        uri = match.group(1) + uri[match.end(2) :]
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _text(el) -> str:
    if len(el):
        raise NotConfident(f"markup inside <{el.tag}>")
    return el.text or ""


def _attributes(el) -> dict[str, str]:
    """Attributes as feedparser's handlers see them: names lower-cased, rel/type values too."""
    attrs = {}
    for key, value in el.attrib.items():
        name = key.rpartition("}")[2].lower()
        if name in attrs:
            raise NotConfident("two attributes with one local name")
        attrs[name] = value.lower() if name in ("rel", "type") else value
    return attrs


def _content_type(attrs: dict[str, str], default: str) -> str:
    if attrs.get("mode", "escaped") != "escaped" or "src" in attrs:
        raise NotConfident("content mode or src")
    kind = _MIXIN.map_content_type(attrs.get("type", default))
    if kind not in _TEXT_TYPES:
        raise NotConfident(f"content of type {kind}")
    return kind


def _enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs
