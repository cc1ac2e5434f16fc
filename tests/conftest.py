"""Fixtures shared by the whole suite; each area keeps its own in its folder."""

import jinja2
import pytest
from django.test.signals import template_rendered

from .chromium import chromium, chromium_session  # noqa: F401  (shared fixtures)
from .factories import SubscriptionFactory, UserFactory
from .httpserver import Canary, LoopbackServer


@pytest.fixture(autouse=True, scope="session")
def jinja2_contexts_recorded():
    """response.context and response.templates include the Jinja2 templates' (web/jinja2/),
    as Django's test set-up arranges for its own templates."""
    render = jinja2.Template.render

    def recorded(self, *args, **kwargs):
        context = dict(*args, **kwargs)
        template_rendered.send(sender=self, template=self, context=context)
        return render(self, context)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Template, "render", recorded)
        yield


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


# --- feeds on this machine ---------------------------------------------------------


@pytest.fixture
def private_feeds_allowed(settings):
    """Feed URLs may name 127.0.0.1 and other private addresses, as on a developer's machine.

    The fetcher refuses them otherwise; the loopback servers below live there.
    """
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True


@pytest.fixture
def private_feeds_refused(settings):
    """Only public addresses may be fetched, as in production, whatever the environment says."""
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = False


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1 (tests/httpserver.py), stopped after the test."""
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def canary():
    """A listener on loopback that never answers and counts who connected to it."""
    listener = Canary()
    yield listener
    listener.close()
