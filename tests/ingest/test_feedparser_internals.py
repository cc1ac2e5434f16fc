"""The feedparser internals the fast path leans on, pinned to what it assumes of them.

sources/parse_fast.py, parse_fast_entries.py and parse_fast_rules.py replay feedparser's rules
with feedparser's own private helpers and tables (names starting with "_", not its public API),
and copy two of its patterns. feedparser may change any of them in any release. A failure here
means a feedparser upgrade changed one: do not just update the expected value. Read what changed
in feedparser, adapt the fast path to it (or pin feedparser back in requirements.txt), then run
tests/ingest/test_parse.py and test_corpus.py, which hold both parsers to the same result.
"""

import inspect

import feedparser
import pytest

try:  # the fast path imports some of feedparser's internals by name, so a removed one fails here
    from feedparser.datetimes import _parse_date
    from feedparser.html import _cp1252
    from feedparser.urls import _urifixer, _urljoin, make_safe_absolute_uri

    from sources.parse_fast import _XML_ENCODING
    from sources.parse_fast_entries import _EMAIL
    from sources.parse_fast_rules import (
        _AUTHOR_PARTS,
        _AUTHORS,
        _CONTENTS,
        _DESCRIPTIONS,
        _HANDLED,
        _PUBLISHED,
        _SUMMARIES,
        _TITLES,
        _UPDATED,
    )
    from sources.parse_fast_rules import _urljoin as fast_urljoin
except ImportError as exc:
    raise ImportError(
        f"{exc}. If that is a feedparser name, a feedparser upgrade removed or moved an internal "
        "the fast path (sources/parse_fast*.py) imports: see this module's docstring."
    ) from exc


def changed(name: str) -> str:
    return (
        f"feedparser {feedparser.__version__} changed {name}, which the fast path "
        "(sources/parse_fast*.py) relies on: adapt the fast path or pin feedparser back "
        "(see this module's docstring)."
    )


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("Tue, 10 Jun 2003 04:00:00 GMT", (2003, 6, 10, 4, 0, 0)),
        ("Tue, 10 Jun 2003 04:00:00 +0200", (2003, 6, 10, 2, 0, 0)),
        ("2003-12-13T18:30:02Z", (2003, 12, 13, 18, 30, 2)),
        ("2003-12-13T18:30:02+01:00", (2003, 12, 13, 17, 30, 2)),
        ("2003-12-13", (2003, 12, 13, 0, 0, 0)),
    ],
)
def test_parse_date_reads_rss_and_atom_dates_as_utc_struct_times(written, utc):
    parsed = _parse_date(written)
    assert parsed is not None, changed("feedparser.datetimes._parse_date")
    # normalize.published_at takes a time.struct_time in UTC, as feedparser's entries hold it.
    assert (type(parsed).__name__, tuple(parsed)[:6]) == ("struct_time", utc), changed(
        "feedparser.datetimes._parse_date"
    )


@pytest.mark.parametrize("written", ["", "not a date"])
def test_parse_date_returns_none_for_no_date(written):
    assert _parse_date(written) is None, changed("feedparser.datetimes._parse_date")


def test_cp1252_table_turns_windows_1252_control_characters_into_their_glyphs():
    # _finish applies it with str.translate: keys are code points, values strings.
    assert "\x80\x93\x94\x99".translate(_cp1252) == "€“”™", changed("feedparser.html._cp1252")
    assert "plain é".translate(_cp1252) == "plain é", changed("feedparser.html._cp1252")


def test_urifixer_captures_the_scheme_and_the_extra_slashes_after_it():
    # _urljoin drops group 2 by position: it needs exactly these groups, in this order.
    match = _urifixer.match("http:///example.com/a")
    assert match is not None, changed("feedparser.urls._urifixer")
    assert (match.group(1), match.group(2), match.end(2)) == ("http://", "/", 8), changed(
        "feedparser.urls._urifixer"
    )
    assert _urifixer.match("/relative/path") is None, changed("feedparser.urls._urifixer")


@pytest.mark.parametrize(
    ("base", "uri"),
    [
        ("http://example.com/feeds/", "../a?b=1"),
        ("http://example.com/", "http:///example.org/y"),
        ("http://example.com/", "https:////example.org/y"),
        ("http://example.com/feed", ""),
        ("http://example.com/", "http://[::1"),
        ("", "relative/only"),
    ],
)
def test_fast_urljoin_matches_feedparsers_urljoin(base, uri):
    assert fast_urljoin(base, uri) == _urljoin(base, uri), changed("feedparser.urls._urljoin")


