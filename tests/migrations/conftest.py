"""What the migration tests share: an executor that leaves the database fully migrated."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def executor(transactional_db):
    """A migration executor; the database ends at the leaf migrations, however the test ends."""
    executor = MigrationExecutor(connection)
    try:
        yield executor
    finally:
        # What the tests after this one expect: every migration applied, and what
        # post_migrate makes (content types, permissions, the Editors group).
        # pytest-django flushes the rows afterwards.
        call_command("migrate", verbosity=0, interactive=False)
        ContentType.objects.clear_cache()
