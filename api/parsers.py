"""The API reads JSON bodies only."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON that the database can store, or a 400.

    The size cap is Django's DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads JSON through
    request.body, which enforces it (see exceptions.py for the 413).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        try:
            # A \ud800 escape decodes to a lone surrogate that no database can store.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                "JSON parse error - the body contains an invalid \\u escape."
            ) from None
        return data
