"""A page of article cards rendered once and kept as HTML, with only their times left open.

A story's first page of cards in each tab is kept with its digest (web/digest.py): the
cards' HTML changes only when the story does, but each card says how long ago its
article came out, which changes with the clock. The cards are rendered with markers
where the times go, and each view puts the times in.
"""

from dataclasses import dataclass
from datetime import datetime

from django.template import engines
from markupsafe import Markup

from .templatetags.newsroom_site import relative_time

CARDS_TEMPLATE = "web/_article_cards.html"
MARK = "\x00"  # where a time goes; checked to be nowhere else


@dataclass(frozen=True)
class RenderedCards:
    """Card HTML in pieces, and the moment to show between each piece and the next."""

    pieces: list[str]
    moments: list[datetime | None]

    def html(self) -> Markup:
        parts = [self.pieces[0]]
        for moment, piece in zip(self.moments, self.pieces[1:], strict=True):
            parts.append(relative_time(moment))
            parts.append(piece)
        return Markup("".join(parts))  # noqa: S704 - our own template's output and relative_time's


def _macro():
    return engines["jinja2"].env.get_template(CARDS_TEMPLATE).module.article_cards


def cards_html(cards, empty: str) -> Markup:
    """The cards as article_cards renders them, times and all."""
    return Markup(_macro()(cards, empty))  # noqa: S704 - our own template's output


def render_cards(cards, empty: str) -> RenderedCards | None:
    """The cards as article_cards renders them, their times left open; None if a NUL
    character came in with a card's text (they are then rendered on each view)."""
    moments = []

    def later(moment):
        moments.append(moment)
        return Markup(MARK)  # noqa: S704 - a constant

    pieces = str(_macro()(cards, empty, time=later)).split(MARK)
    if len(pieces) != len(moments) + 1:
        return None
    return RenderedCards(pieces, moments)
