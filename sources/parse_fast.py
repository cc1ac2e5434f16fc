"""A fast reader for well-formed RSS 2.0, RSS 1.0 and Atom 1.0 documents, built on lxml.

For every document it accepts it returns what ``parse.parse_with_feedparser`` would return:
it replays, element by element, the feedparser rules that decide an entry's link, id, title,
summary, author, image and date (``feedparser.mixin`` and ``feedparser.namespaces``). Anything
it does not replay faithfully raises NotConfident and goes to feedparser: a DOCTYPE (so no
entity is ever declared, let alone expanded), xml:base, an encoding other than UTF-8 or plain
ASCII, inline XHTML, unknown roots, and any element feedparser handles in a way not copied here.
The corpus test holds both paths to the same stored result.

lxml runs with entity resolution, DTD loading and network access off and huge_tree off.

One reader in three modules, by job: this one reads the document (prolog, encoding, the feed's
own title and ttl), ``parse_fast_entries`` reads each entry, and ``parse_fast_rules`` holds the
feedparser tables and text rules both follow. Their underscore names are shared by the three.
"""

import codecs
import io
import itertools
import re

import feedparser
from feedparser.urls import make_safe_absolute_uri
from lxml import etree

from .feed_types import NotConfident, ParsedFeed
from .normalize import RawEntry
from .parse_fast_entries import _EntryReader
from .parse_fast_rules import (
    _CONTENTISH,
    _FEED_LEVEL_REFUSED,
    _TITLES,
    _attributes,
    _content_type,
    _finish,
    _text,
)

_ATOM_ROOTS = ("{http://www.w3.org/2005/Atom}feed", "{http://purl.org/atom/ns#}feed")
_RSS10_NS = "http://purl.org/rss/1.0/"
_BOMS = (codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)
_WIDE_MARKERS = (b"\x00\x3c\x00\x3f", b"\x3c\x00\x3f\x00", b"\x00\x00\x00\x3c", b"\x3c\x00\x00\x00")
_XML_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")  # feedparser's own pattern
_ROOT_START = re.compile(rb"<\w")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BASE_ATTRIBUTE = re.compile(rb"base\s*=")
_TRICKY_MARKUP = re.compile(r"<\s*(?:script|style|applet|!|\?|/\s*script)", re.IGNORECASE)
_ASCII_SUPERSETS = {"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252"}


