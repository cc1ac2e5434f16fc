"""Request rates per anonymous address and per signed-in user, from settings.

DRF's own classes copy the rates at import time; these read them on every
request, so a deployment (or a test) can change them with the settings alone.
"NEWSROOM_API_ANON_RATE=off" turns a limit off, e.g. for a benchmark.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _configured_rate(scope: str) -> str | None:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if rate is None or rate.strip().lower() in {"", "off", "none"}:
        return None
    return rate


class AnonymousRate(AnonRateThrottle):
    def get_rate(self):
        return _configured_rate(self.scope)


class UserRate(UserRateThrottle):
    def get_rate(self):
        return _configured_rate(self.scope)
