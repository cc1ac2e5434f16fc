"""The fast reader's entries: each item's fields, taken element by element as feedparser does."""

import re

from feedparser.datetimes import _parse_date

from .feed_types import NotConfident, pick_image
from .normalize import RawEntry
from .parse_fast_rules import (
    _AUTHOR_PARTS,
    _AUTHORS,
    _CONTENTISH,
    _CONTENTS,
    _DESCRIPTIONS,
    _FEED_LEVEL_REFUSED,
    _HANDLED,
    _INERT,
    _KNOWN_NAMESPACES,
    _MIXIN,
    _PUBLISHED,
    _RESERVED,
    _SOURCE_INERT,
    _SUMMARIES,
    _TEXT_ONLY,
    _TITLES,
    _UPDATED,
    _attributes,
    _content_type,
    _enforce_href,
    _finish,
    _text,
    _urljoin,
)

# Part of the fast reader (parse_fast.py); the underscore names are private to the parse_fast*
# modules, not to each file.

_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ENTITY_IN_LINK = re.compile(r"&([A-Za-z0-9_]+);")
_EMAIL = re.compile(  # feedparser's _sync_author_detail
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


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


class _EntryReader:
    """Reads entries and names elements, keeping the bits of feedparser's state that matter;
    parse_fast._Reader adds the document around them."""

    def __init__(self, root, base: str):
        self.root = root
        self.base = base
        self.names: dict[str, str] = {}
        self.prefixes = self._declared_prefixes(root)
        self.title_depth = -1  # feedparser's title_depth: global, reset by items, images, sources
        self.has_content = False  # feedparser's hasContent: global, reset when an item ends

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
