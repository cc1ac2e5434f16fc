"""Page caching for readers: main-content fragments per audience, under one version key.

A page's main content is cached per audience; the header around it names the
logged-in reader and carries the log-out form's CSRF token, so for them it is
rendered per request. Anonymous readers with no message waiting all get the same
header, so their whole page is cached as well ("anonymous"). Keys hold the page,
its normalised parameters and the audience: "public" (anonymous and free readers
see the same content) or "premium" (premium readers and staff). The audience
comes from may_see_factuality() on every request, before the cache is read,
so an expired subscription loses access on the next request.

A change to anything a page shows bumps one version number that is part of
every key (see signal_handlers.py); older entries are never read again and
expire on their own. The number lives in the database (models.PagesVersion),
read once per request: a change made while the cache was down still makes the
entries the cache kept stale when it comes back. A copy in the cache lets pages
be served from it while the database is down. The cache is an optimisation:
when it fails, pages are rendered uncached.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django import db
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

from accounts.premium import may_see_factuality

from .models import PagesVersion

logger = logging.getLogger(__name__)

PUBLIC = "public"
PREMIUM = "premium"
ANONYMOUS = "anonymous"  # whole pages, header included (see shares_whole_page)
# The cache's copy of the pages version, for while the database cannot be read.
VERSION_COPY_KEY = "site:pages:version"
_last_read: int | None = None  # by this process


def audience_for(user) -> str:
    """Which cached variant this reader gets; only the premium predicate decides."""
    return PREMIUM if may_see_factuality(user) else PUBLIC


def shares_whole_page(request) -> bool:
    """Whether this reader gets the page every anonymous reader gets, header and all.

    Counting the messages reads them (from a cookie, if any) without using them up.
    """
    return not request.user.is_authenticated and not len(get_messages(request))


def pages_version() -> int:
    """The version cached pages are read and stored under, from the database.

    While the database is down no change can be made, so the newer of the copy the
    last bump left in the cache and the version this process last read is as good
    (the copy alone may be one a bump could not update while Redis was down).
    Without either, the database's error goes on.
    """
    global _last_read
    try:
        _last_read = _stored_version()
    except db.Error:
        known = [v for v in (_version_copy(), _last_read) if v is not None]
        if not known:
            raise
        return max(known)
    return _last_read


def _stored_version() -> int:
    """PagesVersion.current() as one plain primary-key SELECT: building the same query
    through the ORM costs a third of a trivial request, and every cached page reads it."""
    meta = PagesVersion._meta
    quote = db.connection.ops.quote_name
    # Names from the model, never from input.
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.get_field("version").column), quote(meta.db_table), quote(meta.pk.column)
    )
    with db.connection.cursor() as cursor:
        cursor.execute(sql, [PagesVersion.ROW])
        row = cursor.fetchone()
    return row[0] if row else PagesVersion.current()  # current() makes the first row


def _version_copy() -> int | None:
    try:
        return cache.get(VERSION_COPY_KEY)
    except Exception:  # the cache is down as well
        return None


def bump_pages_version() -> None:
    """Make every cached page stale (called after a change is committed).

    The database's failure is not caught: a bump that did not happen would leave
    stale pages served, so the caller (a request, a task that retries) must see it.
    """
    version = PagesVersion.bump()
    try:
        cache.set(VERSION_COPY_KEY, version, timeout=None)
    except Exception:
        logger.warning("could not copy the pages version to the cache", exc_info=True)


def page_key(version: int, audience: str, page: str, params: tuple) -> str:
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"site:page:{version}:{audience}:{page}:{digest}"


def cached_fragment(
    *, audience: str, page: str, params: tuple, render: Callable, version: int | None = None
) -> tuple:
    """The rendered fragment for this page and audience, and whether it came from cache.

    `version` is the pages version the caller has read already, if it has.
    """
    if version is None:
        version = pages_version()
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
