"""An outlet without a logo is shown by a monogram: its initials on a colour of its own."""

import re
import zlib
from typing import NamedTuple

# How many colours static/css/site.css defines as .monogram-0 to .monogram-7 (a class rather
# than a style attribute: the Content-Security-Policy allows no inline styles).
COLOURS = 8


class Monogram(NamedTuple):
    initials: str
    colour: int  # 0 to COLOURS - 1


def monogram(name: str) -> Monogram:
    """The first letters of the name's first two words, and a colour that only the name
    decides, so an outlet looks the same on every page and every machine."""
    words = re.findall(r"\w+", name)
    initials = "".join(word[0] for word in words[:2]).upper() or "?"
    return Monogram(initials, zlib.crc32(name.encode()) % COLOURS)
