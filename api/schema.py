"""OpenAPI details drf-spectacular cannot infer: error bodies, premium fields, examples."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from sources.ratings import OwnerCategory

ERRORS = {
    400: "Invalid query parameter or body: a value that does not parse or is too long, an "
    "unknown parameter, a parameter given twice or empty, a NUL character, or factuality "
    "asked for without premium access.",
    401: "The credentials sent are invalid, or a write or editors-only filter was tried "
    "without any.",
    403: "Signed in, but not allowed: writes and editors-only filters need an editor; "
    "session writes also need the CSRF token.",
    404: "No such story or source (unpublished stories are hidden), or a page past the last.",
    413: "The body is larger than the server accepts.",
    415: "The body is not application/json.",
    429: "Too many requests; Retry-After says how many seconds to wait.",
}
# Answered by the web server before the application sees the request, so not in the JSON
# error shape: gunicorn.conf.py sets the limit, Django's development server allows 64 KB.
REQUEST_LINE_TOO_LONG = (
    "The request line (method, path and query string) is longer than the web server accepts, "
    "8190 bytes under gunicorn; the server answers with a short HTML page."
)
# A text parameter has a character that is not a space, and no NUL (which no column stores).
TEXT_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="E.g. invalid, parse_error, unknown_parameter, premium_required, "
        "not_authenticated, permission_denied, not_found, too_large, "
        "unsupported_media_type, throttled."
    )
    message = serializers.CharField(help_text="What went wrong, in one sentence.")

    def get_fields(self):
        fields = super().get_fields()
        # Declared here because "fields" would shadow Serializer.fields as a class attribute.
        fields["fields"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Messages per parameter or body field (nested ones dotted: key_points.0).",
        )
        return fields


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class NewsroomAutoSchema(AutoSchema):
    """AutoSchema that documents our error responses and the optional premium fields."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        premium = getattr(serializer, "premium_fields", ())
        required = [name for name in schema.get("required", []) if name not in premium]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema

    def get_auth(self):
        auths = super().get_auth()
        # Reading needs no credentials; EditorsMayWrite is not a class spectacular knows.
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_filter_parameters(self):
        """The parameters as strictly as api.filters reads them: no empty value or list."""
        parameters = super()._get_filter_parameters()
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "array":
                schema["minItems"] = 1
            elif schema.get("type") == "string" and not {"enum", "format"} & set(schema):
                schema["pattern"] = TEXT_PATTERN
                max_length = filters[parameter["name"]].extra.get("max_length")
                if max_length:
                    schema["maxLength"] = max_length
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.setdefault(
            "414",
            {
                "description": REQUEST_LINE_TOO_LONG,
                "content": {"text/html": {"schema": {"type": "string"}}},
            },
        )
        for code in self._error_codes():
            response = self._get_response_for_code(ErrorSerializer, str(code), direction=direction)
            response["description"] = ERRORS[code]
            if code == 429:
                response["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}
                }
            responses.setdefault(str(code), response)
        return responses

    def _error_codes(self) -> list[int]:
        if self.method == "GET":
            return [400, 401, 403, 404, 429] if self._is_list_view() else [401, 404, 429]
        codes = [400, 401, 403, 413, 415, 429]
        if not self._is_create_operation():
            codes.append(404)
        return sorted(codes)


# A story as a free reader receives it. The gate holds for the documentation too:
# no example carries factuality figures.
STORY_EXAMPLE = OpenApiExample(
    "A published story (as anyone but a premium reader sees it)",
    response_only=True,
    status_codes=["200"],
    value={
        "slug": "harbour-bridge-reopens",
        "title": "Harbour bridge reopens after two years of repairs",
        "status": "published",
        "url": "https://news.example/api/v1/stories/harbour-bridge-reopens/",
        "page_url": "https://news.example/stories/harbour-bridge-reopens/",
        "published_at": "2026-03-02T09:30:00Z",
        "updated_at": "2026-03-02T14:05:00Z",
        "key_points": [
            "The bridge carries traffic again from Monday.",
            "Repairs cost a third more than planned.",
        ],
        "topics": [{"slug": "transport", "name": "Transport"}],
        "coverage": {
            "article_count": 3,
            "source_count": 3,
            "bias": {
                "left": 1,
                "center": 1,
                "right": 0,
                "unrated": 1,
                "percentages": {"left": 50, "center": 50, "right": 0},
                "sentence": "50% of the sources are Left",
            },
            "ownership": [
                {
                    "category": category,
                    "label": label,
                    "count": {"independent": 2, None: 1}.get(category, 0),
                    "percentage": {"independent": 67, None: 33}.get(category, 0),
                }
                for category, label in [*OwnerCategory.choices, (None, "Unknown owner")]
            ],
            "first_reported": {
                "source": {
                    "slug": "the-harbour-courier",
                    "name": "The Harbour Courier",
                    "url": "https://news.example/api/v1/sources/the-harbour-courier/",
                    "bias": {
                        "value": -1,
                        "label": "Lean Left",
                        "bucket": "left",
                        "rated_by": "Newsroom ratings desk",
                        "rated_at": "2026-01-15",
                    },
                },
                "published_at": "2026-03-02T07:12:00Z",
                "article": {
                    "id": 481,
                    "title": "Bridge to reopen on Monday",
                    "url": "https://harbour-courier.example/bridge-reopens",
                },
            },
            "last_updated": "2026-03-02T14:05:00Z",
        },
    },
)
