"""What some tests need from outside the project: Debian's Chromium, axe-core, the shared corpus.

When one is missing, a local run skips those tests and says why; under CI (the CI
environment variable set, as CI services do) it is a failure instead, because CI
always installs them and a skip there would hide that the tests never ran.
"""

import os
from typing import NoReturn

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip the test with reason; under CI, fail it with reason."""
    if under_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure rather than a skip)")
    pytest.skip(reason)
