"""Normalising entries: canonical URLs, plain text, authors, dates."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from sources.normalize import (
    RawEntry,
    author_name,
    canonical_url,
    clean_text,
    normalize_entry,
    published_at,
)

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def raw(**fields) -> RawEntry:
    values = {"link": "https://news.example/a", "guid": "g", "title": "T", "summary": "S"}
    values |= {"author": "A", "image": None, "published": None}
    return RawEntry(**(values | fields))


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://news.example/a?utm_source=rss&utm_medium=x", "https://news.example/a"),
        (
            "https://news.example/a?id=3&fbclid=F&gclid=G&page=2",
            "https://news.example/a?id=3&page=2",
        ),
        ("https://news.example/a?mc_cid=1&mc_eid=2&igshid=3&ref_src=tw", "https://news.example/a"),
        ("https://news.example/a?UTM_Campaign=x&b=1", "https://news.example/a?b=1"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("HTTPS://News.Example/Path/Case", "https://news.example/Path/Case"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example/a?z=1&a=2&q=%C3%A9+x", "https://news.example/a?z=1&a=2&q=%C3%A9+x"),
        ("  https://news.example/a b  ", "https://news.example/a%20b"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "mailto:desk@news.example",
        "ftp://news.example/a",
        "/relative/path",
        "https:///no-host",
        "https://news.example:99999/bad-port",
        "https://news.example/" + "a" * 2100,
        "https://news.example/tab\there",
        "",
    ],
)
def test_unusable_urls_give_none(url):
    assert canonical_url(url) is None


def test_clean_text_removes_every_tag_and_script_content():
    html = '<p onclick="x()">Bridge <b>vote</b><script>alert(1)</script><style>p{}</style></p>'
    assert clean_text(html, 100) == "Bridge vote"


def test_clean_text_removes_escaped_markup_too():
    assert clean_text("&lt;script&gt;alert(1)&lt;/script&gt;Safe &lt;b&gt;text&lt;/b&gt;", 100) == (
        "Safe text"
    )


def test_clean_text_decodes_entities_and_keeps_plain_angle_brackets():
    assert clean_text("AT&amp;T &eacute;t&#233; &#8217; 1 &lt; 2", 100) == "AT&T été ’ 1 < 2"


def test_clean_text_separates_blocks_and_collapses_whitespace():
    assert clean_text("<p>One</p><p>Two<br>three</p>\n\t <li>four</li>", 100) == (
        "One Two three four"
    )


def test_clean_text_caps_length_with_an_ellipsis():
    assert clean_text("word " * 100, 20) == "word word word word…"


def test_clean_text_drops_characters_a_database_cannot_store():
    assert clean_text("a\x00b\x08c\ud800d", 10) == "abcd"


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("desk@news.example (City Desk)", "City Desk"),
        ("City Desk <desk@news.example>", "City Desk"),
        ("City Desk (desk@news.example)", "City Desk"),
        ("desk@news.example", ""),
        ("<b>Ana</b> Reporter", "Ana Reporter"),
        (None, ""),
    ],
)
def test_author_name_leaves_out_email_addresses(author, name):
    assert author_name(author) == name


def test_published_time_is_utc():
    parsed = time.strptime("2030-05-31 22:30:00", "%Y-%m-%d %H:%M:%S")
    assert published_at(parsed, now=NOW) == datetime(2030, 5, 31, 22, 30, tzinfo=UTC)


def test_future_or_missing_times_fall_back_to_arrival():
    tomorrow = (NOW + timedelta(days=1)).timetuple()
    assert published_at(tomorrow, now=NOW) is None
    assert published_at(None, now=NOW) is None


def test_entry_without_a_usable_link_is_skipped():
    assert normalize_entry(raw(link=None), now=NOW) is None
    assert normalize_entry(raw(link="javascript:void(0)"), now=NOW) is None


def test_entry_without_a_title_is_headed_by_its_summary():
    entry = normalize_entry(raw(title="", summary="<p>A storm closed the port.</p>"), now=NOW)
    assert entry.title == "A storm closed the port."


def test_entry_without_title_or_summary_is_headed_by_its_url():
    assert normalize_entry(raw(title=None, summary=None), now=NOW).title == "https://news.example/a"


@pytest.mark.parametrize(
    ("image", "stored"),
    [
        ("https://cdn.news.example/1.jpg", "https://cdn.news.example/1.jpg"),
        ("/relative.jpg", ""),
        ("javascript:alert(1)", ""),
        ("data:image/png;base64,AAAA", ""),
    ],
)
def test_only_absolute_http_images_are_kept(image, stored):
    assert normalize_entry(raw(image=image), now=NOW).image_url == stored
