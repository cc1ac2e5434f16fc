"""The page around the main content for readers who all get the same one, rendered once.

An anonymous reader with no message waiting gets the same header and footer on every
page of one name (only the current page's link in the menu differs from name to
name): the layout is rendered once per layout, page name and process with markers
where the title and the main content go, and each page is the pieces joined around
its own. Changed settings (in tests) drop the pieces.
"""

from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

TITLE = "\x00title\x00"
MAIN = "\x00main\x00"

_pieces: dict[tuple[str, str | None], tuple[str, str, str] | None] = {}


def shared_page(request, *, layout: str, title: str, main: str) -> str:
    """The layout around `main` (already safe HTML) with `title`, as render_to_string gives it."""
    match = request.resolver_match
    key = (layout, match.url_name if match else None)
    if key not in _pieces:
        _pieces[key] = _split(
            render_to_string(layout, {"title": TITLE, "main": mark_safe(MAIN)}, request)  # noqa: S308
        )
    pieces = _pieces[key]
    if pieces is None:  # a layout that shows the title more than once, or not at all
        context = {"title": title, "main": mark_safe(main)}  # noqa: S308 - the caller's own HTML
        return render_to_string(layout, context, request)
    before, between, after = pieces
    return before + conditional_escape(title) + between + main + after


def _split(html: str) -> tuple[str, str, str] | None:
    if html.count(TITLE) != 1 or html.count(MAIN) != 1 or html.index(TITLE) > html.index(MAIN):
        return None
    before, rest = html.split(TITLE)
    between, after = rest.split(MAIN)
    return before, between, after


def _forget(**kwargs) -> None:
    _pieces.clear()


setting_changed.connect(_forget, dispatch_uid="web-shell-settings")