def test_make_safe_absolute_uri_keeps_http_bases_and_drops_unsafe_schemes():
    # _base_uri calls it with Content-Location twice and falls back to the header itself.
    url = "http://example.com/feed.xml"
    assert make_safe_absolute_uri(url, url) == url, changed(
        "feedparser.urls.make_safe_absolute_uri"
    )
    unsafe = "javascript:alert(1)"
    assert make_safe_absolute_uri(unsafe, unsafe) == "", changed(
        "feedparser.urls.make_safe_absolute_uri"
    )


def test_mixin_maps_content_type_shorthands_without_an_instance():
    # Called on the class, not an instance: it has to stay a staticmethod.
    mixin = feedparser.mixin._FeedParserMixin
    assert isinstance(inspect.getattr_static(mixin, "map_content_type"), staticmethod), changed(
        "feedparser.mixin._FeedParserMixin.map_content_type (no longer a staticmethod)"
    )
    map_content_type = mixin.map_content_type
    found = [map_content_type(kind) for kind in ("text", "plain", "html", "xhtml", "TEXT/HTML")]
    expected = ["text/plain", "text/plain", "text/html", "application/xhtml+xml", "text/html"]
    assert found == expected, changed("feedparser.mixin._FeedParserMixin.map_content_type")


def test_mixin_namespace_table_gives_the_prefixes_element_names_are_built_from():
    namespaces = feedparser.mixin._FeedParserMixin.namespaces
    expected = {
        "http://www.w3.org/2005/Atom": "",
        "http://purl.org/rss/1.0/": "",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://search.yahoo.com/mrss/": "media",
    }
    found = {uri: namespaces.get(uri) for uri in expected}
    assert found == expected, changed("feedparser.mixin._FeedParserMixin.namespaces")


def test_mixin_has_a_handler_for_every_element_the_fast_path_replays():
    # _HANDLED is read from the mixin's _start_<name> / _end_<name> methods.
    replayed = _TITLES | _DESCRIPTIONS | _SUMMARIES | set(_CONTENTS) | _PUBLISHED | _UPDATED
    replayed |= _AUTHORS | set(_AUTHOR_PARTS) | {"item", "entry", "channel", "link", "guid"}
    replayed |= {"id", "enclosure", "media_content", "media_thumbnail", "media_group", "source"}
    replayed |= {"contributor", "image", "textinput", "rss", "feed"}
    missing = sorted(replayed - _HANDLED)
    assert not missing, changed(
        f"feedparser.mixin._FeedParserMixin's handlers (none for {missing})"
    )


def test_parse_content_type_splits_mime_type_and_charset():
    parse_content_type = feedparser.encodings.parse_content_type
    found = parse_content_type('application/rss+xml; charset="UTF-8"')
    assert found == ("application/rss+xml", "UTF-8"), changed(
        "feedparser.encodings.parse_content_type"
    )
    assert parse_content_type("") == ("", ""), changed("feedparser.encodings.parse_content_type")


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0" encoding="utf-8"?><rss/>',
        b"<?xml version='1.0' encoding='ISO-8859-1' standalone='yes'?><rss/>",
        b'<?xml version="1.0"?><rss/>',
        b'<rss><?xml encoding="utf-8"?></rss>',
    ],
)
def test_copied_xml_declaration_pattern_reads_encodings_as_feedparsers_does(prolog):
    theirs = feedparser.encodings.RE_XML_PI_ENCODING.match(prolog)
    ours = _XML_ENCODING.match(prolog)
    assert (ours and ours.groups()) == (theirs and theirs.groups()), changed(
        "feedparser.encodings.RE_XML_PI_ENCODING (copied as parse_fast._XML_ENCODING)"
    )


def test_copied_author_email_pattern_is_still_feedparsers():
    source = inspect.getsource(feedparser.mixin._FeedParserMixin._sync_author_detail)
    assert _EMAIL.pattern in source, changed(
        "the e-mail pattern in _FeedParserMixin._sync_author_detail "
        "(copied as parse_fast_entries._EMAIL)"
    )
