"""Feed documents for tests, written out the way real outlets publish them; what was stored."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from sources.models import Article

# The fields of an article that ingestion writes from a feed entry.
STORED = ["url", "guid", "title", "summary", "author", "image_url", "published_at", "updated_at"]

# Entry n was published n + 1 hours before this, so every date is in the past.
NOW = datetime.now(UTC).replace(microsecond=0)


def published(n: int) -> datetime:
    return NOW - timedelta(hours=n + 1)


def item(n: int, **fields) -> dict:
    """An RSS item with realistic fields; pass a field as None to leave it out."""
    values = {
        "title": f"Council votes on harbour bridge, part {n}",
        "link": f"https://news.example/2030/bridge-{n}?utm_source=rss&utm_medium=feed",
        "guid": f"https://news.example/?p={n}",
        "description": f"<p>The council met on <b>Tuesday</b> to discuss part {n}.</p>",
        "pubDate": format_datetime(published(n), usegmt=True),
        "author": "desk@news.example (City Desk)",
    }
    values.update(fields)
    return values


def rss(items: list[dict], *, title: str = "News Example", extra: str = "") -> bytes:
    """An RSS 2.0 document; values are escaped, so HTML in a description arrives as text."""
    parts = []
    for fields in items:
        elements = "".join(
            f"<{name}>{escape(str(value))}</{name}>"
            for name, value in fields.items()
            if value is not None and not name.startswith("_")
        )
        parts.append(f"<item>{elements}{fields.get('_raw', '')}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{escape(title)}</title><link>https://news.example/</link>{extra}"
        f"{''.join(parts)}</channel></rss>"
    ).encode()


def atom(entries: list[dict], *, title: str = "Atom Example") -> bytes:
    """An Atom 1.0 document; each entry dict has id, title, link, summary, updated, author."""
    parts = []
    for e in entries:
        parts.append(
            "<entry>"
            f'<id>{escape(e["id"])}</id><title type="html">{escape(e["title"])}</title>'
            f'<link rel="alternate" type="text/html" href="{escape(e["link"])}"/>'
            f'<summary type="html">{escape(e.get("summary", ""))}</summary>'
            f"<updated>{e.get('updated', published(0).isoformat())}</updated>"
            f"<author><name>{escape(e.get('author', 'A. Writer'))}</name></author>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:example:feed</id>"
        f"<updated>{published(0).isoformat()}</updated>{''.join(parts)}</feed>"
    ).encode()


# -- generated documents: random mixes of the elements the two parsers must agree on ----------

_TEXTS = [
    *("Plain title", "", "  spaced  ", "AT&amp;T &lt;b&gt;bold&lt;/b&gt;", "1 &lt; 2"),
    *("caf\u00e9 \u00c3\u00a9", "\u0093quoted\u0094", "<![CDATA[<p>cdata <i>x</i></p>]]>"),
    *("&lt;p&gt;one&lt;/p&gt;&lt;p&gt;two&lt;/p&gt;", "jo@x.org (Jo)", "Jo &lt;jo@x.org&gt;"),
    *("&#8217;smart&#8217;", "a &amp;amp; b", "\u65e5\u672c"),
]
_LINKS = [
    *("https://ex.com/a?x=1&amp;y=2", "/rel/path", "rel2", "", "  https://ex.com/b  "),
    *("http://EX.com:80/c#frag", "https:///ex.com/d", "javascript:alert(1)"),
    "https://ex.com/a?b&amp;c;=d",
]
_DATES = [
    *("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z", "10 Jun 2003", "garbage", ""),
    *("Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T04:00:00.5-05:00"),
    "Thu, 01 Jan 2004 19:48:21 EST",
]
_NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:foo="http://foo.example/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
)


def random_feed(rng) -> bytes:
    """An RSS or Atom document whose entries mix elements in random order and number."""

    def text():
        return rng.choice(_TEXTS)

    def link():
        return rng.choice(_LINKS)

    def date():
        return rng.choice(_DATES)

    rss_parts = [
        lambda: f"<title>{text()}</title>",
        lambda: f"<dc:title>{text()}</dc:title>",
        lambda: f"<link>{link()}</link>",
        lambda: f"<guid>{link()}</guid>",
        lambda: f'<guid isPermaLink="false">{link()}</guid>',
        lambda: f"<description>{text()}</description>",
        lambda: f"<content:encoded>{text()}</content:encoded>",
        lambda: f"<itunes:summary>{text()}</itunes:summary>",
        lambda: f"<pubDate>{date()}</pubDate>",
        lambda: f"<dc:date>{date()}</dc:date>",
        lambda: f"<author>{text()}</author>",
        lambda: f"<dc:creator>{text()}</dc:creator>",
        lambda: f"<media:title>{text()}</media:title>",
        lambda: f"<media:description>{text()}</media:description>",
        lambda: f'<media:content url="{link()}" medium="{rng.choice(["image", "video"])}"/>',
        lambda: f'<media:thumbnail url="{link()}"/>',
        lambda: f"<media:thumbnail>{link()}</media:thumbnail>",
        lambda: f'<enclosure url="{link()}" type="{rng.choice(["image/png", "audio/mpeg"])}"/>',
        lambda: (
            f"<media:group><media:title>{text()}</media:title>"
            f'<media:content url="{link()}" medium="image"/></media:group>'
        ),
        lambda: f'<source url="http://s.example/">{text()}</source>',
        lambda: f"<category>{text()}</category><comments>{link()}</comments>",
        lambda: f"<foo:bar>{text()}</foo:bar>",
    ]
    atom_parts = [
        lambda: f"<title>{text()}</title>",
        lambda: f'<title type="html">{text()}</title>',
        lambda: f'<link href="{link()}"/>',
        lambda: (
            f'<link rel="alternate" type="{rng.choice(["text/html", "text/plain"])}" '
            f'href="{link()}"/>'
        ),
        lambda: f'<link rel="enclosure" type="image/jpeg" href="{link()}"/>',
        lambda: f'<link rel="{rng.choice(["self", "related", ""])}" href="{link()}"/>',
        lambda: f"<id>{rng.choice([*_LINKS, 'tag:x,2003:1'])}</id>",
        lambda: f"<summary>{text()}</summary>",
        lambda: f'<summary type="html">{text()}</summary>',
        lambda: f'<content type="{rng.choice(["text", "html"])}">{text()}</content>',
        lambda: f"<published>{date()}</published>",
        lambda: f"<updated>{date()}</updated>",
        lambda: f"<author><name>{text()}</name></author>",
        lambda: f"<author><name>{text()}</name><email>jo@x.org</email><uri>{link()}</uri></author>",
        lambda: f"<source><title>{text()}</title><id>urn:s</id></source>",
    ]

    def entry(tag, parts):
        chosen = [rng.choice(parts)() for _ in range(rng.randint(0, 9))]
        return f"<{tag}>{''.join(chosen)}</{tag}>"

    title = f"<title>{text()}</title>" if rng.random() < 0.8 else ""
    entries = rng.randint(1, 4)
    if rng.random() < 0.6:
        items = "".join(entry("item", rss_parts) for _ in range(entries))
        document = f'<rss version="2.0" {_NAMESPACES}><channel>{title}{items}</channel></rss>'
    else:
        items = "".join(entry("entry", atom_parts) for _ in range(entries))
        document = f'<feed xmlns="http://www.w3.org/2005/Atom" {_NAMESPACES}>{title}{items}</feed>'
    return ('<?xml version="1.0" encoding="utf-8"?>' + document).encode()


def stored_articles(feed) -> list[dict]:
    """What ingestion has stored from feed: the STORED fields of its articles, by URL."""
    return list(Article.objects.filter(feed=feed).order_by("url").values(*STORED))
