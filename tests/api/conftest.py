"""Fixtures for the API tests: clients per kind of user, and a small newsroom to read."""

from collections import Counter

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sources.ratings import Bias, Factuality
from tests.clients import logged_in
from tests.factories import (
    ArticleFactory,
    DraftStoryFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    StoryFactory,
)

NO_LIMITS = {"anon": "off", "user": "off"}


def pytest_terminal_summary(terminalreporter):
    """How many requests schemathesis made, added up across xdist workers."""
    totals = Counter()
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if name == "schemathesis_cases" and report.when == "call":
                    totals.update(value)
    if totals:
        terminalreporter.write_line(f"schemathesis cases: {dict(totals)}")


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """Most tests make more requests than the default rates allow; test_throttling lowers them."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_LIMITS}


@pytest.fixture(scope="session")
def api_server(django_db_setup):
    """The app served on 127.0.0.1 by Django's live-server thread, for the whole session.

    It depends on the database set-up so that it stops before the test database
    is dropped.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def live_api(transactional_db, api_server):
    """The live server over a committed database, which its threads see.

    The flush after the test leaves what post_migrate restores (content types,
    permissions, the Editors group), as every transactional test of the suite does.
    """
    return api_server


@pytest.fixture
def anon():
    return APIClient()


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def session_client(user) -> APIClient:
    return logged_in(user, APIClient)


@pytest.fixture
def editor_api(editor):
    """An APIClient sending the editor's token (the admin's session client is editor_client)."""
    return token_client(editor)


@pytest.fixture
def story_draft_and_inbox(db):
    """A published story over outlets of every bias, a draft, and an article in no story."""
    outlets = {
        "left": SourceFactory(slug="left-post", bias=Bias.LEFT, factuality=Factuality.HIGH),
        "center": SourceFactory(slug="center-daily", bias=Bias.CENTER, factuality=Factuality.MIXED),
        "right": SourceFactory(slug="right-times", bias=Bias.RIGHT, factuality=None),
        "unrated": SourceFactory(slug="unrated-news", bias=None, factuality=Factuality.LOW),
    }
    story = StoryFactory(slug="published-story", title="Bridge reopens downtown")
    KeyPointFactory.create_batch(2, story=story)
    for outlet in outlets.values():
        StoryArticleFactory(story=story, article=ArticleFactory(source=outlet))
    draft = DraftStoryFactory(slug="draft-story", title="Secret draft")
    KeyPointFactory(story=draft)
    in_draft = ArticleFactory(source=outlets["left"], title="In a draft")
    StoryArticleFactory(story=draft, article=in_draft)
    loose = ArticleFactory(source=outlets["center"], title="Waiting in the inbox")
    return {
        "story": story,
        "draft": draft,
        "outlets": outlets,
        "in_draft": in_draft,
        "loose": loose,
    }
