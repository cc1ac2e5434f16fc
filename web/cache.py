"""Page caching for readers: main-content fragments per audience, under one version key.

Only a page's main content is cached, never the header (it names the logged-in
reader and carries the log-out form's CSRF token). Keys hold the page, its
normalised parameters and the audience: "public" (anonymous and free readers
see the same content) or "premium" (premium readers and staff). The audience
comes from may_see_factuality() on every request, before the cache is read,
so an expired subscription loses access on the next request.

A change to anything a page shows bumps one version number that is part of
every key (see signal_handlers.py); older entries are never read again and
expire on their own. The cache is an optimisation: when it fails, pages are
rendered uncached.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from accounts.premium import may_see_factuality

logger = logging.getLogger(__name__)

PUBLIC = "public"
PREMIUM = "premium"
VERSION_KEY = "site:pages:version"


def audience_for(user) -> str:
    """Which cached variant this reader gets; only the premium predicate decides."""
    return PREMIUM if may_see_factuality(user) else PUBLIC


def _fresh_version() -> int:
    # Milliseconds: a version key lost to eviction restarts above the numbers used
    # before it, so an entry cached under an old version can never match again.
    return time.time_ns() // 1_000_000


def pages_version() -> int | None:
    """The current page version, or None when the cache cannot be reached."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _fresh_version(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("page cache unavailable; serving uncached", exc_info=True)
        return None
    return version


def bump_pages_version() -> None:
    """Make every cached page stale (called after a change is committed)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet, or it was evicted: any fresh one is new
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:
        logger.error("could not invalidate cached pages", exc_info=True)


def page_key(version: int, audience: str, page: str, params: tuple) -> str:
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"site:page:{version}:{audience}:{page}:{digest}"


def cached_fragment(
    *, audience: str, page: str, params: tuple, render: Callable[[], dict]
) -> tuple[dict, bool]:
    """The rendered fragment for this page and audience, and whether it came from cache."""
    version = pages_version()
    if version is None:
        return render(), False
    key = page_key(version, audience, page, params)
    try:
        fragment = cache.get(key)
    except Exception:
        logger.warning("page cache read failed", exc_info=True)
        fragment = None
    if fragment is not None:
        return fragment, True
    fragment = render()
    try:
        cache.set(key, fragment, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache write failed", exc_info=True)
    return fragment, False


def cache_shared_response(view):
    """Cache a view whose response is the same for every reader (the outgoing feeds)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        def render() -> dict:
            response = view(request, *args, **kwargs)
            return {"status": response.status_code, "body": response.content,
                    "type": response["Content-Type"]}  # fmt: skip

        stored, hit = cached_fragment(
            audience="shared", page=request.path, params=(), render=render
        )
        response = HttpResponse(
            stored["body"], status=stored["status"], content_type=stored["type"]
        )
        response["X-Page-Cache"] = "hit" if hit else "miss"
        return response

    return wrapper
