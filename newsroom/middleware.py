"""Middleware of the project: a database outage answers 503, not 500."""

import logging

from .unavailable import is_database_outage, unavailable_response

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when a view (or its template) cannot reach the database.

    Pages and API responses served from the cache never reach the database, so they
    keep working; everything else says "try again shortly" until it is back. Django
    reconnects by itself on a later request (CONN_HEALTH_CHECKS discards a dead
    persistent connection), so nothing needs restarting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        # One line, not a traceback per request: an outage fails every request at once.
        reason = next(iter(str(exception).splitlines()), "")
        logger.warning(
            "database unavailable, answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            reason,
        )
        return unavailable_response(request)
