"""Template tags for the site's own pictures: thumbnails, outlet logos and monograms.

Tags rather than includes: lists render one per card, and an include costs more than a card.
"""

from django import template
from django.utils.html import format_html

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
    size = " outlet-mark-large" if pixels > MARK_PIXELS else ""
    if mark.logo_url:
        return format_html(
            '<img class="outlet-logo{}" src="{}" width="{}" height="{}" loading="lazy" alt="">',
            size,
            mark.logo_url,
            pixels,
            pixels,
        )
    return format_html(
        '<span class="monogram monogram-{}{}" aria-hidden="true">{}</span>',
        mark.colour,
        size,
        mark.initials,
    )
