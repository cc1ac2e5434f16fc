"""When two articles are copies of one text: a wire story or a syndicated repost that
several outlets carry under the same headline and summary.

The rule is an equality of keys, not a pairwise likeness score: syndicated copies carry
the wire text verbatim, so once the small edits outlets do make are normalised away (case,
punctuation, spacing, a trailing "- Reuters" or "| Outlet News"), copies have equal keys.
An equal key groups by an indexed column (a GROUP BY), where a likeness score would
compare every pair of a story's articles. Which copy stands for the others in a story is
kept on its link (StoryArticle.lead, stories/counters.py).
"""

import hashlib
import re
import unicodedata

from django.db.models import Min

# The summary's first words are compared: outlets cut a wire summary at different lengths.
SUMMARY_WORDS = 30
# A last " - Reuters", " | Example News" or " — AP" segment of at most this many words, and
# no digits, is an outlet's or agency's credit, not part of the headline ("- day 3" is not).
CREDIT_WORDS = 4

_CREDIT = re.compile(r"\s+[-|–—]\s+(?P<credit>[^-|–—]+)$")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of text, compatibility-normalised and case-folded, without punctuation.
    Letters of any script count as words."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def headline_words(title: str) -> list[str]:
    """The words of a headline without a trailing credit of an outlet or agency."""
    title = unicodedata.normalize("NFKC", title).strip()
    credit = _CREDIT.search(title)
    if (
        credit
        and len(words(credit["credit"])) <= CREDIT_WORDS
        and not any(c.isdigit() for c in credit["credit"])
    ):
        title = title[: credit.start()]
    return words(title)


def copy_key(title: str, summary: str) -> str | None:
    """The key shared by copies of one text (40 hex digits), or None when the headline has
    no words: articles without a headline are never taken for copies of each other."""
    headline = headline_words(title)
    if not headline:
        return None
    text = " ".join(headline) + "\n" + " ".join(words(summary)[:SUMMARY_WORDS])
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def outlets_of_copies(articles, keys) -> dict[str, list[dict]]:
    """The outlets that published each copy key among articles, by key, in one query: for
    each outlet its name, slug, id and the address of one of its copies. One row per key
    and outlet, so the rows are bounded by the outlets, however many copies there are."""
    rows = (
        articles.filter(copy_key__in=keys)
        .values("copy_key", "source_id", "source__name", "source__slug")
        .annotate(url=Min("url"))
        .order_by("copy_key", "source__name", "source_id")
    )
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["copy_key"], []).append(row)
    return found
