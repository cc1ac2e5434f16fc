"""Fixtures shared by the whole suite; each area keeps its own in its folder."""

import pytest

from .chromium import chromium, chromium_session  # noqa: F401  (shared fixtures)
from .factories import SubscriptionFactory, UserFactory


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, not a superuser."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def free_reader(db):
    return UserFactory(username="free")


@pytest.fixture
def premium_reader(db):
    return SubscriptionFactory(user=UserFactory(username="premium")).user


@pytest.fixture
def expired_reader(db):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return SubscriptionFactory(
        user=UserFactory(username="expired"),
        starts_at=now - timedelta(days=60),
        expires_at=now - timedelta(days=1),
    ).user