def parse(body: bytes, headers: dict[str, str]):
    """A ParsedFeed for body, or NotConfident. headers as parse.parser_headers made them."""
    _check_prolog(body, headers)
    # Read as the parser goes, each entry dropped once read: the whole tree of a 15 MB
    # document would take about twice its size again.
    events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        tag=("{*}item", "{*}entry", "item", "entry"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        first = next(events, None)
        if first is None:  # no entry: the parser has read the whole document
            root, events = events.root, iter(())
        else:
            root = first[1]
            while (parent := root.getparent()) is not None:
                root = parent
            events = itertools.chain([first], events)
        reader = _Reader(root, _base_uri(headers.get("content-location", "")))
        reader.read(events)
    except etree.XMLSyntaxError as exc:
        raise NotConfident(f"not well-formed: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise NotConfident("has a DOCTYPE")
    _check_markup(reader)
    return ParsedFeed(
        title=reader.feed_title or "", ttl=reader.ttl, entries=reader.entries, parser="fast"
    )


def _check_markup(reader) -> None:
    """Refuse markup that feedparser's sanitiser and nh3 may read differently (scripts, comments,
    declarations inside the HTML): the stored text could differ. Simple markup reads the same."""
    values = [reader.feed_title]
    for entry in reader.entries:
        values += (entry.title, entry.summary, entry.author)
    for value in values:
        if value and "<" in value and _TRICKY_MARKUP.search(value):
            raise NotConfident("script, style, comment or declaration inside the text")


def _check_prolog(body: bytes, headers: dict[str, str]) -> None:
    """Refuse what must not reach lxml here or what feedparser decodes differently."""
    data = body[3:] if body[:3] == codecs.BOM_UTF8 else body
    if data[:4] in _WIDE_MARKERS or data[:4] in _BOMS or data[:2] in _BOMS[2:]:
        raise NotConfident("UTF-16/32 or EBCDIC")
    start = _ROOT_START.search(data)
    if start is None or _DECLARATION.search(data, 0, start.start()):
        raise NotConfident("no root element, or a DOCTYPE/ENTITY declaration")
    if _BASE_ATTRIBUTE.search(data):
        raise NotConfident("may use xml:base")
    match = _XML_ENCODING.match(data)
    declared = _codec(match.group(1).decode("ascii", "replace")) if match else ""
    effective = _codec(_feedparser_encoding(headers, declared))
    if data.isascii():
        if effective in _ASCII_SUPERSETS and declared in _ASCII_SUPERSETS | {""}:
            return
    elif effective == "utf-8" and declared in ("", "utf-8"):
        return
    raise NotConfident(f"encoding {effective or '?'} (declared {declared or 'none'})")


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "?"


def _feedparser_encoding(headers: dict[str, str], declared: str) -> str:
    """The encoding feedparser tries first (RFC 3023 rules, as in feedparser.encodings)."""
    mime, charset = feedparser.encodings.parse_content_type(headers.get("content-type") or "")
    if mime in ("application/xml", "application/xml-dtd", "application/xml-external-parsed-entity"):
        return charset or declared or "utf-8"
    if mime.startswith("application/") and mime.endswith("+xml"):
        return charset or declared or "utf-8"
    if mime.startswith("text/"):
        return charset or "us-ascii"
    if "content-type" not in headers:
        return declared or "iso-8859-1"
    return declared or "utf-8"


def _base_uri(content_location: str) -> str:
    # feedparser starts from Content-Location, then joins it with itself at the first element.
    if not content_location:
        return ""
    return make_safe_absolute_uri(content_location, content_location) or content_location


def _drop(el) -> None:
    """Free an element read whole, and the parent's reference to it."""
    el.clear(keep_tail=False)
    el.getparent().remove(el)


class _Reader(_EntryReader):
    """Walks the tree in document order: the feed's own fields here, its entries in the base."""

    def __init__(self, root, base: str):
        super().__init__(root, base)
        self.entries: list[RawEntry] = []
        self.feed_title: str | None = None
        self.ttl = ""
        self.in_feed = False

    # -- document level -----------------------------------------------------------------
    def read(self, events) -> None:
        """Read the document from iterparse's events: the end of each item or entry.

        The feed's level is read in document order, as feed_children() reads a tree:
        when an entry that is a child of the root or of a channel directly inside it has
        ended, its parent's children up to it are read and dropped, so the tree never
        holds more than one entry. What is left once the document has ended is read
        from the tree.
        """
        root_name = self.name(self.root)
        if root_name == "feed" and self.root.tag not in _ATOM_ROOTS:
            raise NotConfident("Atom before 1.0")
        if root_name not in ("rss", "feed", "rdf_rdf"):
            raise NotConfident(f"root element {self.root.tag}")
        if root_name == "rdf_rdf" and _RSS10_NS not in self.root.nsmap.values():
            raise NotConfident("RDF without RSS 1.0")
        self.in_feed = root_name == "feed"
        channel = None  # the root's child channel being read
        for _, entry in events:
            parent = entry.getparent()
            if parent is None:
                continue  # the root itself is named item or entry: read below
            if parent is not channel and channel is not None and parent is self.root:
                self.leave_channel(channel)  # the channel ended before this entry
                channel = None
            if parent is self.root:
                self.read_until(self.root, entry, 2)
            elif parent is channel:
                self.read_until(channel, entry, 3)
            elif parent.getparent() is self.root and self.name(parent) == "channel":
                if channel is not None:
                    self.leave_channel(channel)
                self.read_until(self.root, parent, 2, including=False)
                self.enter_channel()
                channel = parent
                self.read_until(channel, entry, 3)
        if channel is not None:
            self.leave_channel(channel)
        self.feed_children(self.root, 2)

    def read_until(self, parent, last, depth: int, *, including: bool = True) -> None:
        """Read and drop parent's children up to last (and last itself, if including)."""
        while len(parent):
            child = parent[0]
            if child is last and not including:
                return
            self.feed_element(child, depth)
            _drop(child)
            if child is last:
                return

    def leave_channel(self, channel) -> None:
        """Read what is left of a channel whose children have been read up to an entry."""
        for child in channel:
            self.feed_element(child, 3)
        self.in_feed = False
        _drop(channel)

    def enter_channel(self) -> None:
        if self.in_feed:
            raise NotConfident("nested channel")
        self.in_feed = True

    def feed_children(self, parent, depth: int) -> None:
        for el in parent:
            self.feed_element(el, depth)

    def feed_element(self, el, depth: int) -> None:
        if self.name(el) == "channel":
            self.enter_channel()
            self.feed_children(el, depth + 1)
            self.in_feed = False
        else:
            self.feed_child(el, depth)

    def feed_child(self, el, depth: int) -> None:
        """Read one element of the feed's level (not a channel) at this depth."""
        name = self.name(el)
        if name in ("item", "entry"):
            self.entries.append(self.entry(el, depth))
        elif name in _TITLES or name == "media_title":
            self.feed_level_title(el, name, depth)
        elif name in ("image", "textinput"):
            self.image_or_textinput(el, name, depth)
        elif name == "ttl":
            if self.in_feed:
                self.ttl = "" if el.attrib else _finish(_text(el))
        elif name in _FEED_LEVEL_REFUSED:
            raise NotConfident(f"<{name}> at feed level")
        elif name in _CONTENTISH:
            _text(el)
        else:
            self.feed_children(el, depth + 1)

    def feed_level_title(self, el, name: str, depth: int) -> None:
        value = _finish(_text(el))
        _content_type(_attributes(el), "text/plain")
        if self.in_feed and not (-1 < self.title_depth <= depth):
            self.feed_title = value
        if value and name != "media_title":
            self.title_depth = depth

    def image_or_textinput(self, el, name: str, depth: int) -> None:
        allowed = {"title", "link", "description", "url", "width", "height"}
        if name == "textinput":
            allowed = {"title", "link", "description", "name"}
        self.title_depth = -1
        for child in el:
            child_name = self.name(child)
            if child_name not in allowed or len(child):
                raise NotConfident(f"<{child_name}> inside <{name}>")
            if child_name == "title" and _finish(_text(child)):
                self.title_depth = depth + 1
