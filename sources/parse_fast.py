"""A fast reader for well-formed RSS 2.0, RSS 1.0 and Atom 1.0 documents, built on lxml.

For every document it accepts it returns what ``parse.parse_with_feedparser`` would return:
it replays, element by element, the feedparser rules that decide an entry's link, id, title,
summary, author, image and date (``feedparser.mixin`` and ``feedparser.namespaces``). Anything
it does not replay faithfully raises NotConfident and goes to feedparser: a DOCTYPE (so no
entity is ever declared, let alone expanded), xml:base, an encoding other than UTF-8 or plain
ASCII, inline XHTML, unknown roots, and any element feedparser handles in a way not copied here.
The corpus test holds both paths to the same stored result.

lxml runs with entity resolution, DTD loading and network access off and huge_tree off.
"""

import codecs
import contextlib
import re
from urllib.parse import urljoin

import feedparser
from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.urls import _urifixer, make_safe_absolute_uri
from lxml import etree

from .normalize import RawEntry

# feedparser's table of known namespaces (lower-cased URI -> the prefix it uses internally).
_MIXIN = feedparser.mixin._FeedParserMixin
_KNOWN_NAMESPACES = {uri.lower(): prefix for uri, prefix in _MIXIN.namespaces.items()}
# Element names feedparser has a dedicated handler for; any not replayed here is refused.
_HANDLED = {n[7:].lower() for n in dir(_MIXIN) if n.startswith("_start_")} | {
    n[5:].lower() for n in dir(_MIXIN) if n.startswith("_end_")
}
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATOM_ROOTS = ("{http://www.w3.org/2005/Atom}feed", "{http://purl.org/atom/ns#}feed")
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_RSS10_NS = "http://purl.org/rss/1.0/"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
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

