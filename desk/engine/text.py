"""Headline and summary text turned into the terms the engine compares.

Words are case-folded, stop words dropped and English words stemmed, so "Airlines"
and "airline" meet. Scripts written without spaces (Chinese, Japanese, Thai) have no
words to split on, so their runs become overlapping character pairs, which match
across headlines about as well as words do.
"""

import re
import unicodedata

import snowballstemmer

# \w in Python's re is Unicode-aware: Arabic, Cyrillic, Greek and Devanagari words come
# out whole, accents included.
WORD = re.compile(r"\w+")
# Runs of these scripts carry no spaces between words.
UNSPACED = re.compile(
    r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
)
STOP_TEXT = """a about after again against all also an and any are as at be been before being but by
    can could did do does during each few for from had has have he her here hers him his how
    i if in into is it its just me more most my no nor not now of off on once only or other
    our out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your s t d ll m re ve"""
STOP_WORDS = frozenset(STOP_TEXT.split())
# A word's stem is computed once; the memo is cleared when it grows past this many words,
# so a long-running process keeps bounded memory whatever vocabulary passes through it.
STEM_MEMO_LIMIT = 200_000

_stemmer = snowballstemmer.stemmer("english")
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The English stem of a case-folded word (other scripts come back unchanged)."""
    found = _stems.get(word)
    if found is None:
        if len(_stems) >= STEM_MEMO_LIMIT:
            _stems.clear()
        found = _stems[word] = _stemmer.stemWord(word) if word.isascii() else word
    return found


def _terms_of_word(word: str) -> list[str]:
    """Character pairs for a run of an unspaced script, else the word's stem (or nothing)."""
    folded = word.casefold()
    if UNSPACED.search(folded):
        return [folded[i : i + 2] for i in range(max(len(folded) - 1, 1))]
    if folded in STOP_WORDS or (len(folded) < 2 and folded.isascii()):
        return []
    return [stem(folded)]


def terms(text: str) -> dict[str, str]:
    """Each distinct term of the text, mapped to the first word that produced it (as
    written, so reasons can quote it)."""
    found: dict[str, str] = {}
    for match in WORD.finditer(unicodedata.normalize("NFKC", text)):
        word = match.group()
        for term in _terms_of_word(word):
            # A character pair is quoted as itself, a stem as the word it came from.
            found.setdefault(term, term if UNSPACED.search(term) else word)
    return found
