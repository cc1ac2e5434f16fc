"""Schemathesis against /api/schema/ of a live server: no 5xx, documented statuses and bodies.

Bounded and deterministic (fixed seed, 25 generated cases per operation and phase), so the
run takes seconds. Anonymous requests get random path values (mostly 404s, which must be
documented JSON too); the editor's run pins the path values to real rows, so the generated
queries and bodies reach real data, drafts and the write services.
"""

import json
import threading
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks as openapi_checks

from tests.factories import ArticleFactory

from .conftest import token_client
from .openapi import SCHEMA_ACCEPT

CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    # What the schema forbids (an empty or repeated parameter, text too long) is refused.
    openapi_checks.negative_data_rejection,
]
RUN = {
    "seed": 20260301,
    "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}
# Anonymous writes stop at authentication (401) before any body is read: a few cases
# confirm that answer. The coverage phase's boundary and malformed values are spent
# on the lists' query parameters, where the parsing is; details take only a path value.
ANONYMOUS_RUN = {
    **RUN,
    "operations": [
        {
            "include-method": ["POST", "PATCH"],
            "phases": {"coverage": {"enabled": False}},
            "generation": {"max-examples": 5},
        },
        {"include-path-regex": r"\{(slug|id)\}/$", "phases": {"coverage": {"enabled": False}}},
    ],
}
# The coverage phase's boundary and malformed values test parsing, which does not depend
# on who asks; the editor's run pins path values to real rows so that the generated
# queries and bodies reach real data, drafts and the write services.
EDITOR_RUN = {
    **RUN,
    "phases": {**RUN["phases"], "coverage": {"enabled": False}},
    "parameters": {"path.slug": "published-story", "path.id": 424242},
}
# The server and its rows are meant to persist across the generated cases of an operation.
FIXTURES_ARE_SHARED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _generated_schema() -> dict:
    """The schema the server publishes at /api/schema/, generated in this process so
    that the tests can be collected before the live server starts (a test below
    checks that the two agree)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


RAW_SCHEMA = _generated_schema()
anonymous = schemathesis.openapi.from_dict(
    RAW_SCHEMA, config=SchemathesisConfig.from_dict(ANONYMOUS_RUN)
)
as_editor = schemathesis.openapi.from_dict(
    RAW_SCHEMA, config=SchemathesisConfig.from_dict(EDITOR_RUN)
)


@pytest.fixture
def server(live_api, story_draft_and_inbox):
    """A live server with the rows the editor's pinned path values name."""
    ArticleFactory(pk=EDITOR_RUN["parameters"]["path.id"], title="An article in no story")
    yield live_api.url
    _wait_for_request_threads()


@pytest.fixture
def editor_token(server, editor):
    return token_client(editor)._credentials["HTTP_AUTHORIZATION"]


def _wait_for_request_threads(timeout: float = 2.0) -> None:
    """Let the live server finish its last responses (which close their database
    connection) before the test's database access is switched off."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.01)


def test_live_schema_is_the_one_under_test(server):
    import requests

    response = requests.get(f"{server}/api/schema/", headers={"Accept": SCHEMA_ACCEPT}, timeout=10)
    assert response.json() == RAW_SCHEMA


@pytest.fixture
def cases(request):
    """Counts the generated cases into the test's report; conftest.py adds them up."""
    counter = {}
    request.node.user_properties.append(("schemathesis_cases", counter))
    return counter


@anonymous.parametrize()
@FIXTURES_ARE_SHARED
def test_api_holds_its_schema_for_anonymous_readers(case, server, cases):
    cases["anonymous"] = cases.get("anonymous", 0) + 1
    case.call_and_validate(base_url=server, checks=CHECKS)


@as_editor.parametrize()
@FIXTURES_ARE_SHARED
def test_api_holds_its_schema_for_an_editor(case, server, editor_token, cases):
    cases["editor"] = cases.get("editor", 0) + 1
    case.call_and_validate(base_url=server, headers={"Authorization": editor_token}, checks=CHECKS)
