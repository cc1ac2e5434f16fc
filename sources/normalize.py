"""Turn a feed's entry into what an Article stores: canonical URL, plain text, UTC."""

import calendar
import html
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import nh3

TITLE_MAX = 1000  # Article.title's max_length
SUMMARY_MAX = 2000
AUTHOR_MAX = 300
URL_MAX = 2048
GUID_MAX = 1024

# Query parameters that identify a campaign or a click, never the article itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "ref_url",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "wt.mc_id",
        "at_medium",
        "at_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}

# A tag that ends a block of text: it becomes a space, so "<p>one</p><p>two</p>" reads "one two".
# (The pattern starts with a literal "<" outside the case-insensitive group: much faster.)
_BLOCK_TAG = re.compile(
    r"<(?=/?(?i:p|br|div|li|ul|ol|dd|dt|dl|h[1-6]|tr|td|th|table|blockquote|pre|hr|"
    r"section|article|header|footer|figure|figcaption|img)\b)"
)
_SPACE = re.compile(r"\s")
_EMAIL = re.compile(r"(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+")
_EMAIL_IN_BRACKETS = re.compile(r"[(<]\s*(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+\s*[)>]")
_EMAIL_THEN_NAME = re.compile(r"(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+\s*\((.+)\)")
# C0 controls (PostgreSQL refuses NUL), DEL, and lone surrogates from numeric character references.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class RawEntry:
    """An entry as a parser read it, before normalisation; both parsers produce these."""

    link: str | None
    guid: str | None
    title: str | None
    summary: str | None
    author: str | None
    image: str | None
    published: time.struct_time | None  # UTC, feedparser's convention


@dataclass(frozen=True)
class Entry:
    """An entry ready to store as an Article."""

    url: str
    guid: str
    title: str
    summary: str
    author: str
    image_url: str
    published_at: datetime | None  # None: the feed gave no usable date; arrival time is used


def normalize_entry(raw: RawEntry, *, now: datetime) -> Entry | None:
    """The Entry for raw, or None when it has no usable http(s) link."""
    url = canonical_url(raw.link or "")
    if url is None:
        return None
    summary = clean_text(raw.summary, SUMMARY_MAX)
    title = clean_text(raw.title, TITLE_MAX) or _untitled(summary, url)
    return Entry(
        url=url,
        guid=_unstorable_removed(raw.guid or "").strip()[:GUID_MAX],
        title=title,
        summary=summary,
        author=author_name(raw.author),
        image_url=_image_url(raw.image),
        published_at=published_at(raw.published, now=now),
    )


def canonical_url(url: str) -> str | None:
    """url without tracking parameters or fragment, scheme and host lower-cased; None if unusable.

    Only absolute http(s) URLs with a host are usable. The remaining query parameters keep
    their order and their original encoding.
    """
    url = _unstorable_removed(url).strip().replace(" ", "%20")
    if not url or _SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    query = parts.query
    if query:
        query = "&".join(p for p in query.split("&") if p and not _is_tracking(p))
    canonical = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    return canonical if len(canonical) <= URL_MAX else None


def _is_tracking(param: str) -> bool:
    name = param.partition("=")[0]
    if "%" in name or "+" in name:
        name = unquote_plus(name)
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def clean_text(value: str | None, max_length: int) -> str:
    """Plain text: every tag removed (script and style with their content), entities decoded,
    whitespace collapsed, cut to max_length with an ellipsis."""
    if not value:
        return ""
    text = value
    # Escaped markup ("&lt;b&gt;") is markup too once decoded: repeat until nothing changes.
    for _round in range(4):
        if "<" not in text and "&" not in text:
            break
        cleaned = html.unescape(nh3.clean(_BLOCK_TAG.sub(" <", text), tags=set()))
        if cleaned == text:
            break
        text = cleaned
    text = " ".join(_unstorable_removed(text).split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def author_name(value: str | None) -> str:
    """The author's name without an e-mail address: "jo@x.org (Jo Bloggs)", "Jo Bloggs
    <jo@x.org>" and feedparser's "Jo Bloggs (jo@x.org)" all become "Jo Bloggs"."""
    text = clean_text(_EMAIL_IN_BRACKETS.sub(" ", value or ""), AUTHOR_MAX)
    match = _EMAIL_THEN_NAME.fullmatch(text)
    if match:
        return match.group(1).strip()
    return "" if _EMAIL.fullmatch(text) else text.replace(" ,", ",").strip()


def _unstorable_removed(text: str) -> str:
    return _UNSTORABLE.sub("", text)


def _untitled(summary: str, url: str) -> str:
    """A headline for an entry that has none: the start of its summary, else its URL."""
    if summary:
        return summary if len(summary) <= 120 else summary[:119].rstrip() + "…"
    return url[:TITLE_MAX]


def _image_url(image: str | None) -> str:
    image = (image or "").strip()
    if len(image) > URL_MAX or not image.lower().startswith(("http://", "https://")):
        return ""
    try:
        return image if urlsplit(image).hostname else ""
    except ValueError:
        return ""


def published_at(parsed: time.struct_time | None, *, now: datetime) -> datetime | None:
    """The entry's time in UTC; None when missing, invalid or in the future (arrival time then)."""
    if not parsed:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    return None if moment > now else moment
