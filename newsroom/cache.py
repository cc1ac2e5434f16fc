"""Redis as a cache that fails like a miss: a bounded wait, then a pause before trying again.

The cache only ever speeds things up, so an unreachable or hung Redis must not take
requests down with it. Each call waits at most the socket timeouts in OPTIONS
(CACHE_TIMEOUT_MS in settings). The first failure opens this process's breaker for
`breaker_seconds`: until then every call answers as a miss at once (get returns the
default, set and delete do nothing, incr raises ValueError as for a missing key). Then
one call tries Redis again; its success closes the breaker, its failure opens it anew.
"""

import logging
import threading
import time
from functools import partial

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


class Breaker:
    """Whether calls to one server should be tried now, shared by the threads of a process."""

    def __init__(self, pause: float):
        self.pause = pause
        self.open_until = 0.0  # 0: closed
        self._lock = threading.Lock()

    def allows_a_call(self) -> bool:
        if not self.open_until:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self.open_until:
                return False
            # The pause is over: this call probes, the others keep skipping meanwhile.
            self.open_until = now + self.pause
            return True

    def succeeded(self) -> None:
        self.open_until = 0.0

    def failed(self) -> None:
        self.open_until = time.monotonic() + self.pause


_breakers: dict[str, Breaker] = {}


def breaker_for(location: str, pause: float) -> Breaker:
    """The process's breaker for a server: cache connections are per thread, failures are not."""
    return _breakers.setdefault(location, Breaker(pause))


def reset_breakers() -> None:
    """Forget every failure seen so far (tests start each case with a closed breaker)."""
    _breakers.clear()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as a miss while Redis is unreachable or hung.

    OPTIONS takes "breaker_seconds" (default 5) besides the client's own options; set
    "socket_timeout" and "socket_connect_timeout" there too, or redis-py waits 5 s.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        pause = float(options.pop("breaker_seconds", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        self._pause = pause

    @property
    def breaker(self) -> Breaker:
        return breaker_for(self._location, self._pause)

    def _attempt(self, call, *, miss):
        """call()'s result, or `miss` when Redis cannot answer now."""
        breaker = self.breaker
        if not breaker.allows_a_call():
            return miss
        try:
            result = call()
        except UNREACHABLE as error:
            breaker.failed()
            logger.warning(
                "cache unreachable (%s); skipping it for %ss", type(error).__name__, self._pause
            )
            return miss
        breaker.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().add, key, value, timeout, version), miss=False)

    def get(self, key, default=None, version=None):
        return self._attempt(partial(super().get, key, default, version), miss=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().set, key, value, timeout, version), miss=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().touch, key, timeout, version), miss=False)

    def delete(self, key, version=None):
        return self._attempt(partial(super().delete, key, version), miss=False)

    def get_many(self, keys, version=None):
        return self._attempt(partial(super().get_many, keys, version), miss={})

    def has_key(self, key, version=None):
        return self._attempt(partial(super().has_key, key, version), miss=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._attempt(partial(super().incr, key, delta, version), miss=missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found: the cache is unavailable")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # As Django's contract says: the keys that failed to be inserted.
        return self._attempt(partial(super().set_many, data, timeout, version), miss=list(data))

    def delete_many(self, keys, version=None):
        return self._attempt(partial(super().delete_many, keys, version), miss=None)

    def clear(self):
        return self._attempt(super().clear, miss=False)
