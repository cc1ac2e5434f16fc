"""What the database itself refuses, checked without the models' validation in between."""

import pytest
from django.db import IntegrityError, transaction


def refused(create) -> None:
    """create() must fail with an IntegrityError; the test's transaction stays usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
