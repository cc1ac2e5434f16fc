"""Template helpers for the public pages: bias bars, safe outbound links, times, query strings.

The Jinja2 templates (web/jinja2_env.py) call the same functions.
"""

import html
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from django import template
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter, naturaltime
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language

from sources.ratings import BUCKET_LABELS, BUCKETS, NOT_RATED, UNRATED

register = template.Library()

# Query parameters left out of links when they hold their default.
DEFAULTS = {"bias": "all", "side": "all", "page": 1}


@register.filter
def outbound(url: str) -> str:
    """The URL if it is http(s), else "": a feed can never smuggle in javascript: links."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


@register.filter
def width_class(percentage) -> str:
    """A CSS class such as "w-41": widths without inline styles, which the CSP forbids."""
    try:
        value = int(percentage)
    except (TypeError, ValueError):
        value = 0
    return f"w-{min(max(value, 0), 100)}"


@register.filter
def bias_class(bucket: str | None) -> str:
    return f"bias-{bucket or UNRATED}"


@register.simple_tag
def query(**params) -> str:
    """A query string such as "?bias=left&page=2" without default values ("" if none left).

    Links put the page's path in front, so an empty one still resets every parameter.
    """
    kept = {key: value for key, value in params.items() if value and DEFAULTS.get(key) != value}
    return "?" + urlencode(kept) if kept else ""


@register.simple_tag
def not_rated(scale: str = "") -> str:
    """The one wording for an outlet without a rating, e.g. "Not rated" or, where the panel
    does not say which scale, "Not rated for bias"."""
    return f"{NOT_RATED} for {scale}" if scale else NOT_RATED


@register.simple_tag
def relative_time(moment):
    """<time> with the relative text; static/js/relative-time.js keeps it current.

    Forty cards a page call it: it is written out rather than built with format_html. Its
    parts need no escaping but the words, which come from translations.
    """
    if moment is None:
        return ""
    utc = moment.astimezone(UTC)
    words = html.escape(natural_time(moment, datetime.now(UTC)))
    return mark_safe(  # noqa: S308 - dates from datetime, words escaped
        f'<time datetime="{utc.isoformat()}" title="{utc:%d %b %Y, %H:%M UTC}" '
        f"data-relative>{words}</time>"
    )


# The words of past moments, translated once per language and key: (language, kind, count)
# within the past day, at most 145 a language; (language, days, hours) for the past four
# weeks, at most 648 a language.
_PAST_WORDS: dict[tuple, str] = {}
# Within four weeks, timesince counts no months, so its words follow from the days and
# hours alone (two adjacent units: weeks and days, or days and hours; never minutes).
_COUNTED_DAYS = 28


def natural_time(moment, now) -> str:
    """What humanize's naturaltime says of `moment` at `now`: its words for the past four
    weeks (now, seconds, minutes, hours, or days and weeks ago), translated once per
    language and count; other moments (months ago, or to come) as naturaltime words them."""
    delta = now - moment
    if 0 < delta.days < _COUNTED_DAYS:
        key = (get_language(), delta.days, delta.seconds // 3600)
        words = _PAST_WORDS.get(key)
        if words is None:
            # As NaturalTimeFormatter words it, against the same `now`.
            since = timesince(moment, now, time_strings=NaturalTimeFormatter.past_substrings)
            words = _PAST_WORDS[key] = str(
                NaturalTimeFormatter.time_strings["past-day"] % {"delta": since}
            )
        return words
    if delta.days != 0:  # months ago, or to come
        return str(naturaltime(moment))
    seconds = delta.seconds
    if seconds == 0:
        kind, count = "now", 0
    elif seconds < 60:
        kind, count = "past-second", seconds
    elif seconds < 60 * 60:
        kind, count = "past-minute", seconds // 60
    else:
        kind, count = "past-hour", seconds // (60 * 60)
    key = (get_language(), kind, count)
    words = _PAST_WORDS.get(key)
    if words is None:
        phrase = NaturalTimeFormatter.time_strings[kind]
        words = _PAST_WORDS[key] = str(phrase if kind == "now" else phrase % {"count": count})
    return words


@register.simple_tag
def bias_bar(split, compact=False, element_id=""):
    """The left/center/right bar, with percentages in text as well as in colour.

    Its markup is one Jinja2 template (web/jinja2/web/_bias_bar.html), for the pages of
    both template engines.
    """
    percentages = split.percentages
    segments = [
        {
            "bucket": bucket,
            "label": BUCKET_LABELS[bucket],
            "percentage": percentages[bucket],
            "count": getattr(split, bucket),
        }
        for bucket in BUCKETS
    ]
    context = {"split": split, "segments": segments, "compact": compact, "element_id": element_id}
    return _partial("web/_bias_bar.html", context)


@register.simple_tag
def pagination(page_obj, *, base: str, anchor: str = "", bias: str = "", side: str = ""):
    """Previous and next links under a page of a list at the path `base`, keeping its filters.

    Its markup is one Jinja2 template (web/jinja2/web/_pagination.html), for the pages of
    both template engines.
    """
    context = {"page_obj": page_obj, "base": base, "anchor": anchor, "bias": bias, "side": side}
    return _partial("web/_pagination.html", context)


def _partial(template_name: str, context: dict) -> SafeString:
    # The output of an autoescaping template.
    return mark_safe(render_to_string(template_name, context))  # noqa: S308
