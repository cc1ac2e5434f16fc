"""Decode untrusted image bytes with Pillow and re-encode them as a small, clean picture.

Whatever arrives (a feed's picture, an uploaded logo) is only ever shown as our own re-encode:
pixels are decoded and written out afresh, so metadata, trailing bytes and anything a file
smuggles besides its pixels (a GIF that is also a script, a JPEG followed by HTML) are gone.

Safety, in order: only JPEG, PNG, GIF and WebP are identified at all (no SVG, no HTML, no
exotic plugin); the dimensions in the header are checked before a single pixel is decoded, so
a small file claiming 50000×50000 pixels (a decompression bomb) costs nothing; JPEGs decode at
a reduced scale when that suffices; a truncated or damaged file fails the decode; an animation
gives its first frame.
"""

import hashlib
import io

from django.conf import settings
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
THUMBNAIL_SIZE = (320, 180)  # 16:9, what the cards and teasers reserve
LOGO_SIZE = (128, 128)
MIN_SIDE = 50  # tracking pixels and spacers are not pictures

# Pillow's own guard, as a backstop to the explicit check below: past twice this, open() raises.
Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS


class ImageRejected(Exception):
    """The bytes are not a picture we show; ``reason`` says why in an editor's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def thumbnail_webp(data: bytes) -> bytes:
    """A THUMBNAIL_SIZE WebP of the picture in data, centre-cropped to its aspect ratio."""
    picture = _decode(data, draft_to=THUMBNAIL_SIZE)
    return _encode(_fit(_flatten(picture, "RGB"), THUMBNAIL_SIZE), "WEBP", quality=80)


def logo_png(data: bytes) -> bytes:
    """A LOGO_SIZE square PNG of the picture in data, centre-cropped, transparency kept."""
    picture = _decode(data, draft_to=LOGO_SIZE)
    return _encode(_fit(picture.convert("RGBA"), LOGO_SIZE), "PNG", optimize=True)


def content_name(folder: str, data: bytes, extension: str) -> str:
    """A storage name made from the content's hash: equal pictures share one file, and a
    name never changes meaning, so browsers may cache it for good."""
    digest = hashlib.sha256(data).hexdigest()[:32]
    return f"{folder}/{digest[:2]}/{digest}.{extension}"


def _decode(data: bytes, *, draft_to: tuple[int, int]) -> Image.Image:
    """The picture in data, decoded, upright; ImageRejected for anything else. Of an
    animation, open() gives the first frame, and only that one is decoded."""
    try:
        picture = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # UnidentifiedImageError, or a plugin choking on a bad header
        raise ImageRejected("The file is not a JPEG, PNG, GIF or WebP image.") from exc
    width, height = picture.size
    if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(f"The image is too small to show ({width}×{height} pixels).")
    try:
        # Twice the target: enough for a sharp downscale, and a JPEG decodes far less.
        picture.draft("RGB", (draft_to[0] * 2, draft_to[1] * 2))
        picture.load()
        return ImageOps.exif_transpose(picture)
    except Exception as exc:  # Pillow's decoders raise assorted errors on damaged data
        raise ImageRejected("The image is truncated or damaged.") from exc


def _too_many_pixels(width: int = 0, height: int = 0) -> ImageRejected:
    size = f" ({width}×{height})" if width else ""
    limit = settings.NEWSROOM_IMAGE_MAX_PIXELS
    return ImageRejected(f"The image has too many pixels{size}; the limit is {limit:,}.")


def _flatten(picture: Image.Image, mode: str) -> Image.Image:
    """picture in mode, transparent parts on white (not on black, as a plain convert does)."""
    if picture.mode in ("RGBA", "LA", "P", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(background, rgba).convert(mode)
    return picture.convert(mode)


def _fit(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """picture centre-cropped to the aspect ratio of size, and resized to it."""
    width, height = picture.size
    ratio = size[0] / size[1]
    if width / height > ratio:  # wider: the sides go
        kept = height * ratio
        box = ((width - kept) / 2, 0, (width + kept) / 2, height)
    else:  # taller: the top and bottom go
        kept = width / ratio
        box = (0, (height - kept) / 2, width, (height + kept) / 2)
    # reducing_gap: a fast integer downscale first, then LANCZOS over the last factor of 3
    return picture.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _encode(picture: Image.Image, fmt: str, **options) -> bytes:
    # Rebuilt from raw pixels: no EXIF, ICC profile, comment or other metadata rides along.
    clean = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return out.getvalue()
