"""Helpers to check JSON documents against the API's OpenAPI 3.0 schema."""

import jsonschema
from rest_framework.test import APIClient

SCHEMA_ACCEPT = "application/vnd.oai.openapi+json"


def fetch_schema() -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT=SCHEMA_ACCEPT)
    assert response.status_code == 200
    return response.json()


def _as_json_schema(node):
    """OpenAPI 3.0 "nullable" spelt the JSON Schema way, which validators understand."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def response_validator(schema: dict, path: str, method: str, status: int):
    """A validator for the JSON body the schema documents for that operation and status."""
    operation = schema["paths"][path][method]
    body = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    document = {**_as_json_schema(body), "components": _as_json_schema(schema["components"])}
    return jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
