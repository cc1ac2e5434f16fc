"""Template tags for the site's own pictures: thumbnails, outlet logos and monograms.

Tags rather than includes: lists render one per card, and an include costs more than a card.
"""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sources.images import THUMBNAIL_SIZE

register = template.Library()

MARK_PIXELS = 24  # the logo's side as shown; it is stored larger, for dense screens


@register.simple_tag
def thumbnail(url: str, css_class: str = "card-thumbnail"):
    """A lazily loaded thumbnail with its size reserved. Its alt text is empty: the headline
    beside it says what it shows."""
    if not url:
        return ""
    width, height = THUMBNAIL_SIZE
    return format_html(
        '<img class="{}" src="{}" width="{}" height="{}" loading="lazy" decoding="async" alt="">',
        css_class,
        url,
        width,
        height,
    )


@register.simple_tag
def outlet_mark(mark, pixels: int = MARK_PIXELS):
    """The outlet's logo, else its monogram; decorative, as the outlet's name is beside it.
    Larger than MARK_PIXELS, both carry the class "outlet-mark-large"."""
    if mark is None:
        return ""
    # Written out rather than built with format_html: forty cards a page call it.
    size = " outlet-mark-large" if pixels > MARK_PIXELS else ""
    if mark.logo_url:
        return mark_safe(  # noqa: S308 - the one string from outside is escaped
            f'<img class="outlet-logo{size}" src="{escape(mark.logo_url)}" width="{pixels:d}" '
            f'height="{pixels:d}" loading="lazy" alt="">'
        )
    return mark_safe(  # noqa: S308 - the one string from outside is escaped
        f'<span class="monogram monogram-{mark.colour:d}{size}" aria-hidden="true">'
        f"{escape(mark.initials)}</span>"
    )
