"""Page caching for readers: main-content fragments per audience, under one version key.

A page's main content is cached per audience; the header around it names the
logged-in reader and carries the log-out form's CSRF token, so for them it is
rendered per request. Anonymous readers with no message waiting all get the same
header, so their whole page is cached as well ("anonymous"). Keys hold the page,
its normalised parameters and the audience: "public" (anonymous and free readers
see the same content) or "premium" (premium readers and staff). The audience
comes from may_see_factuality() on every request, before the cache is read,
so an expired subscription loses access on the next request.

A change to anything a page shows bumps the content version
(stories/freshness.py), which is part of every key (see signal_handlers.py);
older entries are never read again. The cache is an optimisation: when it
fails, pages are rendered uncached.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

from accounts.premium import may_see_factuality
from stories.freshness import content_version

logger = logging.getLogger(__name__)

PUBLIC = "public"
PREMIUM = "premium"
ANONYMOUS = "anonymous"  # whole pages, header included (see shares_whole_page)


def audience_for(user) -> str:
    """Which cached variant this reader gets; only the premium predicate decides."""
    return PREMIUM if may_see_factuality(user) else PUBLIC


def shares_whole_page(request) -> bool:
    """Whether this reader gets the page every anonymous reader gets, header and all.

    Counting the messages reads them (from a cookie, if any) without using them up.
    """
    return not request.user.is_authenticated and not len(get_messages(request))


def page_key(version: int, audience: str, page: str, params: tuple) -> str:
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"site:page:{version}:{audience}:{page}:{digest}"


def cached_fragment(
    *, audience: str, page: str, params: tuple, render: Callable, version: int | None = None
) -> tuple:
    """The rendered fragment for this page and audience, and whether it came from cache.

    `version` is the content version the caller has read already, if it has. With
    NEWSROOM_PAGE_CACHE_SECONDS at 0 the cache is off: nothing is read or stored.
    """
    if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0:
        return render(), False
    if version is None:
        version = content_version()
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
