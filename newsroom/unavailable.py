"""The answer while the database cannot be reached: 503 with Retry-After, never a 500.

The page is rendered from an empty context, like Django's 500 page: no request, no
context processors, no session or user, so nothing in it can touch the database.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

# What Django raises when it cannot connect, or loses the connection mid-query.
DATABASE_OUTAGE = (OperationalError, InterfaceError)

MESSAGE = "The service is temporarily unavailable; please try again shortly."


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_OUTAGE)


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON in the API's error shape under /api/, else the 503 page."""
    if request.path_info.startswith("/api/"):
        body = {"error": {"status": 503, "code": "unavailable", "message": MESSAGE}}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.NEWSROOM_DB_RETRY_AFTER)
    # A proxy or browser must not keep the outage once the database is back.
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500: the 503 answer when the uncaught error was a database outage.

    Views' outages are answered by DatabaseUnavailableMiddleware; this catches those
    raised in other middleware (a session saved after the view, for one), which
    Django turns into a 500 before any outer middleware could see them.
    """
    if is_database_outage(sys.exception()):
        return unavailable_response(request)
    return defaults.server_error(request)
