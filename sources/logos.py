"""Outlet logos as editors upload them: refused by size before reading, then re-encoded."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat

from .images import ImageRejected, content_name, logo_png


class LogoField(forms.FileField):
    """An uploaded picture, cleaned into a small square PNG of our own making.

    Only the re-encode is ever stored, so whatever else the file carried (metadata, a script
    appended to a GIF, HTML after a JPEG) is gone.
    """

    widget = AdminFileWidget

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        cap = settings.NEWSROOM_UPLOAD_MAX_BYTES
        if upload.size > cap:  # checked first: such a file arrives empty (newsroom/uploads.py)
            size, limit = filesizeformat(upload.size), filesizeformat(cap)
            raise forms.ValidationError(
                f"The logo is {size}; the limit is {limit}.", code="too_large"
            )
        try:
            png = logo_png(upload.read())
        except ImageRejected as exc:
            raise forms.ValidationError(exc.reason, code="not_an_image") from exc
        return ContentFile(png, name=content_name("logos", png, "png").rsplit("/", 1)[1])
