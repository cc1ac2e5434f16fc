"""One JSON shape for every API error.

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}

"fields" appears only when particular parameters or body fields are at fault;
"message" always says in one sentence what went wrong.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

NON_FIELD_KEYS = {"", "non_field_errors", "__all__"}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class QueryRefused(exceptions.ValidationError):
    """A 400 about query parameters, with its own error code (e.g. premium_required)."""

    def __init__(self, *, code: str, message: str, fields: dict[str, str]):
        super().__init__({name: [text] for name, text in fields.items()})
        self.error_code = code
        self.message = message


def _flatten(detail, prefix: str = ""):
    """Yield (dotted field name, [messages]) from DRF's nested error details."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        if detail:
            yield prefix, [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, [str(detail)]


def _validation_body(exc: exceptions.ValidationError) -> dict:
    errors = dict(_flatten(exc.detail))
    general = [text for key in NON_FIELD_KEYS for text in errors.pop(key, [])]
    if getattr(exc, "message", None):
        message = exc.message
    elif general:
        message = " ".join(general)
    else:
        message = "Invalid input: " + "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
    body = {"code": getattr(exc, "error_code", "invalid"), "message": message}
    if errors:
        body["fields"] = errors
    return body


def _as_api_exception(exc):
    """Django's own exceptions, as the DRF exceptions that mean the same."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"The request body is larger than the {limit} bytes accepted.")
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; it is the client's mistake, a 400.
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    return exc


def api_exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After), with the body in our shape."""
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        # Not a client error: Django logs it and answers 500, or 503 in this same shape
        # when the database is unreachable (newsroom/unavailable.py).
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    else:
        code = getattr(exc.detail, "code", None) or exc.default_code
        body = {"code": code, "message": str(exc.detail)}
    response.data = {"error": {"status": response.status_code, **body}}
    return response


@csrf_exempt  # it changes nothing, and a POST to a wrong address deserves this JSON 404
def not_found(request):
    """JSON 404 for any URL under /api/ that names nothing (instead of the site's HTML page)."""
    message = "No API resource at this address."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            # Answer instead of redirecting: a redirected POST would lose its body.
            message = f"No API resource at this address; did you mean {request.path}/ ?"
    body = {"error": {"status": 404, "code": "not_found", "message": message}}
    return JsonResponse(body, status=404)
