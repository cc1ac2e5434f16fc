"""Readers' API answers, cached like the site's pages: per audience, under the content version.

A story's detail serialises every figure of its coverage; a list, twenty stories
with their key points. Both are the same for every reader of one audience, so
the rendered JSON is kept under the content version (stories/freshness.py),
which every change to what readers see raises: a hit costs the version read and
a cache read instead of the queries and serialisers.

The audience is "premium" when the request may see factuality, else "public"
(anonymous and free readers get the same answer), decided on every request by
the one premium predicate before the cache is read. Editors, who also see
drafts, are never served from nor stored in the cache. Only successful answers
are stored; errors, throttling and refused parameters happen before or instead.
The cache is an optimisation: when it fails, answers are computed as usual.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

from stories.freshness import content_version

logger = logging.getLogger(__name__)

PUBLIC = "public"
PREMIUM = "premium"


def answer_key(version: int, audience: str, request) -> str:
    # The Accept header can ask for indented JSON; the answer's bytes depend on it.
    asked = f"{request.get_full_path()}\n{request.META.get('HTTP_ACCEPT', '')}"
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    return f"api:answer:{version}:{audience}:{digest}"


def cached_answer(view, handler, request, *args, **kwargs):
    """The handler's answer for this request's audience, from the cache when it is there."""
    seconds = settings.NEWSROOM_API_CACHE_SECONDS
    if not seconds or view.editor:
        return handler(request, *args, **kwargs)
    audience = PREMIUM if view.show_factuality else PUBLIC
    key = answer_key(content_version(), audience, request)
    try:
        body = cache.get(key)
    except Exception:
        logger.warning("API cache read failed", exc_info=True)
        body = None
    if body is not None:
        return _json(body, hit=True)
    response = handler(request, *args, **kwargs)
    if response.status_code != 200:
        return response
    renderer = JSONRenderer()
    body = renderer.render(
        response.data,
        request.accepted_media_type,
        {"request": request, "view": view, "response": response},
    )
    try:
        cache.set(key, body, seconds)
    except Exception:
        logger.warning("API cache write failed", exc_info=True)
    return _json(body, hit=False)


def _json(body: bytes, *, hit: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=JSONRenderer.media_type)
    response["X-Api-Cache"] = "hit" if hit else "miss"
    return response
