"""The two parsers: the fast path must store exactly what feedparser would, or step aside."""

import random
from datetime import UTC, datetime

import pytest

from sources import parse, parse_fast
from sources.feed_types import NotConfident, ParsedFeed
from sources.normalize import SUMMARY_MAX, clean_text, normalize_entry

from .corpus import folders, headers_of, or_missing, require
from .documents import atom, item, random_feed, rss
from .test_ingest import BILLION_LAUGHS

NOW = datetime(2031, 1, 1, tzinfo=UTC)
URL = "http://127.0.0.1:8000/feeds/"


def stored_form(parsed: ParsedFeed):
    """What ingestion keeps of a parse: the normalised entries, the feed's title and ttl."""
    entries = [normalize_entry(raw, now=NOW) for raw in parsed.entries]
    return entries, clean_text(parsed.title, SUMMARY_MAX), parsed.ttl


def both_paths(body: bytes, headers: dict[str, str], url: str = URL):
    """(fast, feedparser) results; fast is None where the fast path declines the document."""
    headers = parse.parser_headers(headers, url)
    try:
        fast = parse_fast.parse(body, headers)
    except NotConfident:
        fast = None
    try:
        slow = parse.parse_with_feedparser(body, headers)
    except parse.NotAFeed:
        slow = None
    return fast, slow


@pytest.mark.parametrize("folder", or_missing(folders()))
def test_fast_path_stores_what_feedparser_stores_on_the_corpus(folder):
    for path in require(folder):
        body = path.read_bytes()
        fast, slow = both_paths(body, headers_of(body), URL + path.name)
        if fast is not None:
            assert slow is not None, f"{path}: feedparser cannot read what the fast path took"
            assert stored_form(fast) == stored_form(slow), path


@pytest.mark.parametrize("folder", ["wellformed/rss", "wellformed/atom10", "wellformed/media-rss"])
def test_fast_path_takes_most_plain_rss_and_atom(folder):
    paths = require(folder)
    taken = [p for p in paths if both_paths(p.read_bytes(), headers_of(p.read_bytes()))[0]]
    assert len(taken) >= 0.8 * len(paths)


