"""Request rates per anonymous address and per signed-in user, from settings.

DRF's own classes copy the rates at import time; these read them on every
request, so a deployment (or a test) can change them with the settings alone.
"NEWSROOM_API_ANON_RATE=off" turns a limit off, e.g. for a benchmark.

The rates are counted in the cache. When it cannot be reached the request goes
through uncounted (fails open): the limit protects the API, the cache being down
must not take it offline.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


def _configured_rate(scope: str) -> str | None:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if rate is None or rate.strip().lower() in {"", "off", "none"}:
        return None
    return rate


class FailOpen:
    """Let a request through when its rate cannot be counted."""

    def get_rate(self):
        return _configured_rate(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # whatever the cache backend raises when its server is gone
            logger.warning("API rate not counted: the cache is unavailable", exc_info=True)
            return True


class AnonymousRate(FailOpen, AnonRateThrottle):
    pass


class UserRate(FailOpen, UserRateThrottle):
    pass
