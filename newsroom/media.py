"""Serving the pictures the site made (MEDIA_ROOT) from the app, in production as in development.

WhiteNoise serves only the files it finds at start-up, and thumbnails appear while the site
runs. Every name under MEDIA_ROOT is made from its file's content (sources/images.py), so a
name never changes meaning and browsers may keep a file for good. A proxy in front may serve
MEDIA_ROOT at MEDIA_URL itself instead (docs/deployment.md).
"""

from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve

CACHE_FOREVER = "public, max-age=31536000, immutable"


@require_safe
def media_file(request, path: str):
    """The file at path under MEDIA_ROOT (404 outside it, or for a folder)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = CACHE_FOREVER
    return response
