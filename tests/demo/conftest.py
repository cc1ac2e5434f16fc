"""Fixtures for the demo data tests: a database with the demo loaded at a known moment."""

import pytest
from django.utils import timezone

from demo.load import load_demo


@pytest.fixture
def loaded_at():
    return timezone.now()


@pytest.fixture
def demo(db, loaded_at):
    """The report of a first load_demo() run, made at loaded_at."""
    return load_demo(now=loaded_at)
