"""Outlet logos uploaded in the admin: only a clean re-encode is stored; bad uploads get a
clear form error, and one far over the size limit is never kept, in memory or on disk."""

import http.client
import io
import tracemalloc
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from PIL import Image

from newsroom.uploads import CappedUploadHandler
from sources.models import Source
from tests.factories import SourceFactory
from tests.pictures import (
    HTML_PAGE,
    SVG_WITH_SCRIPT,
    gif_javascript_polyglot,
    jpeg_with_exif,
    jpeg_with_trailing_html,
    picture,
    png_claiming,
)

from .helpers import errors_of, form_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload_logo(client, source, data: bytes, name: str = "logo.png"):
    """Post the outlet's change form as a browser would, with data as its logo."""
    url = reverse("admin:sources_source_change", args=[source.pk])
    fields = form_data(client.get(url), "source_form")
    return client.post(url, fields | {"logo": SimpleUploadedFile(name, data)})


def spaced(text: str) -> str:
    """text with the no-break spaces Django puts in file sizes ("2.0 MB") made plain."""
    return text.replace("\xa0", " ")


def stored_logo(source) -> bytes:
    source.refresh_from_db()
    with default_storage.open(source.logo.name) as file:
        return file.read()


def test_a_logo_is_stored_as_a_small_square_png(staff_client):
    source = SourceFactory()
    response = upload_logo(staff_client, source, picture("JPEG", (600, 300)), "logo.jpg")
    assert response.status_code == 302, errors_of(response)
    logo = Image.open(io.BytesIO(stored_logo(source)))
    assert (logo.format, logo.size) == ("PNG", (128, 128))
    assert source.logo.name.startswith("logos/") and source.logo.name.endswith(".png")


def test_a_logos_metadata_is_stripped(superuser_client):
    source = SourceFactory()
    upload_logo(superuser_client, source, jpeg_with_exif(), "logo.jpg")
    logo = Image.open(io.BytesIO(stored_logo(source)))
    assert dict(logo.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp"} & set(logo.info)


@pytest.mark.parametrize(
    "polyglot", [gif_javascript_polyglot, jpeg_with_trailing_html], ids=["gif-js", "jpeg-html"]
)
def test_a_polyglot_is_stored_as_a_clean_re_encode(superuser_client, polyglot):
    source = SourceFactory()
    response = upload_logo(superuser_client, source, polyglot(), "logo.gif")
    assert response.status_code == 302, errors_of(response)
    stored = stored_logo(source)
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"alert" not in stored and b"<script" not in stored and b"<html" not in stored


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (HTML_PAGE, "not a JPEG, PNG, GIF or WebP image"),
        (SVG_WITH_SCRIPT, "not a JPEG, PNG, GIF or WebP image"),
        (png_claiming(50_000, 50_000), "too many pixels"),
        (picture("PNG", (400, 400))[:300], "truncated or damaged"),
        (b"", "The submitted file is empty"),
    ],
    ids=["html", "svg-with-script", "decompression-bomb", "truncated", "empty"],
)
def test_a_bad_upload_gets_a_clear_form_error(superuser_client, data, error):
    source = SourceFactory()
    response = upload_logo(superuser_client, source, data)
    assert response.status_code == 200
    assert error in errors_of(response)
    source.refresh_from_db()
    assert source.logo.name == ""


def test_a_logo_over_the_size_limit_is_refused_before_decoding(superuser_client, monkeypatch):
    decoded = []
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: decoded.append(args))
    source = SourceFactory()
    response = upload_logo(superuser_client, source, b"\xff" * (3 * MB))
    assert "The logo is 3.0 MB; the limit is 2.0 MB." in spaced(errors_of(response))
    assert decoded == []


def test_an_upload_over_the_cap_is_let_go_as_it_arrives(rf):
    handler = CappedUploadHandler(rf.post("/"))
    handler.new_file("logo", "logo.png", "image/png", None)
    chunk = b"\0" * (64 * 1024)
    for start in range(0, 50 * MB, len(chunk)):
        assert handler.receive_data_chunk(chunk, start) is None
        if start > 2 * MB:
            assert handler.kept is None  # nothing held once past the cap
    upload = handler.file_complete(50 * MB)
    assert (upload.size, upload.read()) == (50 * MB, b"")


# -- 50 MB over a real connection -----------------------------------------------------------


def multipart(fields: dict, file_field: str, file_size: int):
    """A multipart/form-data body that streams file_size bytes of file: (type, length, parts)."""
    boundary = uuid.uuid4().hex
    head = io.BytesIO()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            head.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{one}\r\n".encode()
            )
    head.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="logo.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def parts():
        yield head.getvalue()
        chunk = b"\x89PNG" + b"\0" * (MB - 4)
        for _ in range(file_size // MB):
            yield chunk
        yield tail

    length = len(head.getvalue()) + file_size + len(tail)
    return f"multipart/form-data; boundary={boundary}", length, parts()


def test_a_50_mb_logo_over_http_gets_a_form_error_and_is_never_stored(
    transactional_db, live_server, admin_user, client, monkeypatch
):
    spooled = []
    monkeypatch.setattr(
        TemporaryFileUploadHandler, "new_file", lambda *args, **kw: spooled.append(args)
    )
    source = SourceFactory()
    client.force_login(admin_user)
    path = reverse("admin:sources_source_change", args=[source.pk])
    fields = form_data(client.get(path), "source_form")
    content_type, length, body = multipart(fields, "logo", 50 * MB)
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    tracemalloc.start()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": content_type,
                "Content-Length": str(length),
                "Cookie": cookies,
            },
        )
        response = connection.getresponse()
        page = response.read().decode()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        connection.close()
    assert response.status == 200
    assert "The logo is 50.0 MB; the limit is 2.0 MB." in spaced(page)
    assert peak < 12 * MB  # neither the server nor the client held the 50 MB
    assert spooled == []  # nor was it written to a temporary file
    assert Source.objects.get(pk=source.pk).logo.name == ""
