"""The demo's day of incoming articles (`load_demo --incoming`, demo/day.py): what it holds,
and that it is stored as ingestion stores a fetch, once."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.content import STORIES
from demo.day import build_day, load_day
from demo.load import load_demo
from desk.models import Suggestion
from newsroom.celery import app
from sources.models import Article
from sources.signals import articles_changed, articles_stored

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def sent():
    """signal name -> article ids sent, for articles_stored and articles_changed."""
    seen = {"stored": [], "changed": []}

    def stored(sender, article_ids, **kwargs):
        seen["stored"] += article_ids

    def changed(sender, article_ids, **kwargs):
        seen["changed"] += article_ids

    articles_stored.connect(stored, dispatch_uid="test-day-stored")
    articles_changed.connect(changed, dispatch_uid="test-day-changed")
    yield seen
    articles_stored.disconnect(dispatch_uid="test-day-stored")
    articles_changed.disconnect(dispatch_uid="test-day-changed")


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def test_the_day_is_the_same_every_time_and_holds_all_three_kinds_of_work():
    day = build_day()
    assert day == build_day()
    assert len({a.url for a in day}) == len({a.title for a in day}) == len(day)
    demo_titles = {story.title for story in STORIES}
    continuing = Counter(a.story for a in day if a.story)
    assert set(continuing) <= demo_titles and len(continuing) >= 5
    for event in {a.event for a in day if a.event}:
        members = [a for a in day if a.event == event]
        # Enough for the desk to propose a story: 3 articles from 2 outlets or more.
        assert len(members) >= 3 and len({a.outlet.domain for a in members}) == len(members)
    assert sum(1 for a in day if not a.story and not a.event) >= 3
    assert all(0 < a.minutes_ago <= 24 * 60 for a in day)
    assert [a.minutes_ago for a in day] == sorted((a.minutes_ago for a in day), reverse=True)


@pytest.mark.django_db(transaction=True)
def test_it_is_stored_fetch_by_fetch_through_ingestion_and_the_desk_suggests(sent, eager_tasks):
    # Transactional: each fetch commits, and its signal and task run then, as in production.
    load_demo(now=NOW)
    report = load_day(now=NOW)

    day = build_day()
    stored = Article.objects.filter(url__in=[a.url for a in day])
    assert report.stored == stored.count() == len(day) and report.present == 0
    assert report.fetches > len(day) // 2  # one outlet's hour at a time, not one batch
    assert sorted(sent["stored"]) == sorted(stored.values_list("pk", flat=True))
    assert not stored.filter(story_link__isnull=False).exists()
    by_url = {a.url: a for a in day}
    for article in stored.select_related("feed", "source"):
        planned = by_url[article.url]
        assert article.published_at == NOW - timedelta(minutes=planned.minutes_ago)
        assert article.feed.source == article.source and article.guid == article.url
        assert article.source.domain == planned.outlet.domain
        assert article.fetched_at >= article.published_at
    # The desk's task ran after each fetch, as for any feed: suggestions wait in the inbox.
    assert Suggestion.objects.filter(article__in=stored).exists()


def test_a_second_run_stores_and_changes_nothing(django_capture_on_commit_callbacks, sent):
    load_demo(now=NOW)
    load_day(now=NOW)
    before = list(Article.objects.order_by("pk").values())
    with django_capture_on_commit_callbacks(execute=True):
        report = load_day(now=NOW + timedelta(hours=5))
    assert report.stored == 0 and report.present == len(build_day())
    assert list(Article.objects.order_by("pk").values()) == before
    assert sent == {"stored": [], "changed": []}


def test_without_the_demo_feeds_nothing_is_stored():
    report = load_day(now=NOW)
    assert report.stored == 0 and report.no_feed == len(build_day())
    assert not Article.objects.exists()
    assert f"Left out {len(build_day())}: their outlet has no demo feed." in report.summary()


def test_the_command_loads_the_day_after_the_demo():
    out = StringIO()
    call_command("load_demo", "--allow-production", "--incoming", stdout=out)
    text = out.getvalue()
    assert "Demo data: created 12 owners" in text
    assert f"A day of incoming articles: stored {len(build_day())} in " in text
    assert Article.objects.filter(url__in=[a.url for a in build_day()]).count() == len(build_day())


def test_without_the_option_no_day_is_loaded():
    out = StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    assert "incoming" not in out.getvalue()
    assert not Article.objects.filter(url__in=[a.url for a in build_day()]).exists()
