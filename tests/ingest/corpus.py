"""The shared feedparser corpus: where it is, its files, and the response headers each asks for.

Without the corpus the tests that read it do not vanish: they are collected as one
placeholder each (`or_missing`), which `require` skips locally and fails under CI.
"""

import codecs
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.prerequisites import missing

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "feedparser"
_HEADER = re.compile(r"^Header:\s*([\w-]+)\s*:\s*(.*?)\s*$", re.MULTILINE)
_WIDE = {
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF32_LE: "utf-32-le",
    b"\x00\x00\x00<": "utf-32-be",
    b"<\x00\x00\x00": "utf-32-le",
}


def folders() -> list[str]:
    """Every folder holding corpus files, relative to the corpus root, sorted."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        str(path.relative_to(CORPUS)) for path in {file.parent for file in CORPUS.rglob("*.xml")}
    )


def files(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*.xml"))


def or_missing(params: list, *rest) -> list:
    """params for a corpus test, or without the corpus one placeholder whose folder is None.

    rest: the placeholder's other parameter values. The placeholder test runs, and
    its `require(None)` reports the missing corpus.
    """
    return params or [pytest.param(None, *rest, id="corpus-missing")]


def require(folder: str | None) -> list[Path]:
    """The corpus files of folder; none (or the placeholder's None) skip, or fail under CI."""
    found = files(folder) if folder is not None else []
    if not found:
        where = CORPUS if folder is None else CORPUS / folder
        missing(f"no feed documents for this test at {where}: it reads the shared corpus there")
    return found


def headers_of(document: bytes) -> dict[str, str]:
    """The `Header:` lines of the document's leading comment, as lower-cased response headers."""
    head = _readable(document[:4096])
    comment = head.split("-->", 1)[0]
    return {name.lower(): value for name, value in _HEADER.findall(comment)}


def _readable(head: bytes) -> str:
    encoding = _WIDE.get(head[:4])
    if encoding is None and head[:2] in (codecs.BOM_UTF16_BE, b"\x00<"):
        encoding = "utf-16-be"
    if encoding is None and head[:2] in (codecs.BOM_UTF16_LE, b"<\x00"):
        encoding = "utf-16-le"
    return head.decode(encoding or "latin-1", "replace")
