"""The site's public address: every link that leaves a response is built from SITE_URL.

Never from the request's Host header, which the client chooses (Django checks it
without its port) and which a cache would then hand to every reader.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri


def absolute_url(path: str) -> str:
    """SITE_URL followed by path, a path on this site such as reverse() returns."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"{path!r} is not a path on this site")
    return iri_to_uri(settings.SITE_URL + path)


def site_scheme_and_host() -> tuple[str, str]:
    """SITE_URL as ("https", "news.example:8443"), for templates that join the two."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc
