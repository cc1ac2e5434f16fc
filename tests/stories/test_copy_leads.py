"""Which copy of a text stands for the others in a story (StoryArticle.lead and side_lead),
kept by the recount after every kind of write and repaired by `recount_stories`."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sources.models import Article
from sources.ratings import Bias
from sources.signals import articles_changed
from stories import counters, services
from stories.models import StoryArticle
from tests.factories import ArticleFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

WIRE = "Harbour workers end strike after pay deal"
NOW = timezone.now()


def copy(source, minutes_ago, title=WIRE):
    return ArticleFactory(
        source=source, title=title, summary="", published_at=NOW - timedelta(minutes=minutes_ago)
    )


def leads(story) -> dict[int, tuple[bool, bool]]:
    """{article id: (lead, side_lead)} of the story's links."""
    links = StoryArticle.objects.filter(story=story)
    return {
        a: (lead, side) for a, lead, side in links.values_list("article_id", "lead", "side_lead")
    }


def expected(story) -> dict[int, tuple[bool, bool]]:
    """What the leads should be, worked out afresh from the articles."""
    articles = list(
        Article.objects.filter(story_link__story=story)
        .select_related("source")
        .order_by("published_at", "id")
    )
    first, first_on_side = {}, {}
    for article in articles:
        side = Bias.bucket_of(article.source.bias)
        first.setdefault(article.copy_key, article.pk)
        first_on_side.setdefault((article.copy_key, side), article.pk)
    return {
        a.pk: (
            a.copy_key is None or first[a.copy_key] == a.pk,
            a.copy_key is None or first_on_side[a.copy_key, Bias.bucket_of(a.source.bias)] == a.pk,
        )
        for a in articles
    }


@pytest.fixture
def sides():
    return (
        SourceFactory(bias=Bias.LEFT),
        SourceFactory(bias=Bias.RIGHT),
        SourceFactory(bias=Bias.RIGHT),
    )


def test_the_first_published_copy_leads_and_the_first_of_each_side_leads_its_tab(sides):
    left, right, other_right = sides
    early_left, right_copy, later_right = copy(left, 30), copy(right, 20), copy(other_right, 10)
    alone = copy(left, 5, title="Port reopens")
    story = services.create_story(title="Strike", by=None, articles=[later_right, alone])
    services.attach_articles(story=story, articles=[right_copy, early_left], by=None)

    assert leads(story) == {
        early_left.pk: (True, True),
        right_copy.pk: (False, True),
        later_right.pk: (False, False),
        alone.pk: (True, True),
    }


def test_detaching_the_lead_hands_it_to_the_next_copy(sides):
    left, right, _ = sides
    first, second = copy(left, 30), copy(right, 20)
    story = services.create_story(title="Strike", by=None, articles=[first, second])
    services.detach_articles(story=story, articles=[first])
    assert leads(story) == {second.pk: (True, True)}


def test_an_article_without_a_headline_is_always_a_lead_of_its_own(sides):
    left, _, _ = sides
    bare = [copy(left, m, title="") for m in (3, 2, 1)]
    story = services.create_story(title="Strike", by=None, articles=bare)
    assert set(leads(story).values()) == {(True, True)}


def test_merging_and_splitting_keep_the_leads_right(sides):
    left, right, other_right = sides
    a = services.create_story(title="A", by=None, articles=[copy(right, 10)])
    b = services.create_story(title="B", by=None, articles=[copy(left, 30), copy(other_right, 5)])
    services.merge_stories(survivor=a, absorbed=b)
    assert leads(a) == expected(a)
    moved = list(Article.objects.filter(source=left))
    c = services.split_story(story=a, articles=moved, title="C", by=None)
    assert leads(a) == expected(a) and leads(c) == expected(c)


def test_a_headline_changed_by_ingestion_moves_the_lead(sides):
    left, right, _ = sides
    first, second = copy(left, 30), copy(right, 20)
    story = services.create_story(title="Strike", by=None, articles=[first, second])
    # Ingestion rewrites headlines in bulk, then says which articles changed (after commit).
    Article.objects.filter(pk=first.pk).update(copy_key="0" * 40)
    articles_changed.send(sender=Article, article_ids=[first.pk])
    assert leads(story) == {first.pk: (True, True), second.pk: (True, True)}


def test_an_editor_retitling_an_article_moves_the_lead(sides):
    left, right, _ = sides
    first, second = copy(left, 30), copy(right, 20)
    story = services.create_story(title="Strike", by=None, articles=[first, second])
    second.title = "Port reopens after the strike"
    second.save()
    first.title = "Port reopens after the strike"
    first.save()
    assert leads(story) == expected(story) == {first.pk: (True, True), second.pk: (False, True)}


def test_a_source_moving_to_another_side_moves_the_side_leads(sides):
    left, right, other_right = sides
    first, second = copy(left, 30), copy(right, 20)
    story = services.create_story(title="Strike", by=None, articles=[first, second])
    left.bias = Bias.RIGHT
    left.save()
    assert leads(story) == {first.pk: (True, True), second.pk: (False, False)}


def test_recount_repairs_leads_a_crash_or_a_raw_write_left_wrong(sides):
    left, right, _ = sides
    story = StoryFactory()
    services.attach_articles(story=story, articles=[copy(left, 30), copy(right, 20)], by=None)
    right_answer = leads(story)
    StoryArticle.objects.filter(story=story).update(lead=True, side_lead=False)

    assert counters.recount_stories([story.pk]) == 1
    assert leads(story) == right_answer
    StoryArticle.objects.filter(story=story).update(lead=False)
    call_command("recount_stories", verbosity=0)
    assert leads(story) == right_answer
    assert counters.recount_stories() == 0


def test_a_recount_with_nothing_wrong_changes_nothing(sides):
    left, right, _ = sides
    story = services.create_story(title="Strike", by=None, articles=[copy(left, 3), copy(right, 2)])
    assert counters.sync_leads([story.pk]) == set()