_BOMS = (codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)
_WIDE_MARKERS = (b"\x00\x3c\x00\x3f", b"\x3c\x00\x3f\x00", b"\x00\x00\x00\x3c", b"\x3c\x00\x00\x00")
_XML_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")  # feedparser's own pattern
_ROOT_START = re.compile(rb"<\w")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BASE_ATTRIBUTE = re.compile(rb"base\s*=")
_TRICKY_MARKUP = re.compile(r"<\s*(?:script|style|applet|!|\?|/\s*script)", re.IGNORECASE)
_URI_FIXER = _urifixer  # ^(scheme://)(/*)(.*?) - extra slashes after the scheme are dropped
_ENTITY_IN_LINK = re.compile(r"&([A-Za-z0-9_]+);")
_EMAIL = re.compile(  # feedparser's _sync_author_detail
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_ASCII_SUPERSETS = {"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252"}


class NotConfident(Exception):
    """This document is for feedparser; the message says why."""


def parse(body: bytes, headers: dict[str, str]):
    """A parse.ParsedFeed for body, or NotConfident. headers as parse.parser_headers made them."""
    from .parse import ParsedFeed

    _check_prolog(body, headers)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise NotConfident(f"not well-formed: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise NotConfident("has a DOCTYPE")
    reader = _Reader(root, _base_uri(headers.get("content-location", "")))
    reader.read()
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


class _Entry:
    """What feedparser's entry dict would hold, for the keys ingestion reads."""

    def __init__(self):
        self.values: dict = {}  # link, id, title, summary, author, published/updated_parsed
        self.depths: dict[str, int] = {}  # feedparser's property_depth_map
        self.authors: list[dict] = []
        self.author_detail: dict | None = None
        self.author_count = 0
        self.links: list[dict] = []
        self.media_content: list[dict] = []
        self.media_thumbnail: list[dict] = []

    def store(self, key: str, value, depth: int) -> None:
        """mixin.pop's rule: a value found deeper never replaces one found shallower."""
        old = self.depths.get(key)
        if old is None or depth <= old:
            self.depths[key] = depth
            self.values[key] = value

    def raw(self) -> RawEntry:
        from .parse import pick_image

        get = self.values.get
        return RawEntry(
            link=get("link"),
            guid=get("id"),
            title=get("title"),
            summary=get("summary"),
            author=get("author"),
            image=pick_image(
                self.media_content,
                self.media_thumbnail,
                [link for link in self.links if link.get("rel") == "enclosure"],
            ),
            published=get("published_parsed") or get("updated_parsed"),
        )

    # feedparser's _save_author / _sync_author_detail, on this entry.
    def save_author(self, key: str, value: str) -> None:
        if self.author_detail is None:
            self.author_detail = {}
        self.author_detail[key] = value
        self.sync_author()
        if not self.authors:
            self.authors.append({})
        self.authors[-1][key] = value

    def sync_author(self) -> None:
        detail = self.authors[-1] if self.authors else {}
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                self.values["author"] = f"{name} ({email})"
            elif name:
                self.values["author"] = name
            elif email:
                self.values["author"] = email
            return
        author, email = self.values.get("author"), None
        if not author:
            return
        match = _EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if (author or email) and self.author_detail is None:
            self.author_detail = detail
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email


class _Reader:
    """Walks the tree in document order, keeping the bits of feedparser's state that matter."""

    def __init__(self, root, base: str):
        self.root = root
        self.base = base
        self.names: dict[str, str] = {}
        self.prefixes = self._declared_prefixes(root)
        self.entries: list[RawEntry] = []
        self.feed_title: str | None = None
        self.ttl = ""
        self.title_depth = -1  # feedparser's title_depth: global, reset by items, images, sources
        self.has_content = False  # feedparser's hasContent: global, reset when an item ends
        self.in_feed = False

    # -- names --------------------------------------------------------------------------
    @staticmethod
    def _declared_prefixes(root) -> dict[str, str]:
        """Prefix -> feedparser's internal prefix, for the known namespaces declared at the root."""
        remap = {}
        for prefix, uri in root.nsmap.items():
            mapped = _KNOWN_NAMESPACES.get(uri.lower())
            if prefix and mapped is not None:
                remap[prefix] = mapped
        for prefix, mapped in remap.items():
            if mapped and prefix in _KNOWN_NAMESPACES.values() and prefix != mapped:
                raise NotConfident(f"prefix {prefix} bound to another known namespace")
        return remap

    def name(self, el) -> str:
        """The name feedparser dispatches el on, e.g. "title", "dc_creator", "media_content"."""
        tag = el.tag
        if not isinstance(tag, str):
            raise NotConfident("unexpected node")
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = self._resolve(tag, el)
        return name

    def _resolve(self, tag: str, el) -> str:
        if tag[0] != "{":
            return tag.lower()
        uri, local = tag[1:].split("}", 1)
        lowered = uri.lower()
        if "backend.userland.com/rss" in lowered:
            return local.lower()
        mapped = _KNOWN_NAMESPACES.get(lowered)
        if mapped == "":
            return local.lower()
        if mapped is not None:
            return f"{self.prefixes.get(mapped, mapped)}_{local}".lower()
        # Unknown namespace: feedparser names the element after a prefix declared for it.
        candidates = {p for p, u in {**self.root.nsmap, **el.nsmap}.items() if u == uri and p}
        if not candidates:
            return local.lower()
        names = {f"{self.prefixes.get(p, p)}_{local}".lower() for p in candidates}
        if len(candidates) > 1 or names & (_HANDLED | _RESERVED):
            raise NotConfident(f"element {tag} would be handled by feedparser")
        return names.pop()

    # -- document level -----------------------------------------------------------------
    def read(self) -> None:
        root_name = self.name(self.root)
        if root_name == "feed" and self.root.tag not in _ATOM_ROOTS:
            raise NotConfident("Atom before 1.0")
        if root_name not in ("rss", "feed", "rdf_rdf"):
            raise NotConfident(f"root element {self.root.tag}")
        if root_name == "rdf_rdf" and _RSS10_NS not in self.root.nsmap.values():
            raise NotConfident("RDF without RSS 1.0")
        self.in_feed = root_name == "feed"
        self.feed_children(self.root, 2)

    def feed_children(self, parent, depth: int) -> None:
        for el in parent:
            name = self.name(el)
            if name in ("item", "entry"):
                self.entries.append(self.entry(el, depth))
            elif name == "channel":
                if self.in_feed:
                    raise NotConfident("nested channel")
                self.in_feed = True
                self.feed_children(el, depth + 1)
                self.in_feed = False
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

    # -- entries ------------------------------------------------------------------------
    def entry(self, el, depth: int) -> RawEntry:
        attrs = _attributes(el)
        if "href" in attrs or "lastmod" in attrs:
            raise NotConfident("CDF-style item attributes")
        self.title_depth = -1
        entry = _Entry()
        about = el.get(_RDF_ABOUT)
        if about:
            entry.values["id"] = about
        for child in el:
            self.entry_child(child, entry, depth + 1)
        self.has_content = False
        return entry.raw()

    def entry_child(self, el, entry: _Entry, depth: int) -> None:
        name = self.name(el)
        if name in _TITLES or name == "media_title":
            self.entry_title(el, name, entry, depth)
        elif name == "link":
            self.entry_link(el, entry)
        elif name in ("guid", "id"):
            self.entry_id(el, entry, depth)
        elif name in _DESCRIPTIONS or name in _SUMMARIES:
            self.entry_summary(el, name, entry, depth)
        elif name in _CONTENTS:
            self.entry_content(el, name, entry)
        elif name in _PUBLISHED or name in _UPDATED:
            key = "published" if name in _PUBLISHED else "updated"
            value = _finish(_text(el))
            entry.store(key, value, depth)
            entry.values[f"{key}_parsed"] = _parse_date(value)
        elif name in _AUTHORS:
            self.entry_author(el, entry, depth)
        elif name == "enclosure":
            _text(el)
            entry.links.append({**_enforce_href(_attributes(el)), "rel": "enclosure"})
        elif name == "media_content":
            entry.media_content.append(_attributes(el))
            self.entry_children(el, entry, depth)
        elif name == "media_thumbnail":
            self.entry_thumbnail(el, entry)
        elif name == "media_group":
            self.entry_children(el, entry, depth)
        elif name == "source":
            self.entry_source(el, depth)
        elif name == "contributor":
            self.contributor(el)
        elif name == "dc_contributor":
            _text(el)
        elif name in _INERT:
            if name in _TEXT_ONLY:
                _text(el)
            self.entry_children(el, entry, depth)
        elif name in _HANDLED:
            raise NotConfident(f"<{name}> in an entry")
        elif name in _RESERVED:
            raise NotConfident(f"unknown element named {name}")
        else:
            self.entry_children(el, entry, depth)

    def entry_children(self, el, entry: _Entry, depth: int) -> None:
        for child in el:
            self.entry_child(child, entry, depth + 1)

    def entry_title(self, el, name: str, entry: _Entry, depth: int) -> None:
        _content_type(_attributes(el), "text/plain")
        value = _finish(_text(el))
        if not (-1 < self.title_depth <= depth):
            entry.store("title", value, depth)
        if value and name != "media_title":
            self.title_depth = depth

    def entry_link(self, el, entry: _Entry) -> None:
        attrs = _attributes(el)
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        attrs = _enforce_href(attrs)
        if "href" in attrs:
            if len(el):
                raise NotConfident("markup inside <link>")
            attrs["href"] = _urljoin(self.base, attrs["href"])
            entry.links.append(attrs)
            is_html = _MIXIN.map_content_type(attrs["type"]) in _HTML_TYPES
            if attrs["rel"] == "alternate" and is_html:
                entry.values["link"] = attrs["href"]
            return
        entry.links.append(attrs)
        value = _finish(_text(el), self.base)
        if "&" in value:
            value = _ENTITY_IN_LINK.sub(r"&\g<1>", value.replace("&amp;", "&"))
        entry.values["link"] = value

    def entry_id(self, el, entry: _Entry, depth: int) -> None:
        is_link = _attributes(el).get("ispermalink", "true") == "true"
        value = _finish(_text(el), self.base if is_link else None)
        entry.store("id", value, depth)
        if is_link:
            entry.values.setdefault("link", value)

    def entry_summary(self, el, name: str, entry: _Entry, depth: int) -> None:
        attrs = _attributes(el)
        if "summary" in entry.values and not self.has_content:
            # feedparser reads a second summary as content, which never replaces the first.
            _content_type(attrs, "text/plain")
            _text(el)
            self.has_content = True
            return
        _content_type(attrs, "text/html" if name in _DESCRIPTIONS else "text/plain")
        entry.store("summary", _finish(_text(el)), depth)

    def entry_content(self, el, name: str, entry: _Entry) -> None:
        _content_type(_attributes(el), _CONTENTS[name])
        value = _finish(_text(el))
        self.has_content = True
        entry.values.setdefault("summary", value)

    def entry_author(self, el, entry: _Entry, depth: int) -> None:
        entry.author_count += 1
        if entry.author_count > 1:
            raise NotConfident("several authors")
        entry.authors.append({})
        text = [el.text or ""]
        for child in el:
            part = _AUTHOR_PARTS.get(self.name(child))
            if part is None:
                raise NotConfident("unexpected element in an author")
            raw = _text(child)
            entry.save_author(part, _finish(raw, self.base) if part == "href" else raw.strip())
            text.append(child.tail or "")
        entry.store("author", _finish("".join(text)), depth)
        entry.sync_author()

    def entry_thumbnail(self, el, entry: _Entry) -> None:
        attrs = _attributes(el)
        entry.media_thumbnail.append(attrs)
        url = _finish(_text(el), self.base)
        if url.strip() and "url" not in attrs:
            attrs["url"] = url

    def entry_source(self, el, depth: int) -> None:
        """An entry's source describes another feed; only its titles matter, via title_depth."""
        self.title_depth = -1
        self.source_children(el, depth + 1)

    def source_children(self, parent, depth: int) -> None:
        for el in parent:
            name = self.name(el)
            if name in _TITLES:
                if _finish(_text(el)):
                    self.title_depth = depth
            elif name in _FEED_LEVEL_REFUSED or name in _DESCRIPTIONS:
                raise NotConfident(f"<{name}> inside an entry's source")
            elif name in _CONTENTISH:
                _text(el)
            elif name in _HANDLED and name not in _SOURCE_INERT:
                raise NotConfident(f"<{name}> inside an entry's source")
            else:
                self.source_children(el, depth + 1)

    def contributor(self, el) -> None:
        for child in el:
            if self.name(child) not in _AUTHOR_PARTS:
                raise NotConfident("unexpected element in a contributor")
            _text(child)
