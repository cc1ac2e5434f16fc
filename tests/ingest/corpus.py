"""The shared feedparser corpus: where it is, its files, and the response headers each asks for."""

import codecs
import re
from pathlib import Path

from django.conf import settings

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "feedparser"
MISSING = f"the shared feed corpus is not at {CORPUS}; these tests read it from there"
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
