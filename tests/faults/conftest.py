"""Fixtures for failure tests: dependencies of the tests' own, to stop and hang."""

import pytest

from newsroom.cache import reset_breakers

from .redis_server import RedisServer

# --- Redis ------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    """A running redis-server of this test's own (tests/faults/redis_server.py)."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cache_on_redis(settings, redis_server):
    """cache_on_redis(timeout_ms=..., breaker_seconds=...) points the cache at redis_server.

    Configured as newsroom/settings.py does with REDIS_URL set; each test starts with
    closed breakers, and changing CACHES gives it fresh cache connections.
    """

    def configure(*, timeout_ms: int = 200, breaker_seconds: float = 30) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.ResilientRedisCache",
                "LOCATION": redis_server.url,
                "KEY_PREFIX": "faults",
                "OPTIONS": {
                    "socket_timeout": timeout_ms / 1000,
                    "socket_connect_timeout": timeout_ms / 1000,
                    "breaker_seconds": breaker_seconds,
                },
            }
        }

    reset_breakers()
    yield configure
    reset_breakers()
