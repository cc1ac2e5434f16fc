"""Failed log-ins counted per address and per account, in the cache; too many lock both for a while.

A lock always ends: each count lives for NEWSROOM_LOGIN_LOCKOUT_SECONDS from its first failure.
The per-account limit is the higher one, so that a stranger guessing from one address is
stopped long before the account's owner is. When the cache cannot be reached, nothing is
counted and nobody is locked out: logging in keeps working, unthrottled, until it is back.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def client_address(request) -> str:
    """The connecting address, or the one NUM_PROXIES trusted proxies report (as the API's)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, text: str) -> str:
    # Hashed: the cache holds no user names, and whatever was typed makes a valid key.
    digest = hashlib.sha256(text.strip().casefold().encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _limits(*, username: str, address: str) -> dict[str, int]:
    """Cache key of each count, with the number of failures that locks it."""
    return {
        _key("address", address): settings.NEWSROOM_LOGIN_FAILURES_PER_ADDRESS,
        _key("account", username): settings.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT,
    }


def seconds_locked(*, username: str, address: str) -> int:
    """How long log-ins for this account or from this address stay refused; 0 when they may try."""
    limits = _limits(username=username, address=address)
    try:
        stored = cache.get_many([*limits, *(f"{key}:until" for key in limits)])
    except Exception:
        log.warning("login throttle: cache unavailable, not checking", exc_info=True)
        return 0
    now = time.time()
    ends = [
        stored.get(f"{key}:until") or now + settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS
        for key, limit in limits.items()
        if (stored.get(key) or 0) >= limit
    ]
    return max((math.ceil(end - now) for end in ends), default=0)


def record_failure(*, username: str, address: str) -> None:
    """Count one failed log-in against the account and the address."""
    window = settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS
    try:
        for key in _limits(username=username, address=address):
            # add only starts a window; incr is atomic, so parallel guesses all count.
            cache.add(f"{key}:until", time.time() + window, window)
            if not cache.add(key, 1, window):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr: a new window
                    cache.add(key, 1, window)
    except Exception:
        log.warning("login throttle: cache unavailable, failure not counted", exc_info=True)


def record_success(*, username: str) -> None:
    """Forget the account's failures (not the address's: any account would reset those)."""
    key = _key("account", username)
    try:
        cache.delete_many([key, f"{key}:until"])
    except Exception:
        log.warning("login throttle: cache unavailable, count not reset", exc_info=True)


def locked_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"Too many failed attempts; try again in {minutes} minute{'s' if minutes > 1 else ''}."
