"""A new demo's inbox is filled without a worker: load_demo suggests stories for the
articles in no story it adds, which it bulk-creates (no ingestion signal fires)."""

from collections import defaultdict

import pytest

from demo.load import load_demo
from demo.plan import build_plan
from desk.models import Suggestion
from desk.selectors import inbox_articles
from sources.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def topic(url: str) -> str:
    """The demo's inbox articles are filed under their topic: https://outlet/<topic>/..."""
    return url.split("/")[3]


def test_the_demo_inbox_is_suggested_for_and_proposed_as_one_story_per_topic():
    load_demo()
    inbox = Article.objects.filter(url__in=[a.url for a in build_plan().inbox])
    assert inbox.count() == 36
    assert set(inbox_articles().filter(pk__in=inbox)) == set(inbox)
    groups = defaultdict(set)
    proposals = Suggestion.objects.open().filter(article__in=inbox, story__isnull=True)
    for group, url in proposals.values_list("group", "article__url"):
        groups[group].add(topic(url))
    assert all(len(topics) == 1 for topics in groups.values()), groups
    assert {t for topics in groups.values() for t in topics} == {topic(a.url) for a in inbox}


def test_a_second_load_suggests_nothing_again(monkeypatch):
    load_demo()
    called = []
    monkeypatch.setattr("demo.load.suggest_stories", called.append)
    load_demo()
    assert called == []


def test_only_the_articles_the_demo_added_are_suggested_for(monkeypatch):
    already = ArticleFactory(url=build_plan().inbox[0].url, title="An editor's own article")
    called = []
    monkeypatch.setattr("demo.load.suggest_stories", called.append)
    load_demo()
    (ids,) = called
    added = Article.objects.filter(url__in=[a.url for a in build_plan().inbox]).exclude(
        pk=already.pk
    )
    assert sorted(ids) == sorted(added.values_list("pk", flat=True))
    assert len(ids) == 35
