"""Every admin changelist runs the same number of queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    FeedFactory,
    OwnerFactory,
    SourceFactory,
    StoryArticleFactory,
    SubscriptionFactory,
    story_with_coverage,
)

pytestmark = pytest.mark.django_db


def stories(n):
    for _ in range(n):
        story_with_coverage(articles=2, sources=2, key_points=2)


def articles(n):
    # Half of them in a story, so the story column is exercised both ways.
    for i in range(n):
        article = ArticleFactory()
        if i % 2:
            StoryArticleFactory(article=article)


def sources(n):
    for _ in range(n):
        FeedFactory(source=SourceFactory())


def feeds(n):
    FeedFactory.create_batch(n, consecutive_errors=1, last_error="Timed out")


def owners(n):
    for owner in OwnerFactory.create_batch(n):
        SourceFactory(owner=owner)


def subscriptions(n):
    SubscriptionFactory.create_batch(n)


CHANGELISTS = {
    "stories_story": stories,
    "sources_article": articles,
    "sources_source": sources,
    "sources_feed": feeds,
    "sources_owner": owners,
    "accounts_subscription": subscriptions,
}


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"]


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, changelist):
    url = reverse(f"admin:{changelist}_changelist")
    staff_client.get(url)  # content types and permissions cached, as in a running server
    make = CHANGELISTS[changelist]
    make(3)
    small, small_cl = measure(staff_client, url)
    make(27)
    large, large_cl = measure(staff_client, url)
    assert large_cl.result_count == small_cl.result_count + 27 >= 30
    assert large == small


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_editor_sees_the_same_rows_as_a_superuser(superuser_client, editor_client, changelist):
    CHANGELISTS[changelist](3)
    url = reverse(f"admin:{changelist}_changelist")
    as_superuser = superuser_client.get(url).context["cl"]
    as_editor = editor_client.get(url)
    assert as_editor.status_code == 200
    assert list(as_editor.context["cl"].result_list) == list(as_superuser.result_list)
    assert as_editor.context["cl"].list_display == as_superuser.list_display