TYPICAL = {
    "rss with html summaries": rss([item(n) for n in range(3)]),
    "rss with content and creator": rss(
        [
            item(
                1,
                description=None,
                author=None,
                _raw="<content:encoded><![CDATA[<p>Full <em>text</em></p>]]></content:encoded>"
                "<dc:creator>Ana Reporter</dc:creator>",
            )
        ]
    ).replace(b"<rss ", b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '),
    "rss with media": rss(
        [
            item(
                1,
                _raw="<media:group>"
                '<media:content url="https://cdn.example/1.jpg" type="image/jpeg"/>'
                '<media:thumbnail url="https://cdn.example/1-small.jpg"/></media:group>',
            ),
            item(2, _raw='<media:thumbnail url="https://cdn.example/2.jpg"/>'),
            item(3, _raw='<enclosure url="https://cdn.example/3.png" type="image/png"/>'),
        ]
    ),
    "rss with permalink guids only": rss(
        [item(n, link=None, guid=f"https://news.example/p/{n}") for n in range(3)]
    ),
    "rss with relative links": rss([item(1, link="../stories/1?utm_source=x#top", guid=None)]),
    "rss with a ttl": rss([item(1)], extra="<ttl>45</ttl>"),
    "atom": atom(
        [
            {
                "id": "tag:news.example,2030:1",
                "title": "Ferry &amp; rail",
                "link": "https://news.example/ferry",
                "summary": "<p>Services stop.</p>",
                "author": "Ana Reporter",
            }
        ]
    ),
    "rdf": b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>RDF News</title></channel>
<item rdf:about="https://news.example/rdf/1"><title>First</title>
<link>https://news.example/rdf/1</link><description>One &amp; two</description>
<dc:date>2030-01-01T10:00:00+01:00</dc:date><dc:creator>Desk</dc:creator></item>
</rdf:RDF>""",
}


@pytest.mark.parametrize("body", TYPICAL.values(), ids=TYPICAL.keys())
def test_fast_path_reads_typical_feeds_as_feedparser_does(body):
    fast, slow = both_paths(body, {"content-type": "application/rss+xml"})
    assert fast is not None, "the fast path should take this document"
    assert stored_form(fast) == stored_form(slow)
    assert fast.entries, "the document has entries"


def test_fast_path_stores_what_feedparser_stores_on_generated_feeds():
    rng = random.Random(20301)
    taken = 0
    for _ in range(400):
        body = random_feed(rng)
        fast, slow = both_paths(body, {"content-type": "application/rss+xml"})
        if fast is not None:
            taken += 1
            assert stored_form(fast) == stored_form(slow), body.decode()
    assert taken > 200


DECLINED = {
    "doctype with entities": BILLION_LAUGHS,
    "external entity": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title></item></channel></rss>",
    "doctype": b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x">'
    b"<rss><channel/></rss>",
    "xml:base": b'<rss><channel xml:base="https://elsewhere.example/"><item><link>a</link>'
    b"</item></channel></rss>",
    "html entity": b"<rss><channel><item><title>a&nbsp;b</title></item></channel></rss>",
    "latin-1 without a declaration": "<rss><channel><title>caf\xe9</title></channel></rss>".encode(
        "latin-1"
    ),
    "utf-16": '<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"),
    "unknown root": b"<html><body><rss/></body></html>",
    "inline xhtml": atom([])[:-7]
    + b'<entry><id>x</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
    b"<p>x</p></div></content></entry></feed>",
    "script in a summary": rss([item(1, description="<script>x()</script>Text")]),
}


@pytest.mark.parametrize("body", DECLINED.values(), ids=DECLINED.keys())
def test_fast_path_leaves_unusual_documents_to_feedparser(body):
    with pytest.raises(NotConfident):
        parse_fast.parse(body, parse.parser_headers({"content-type": "application/xml"}, URL))


def test_parse_feed_falls_back_to_feedparser_and_says_which_parser_read_it():
    headers = {"content-type": "application/rss+xml"}
    assert parse.parse_feed(rss([item(1)]), headers, URL).parser == "fast"
    assert parse.parse_feed(BILLION_LAUGHS, headers, URL).parser == "feedparser"


def test_undecodable_bytes_fall_back_without_error():
    body = b'<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>\xff\xfe</title>'
    body += b"<link>https://news.example/x</link></item></channel></rss>"
    parsed = parse.parse_feed(body, {"content-type": "application/rss+xml"}, URL)
    assert parsed.parser == "feedparser"
    assert [e.link for e in parsed.entries] == ["https://news.example/x"]


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b"<html><body>Hello</body></html>", "text/html; charset=utf-8", "a web page"),
        (b"", "application/rss+xml", "empty document"),
        (b"just text", "text/plain", "not an RSS or Atom feed"),
    ],
)
def test_documents_that_are_not_feeds_say_why(body, content_type, words):
    with pytest.raises(parse.NotAFeed, match=words):
        parse.parse_feed(body, {"content-type": content_type}, URL)


# The fast path reads entries as the parser reaches them and drops them; what comes
# between, after or around them must still be read in document order.
ITEM = "<item><title>Ferry {n}</title><link>https://news.example/{n}</link></item>"
STREAMED = {
    "channel fields after the items": (
        '<rss version="2.0"><channel>' + ITEM.format(n=1) + ITEM.format(n=2)
        + "<title>Late title</title><ttl>30</ttl></channel></rss>"
    ),
    "titles between items": (
        '<rss version="2.0"><channel><title>First</title>' + ITEM.format(n=1)
        + "<title>Second</title>" + ITEM.format(n=2) + "</channel></rss>"
    ),
    "an image between items": (
        '<rss version="2.0"><channel>' + ITEM.format(n=1)
        + "<image><title>Logo</title><url>https://news.example/l.png</url></image>"
        + ITEM.format(n=2) + "</channel></rss>"
    ),
    "an element after the channel": (
        '<rss version="2.0"><channel><title>News</title>' + ITEM.format(n=1)
        + "</channel><ttl>15</ttl></rss>"
    ),
    "items beside the channel": (
        '<rss version="2.0"><channel><title>News</title></channel>'
        + ITEM.format(n=1) + ITEM.format(n=2) + "</rss>"
    ),
    "two channels": (
        '<rss version="2.0"><channel><title>One</title>' + ITEM.format(n=1)
        + "</channel><channel><title>Two</title>" + ITEM.format(n=2) + "</channel></rss>"
    ),
    "an item inside an unknown element": (
        '<rss version="2.0"><channel><title>News</title><wrap>' + ITEM.format(n=1)
        + "</wrap>" + ITEM.format(n=2) + "</channel></rss>"
    ),
    "no items": '<rss version="2.0"><channel><title>Quiet</title><ttl>60</ttl></channel></rss>',
}  # fmt: skip


@pytest.mark.parametrize("body", STREAMED.values(), ids=STREAMED.keys())
def test_fast_path_reads_entries_as_they_stream_in_document_order(body):
    fast, slow = both_paths(body.encode(), {"content-type": "application/rss+xml"})
    assert fast is not None, "the fast path should take this document"
    assert stored_form(fast) == stored_form(slow)


def test_a_channel_inside_an_atom_feed_is_left_to_feedparser_even_after_entries():
    body = atom([{"id": "1", "title": "One", "link": "https://news.example/1"}]).replace(
        b"</feed>", b"<channel><title>Odd</title></channel></feed>"
    )
    with pytest.raises(NotConfident, match="nested channel"):
        parse_fast.parse(body, {"content-type": "application/atom+xml"})


def test_a_document_cut_off_after_some_entries_is_left_to_feedparser():
    body = rss([item(n) for n in range(5)])
    with pytest.raises(NotConfident, match="not well-formed"):
        parse_fast.parse(body[: len(body) * 2 // 3], {"content-type": "application/rss+xml"})
