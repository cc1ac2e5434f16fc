"""Merging two stories keeps what readers had of the absorbed one: saves, reads, topics."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SavedStory, StoryRead, TopicFollow
from accounts.reading import move_to_survivor
from stories.models import Story
from stories.services import merge_stories
from tests.clients import logged_in
from tests.factories import TopicFactory, UserFactory, story_with_coverage

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def stories():
    """(survivor, absorbed): two published stories about one event."""
    survivor = story_with_coverage(articles=2, title="Harbour bridge reopens")
    absorbed = story_with_coverage(articles=2, title="Bridge traffic returns to the harbour")
    return survivor, absorbed


def saved(user) -> dict[int, object]:
    return dict(SavedStory.objects.filter(user=user).values_list("story_id", "saved_at"))


def read(user) -> dict[int, object]:
    return dict(StoryRead.objects.filter(user=user).values_list("story_id", "read_at"))


def test_a_reader_who_saved_the_absorbed_story_finds_the_survivor_saved(stories):
    survivor, absorbed = stories
    reader = UserFactory()
    SavedStory.objects.create(user=reader, story=absorbed, saved_at=NOW - timedelta(days=2))

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert saved(reader) == {survivor.pk: NOW - timedelta(days=2)}
    page = logged_in(reader).get("/saved/").content.decode()
    assert survivor.title in page


def test_a_reader_who_saved_both_keeps_one_save_of_the_survivor(stories):
    survivor, absorbed = stories
    reader, other = UserFactory(), UserFactory()
    SavedStory.objects.create(user=reader, story=survivor, saved_at=NOW - timedelta(hours=1))
    SavedStory.objects.create(user=reader, story=absorbed, saved_at=NOW - timedelta(hours=5))
    SavedStory.objects.create(user=other, story=absorbed, saved_at=NOW)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert saved(reader) == {survivor.pk: NOW - timedelta(hours=1)}
    assert saved(other) == {survivor.pk: NOW}


def test_reading_history_moves_to_the_survivor_with_the_latest_read(stories):
    survivor, absorbed = stories
    both, only_absorbed, only_survivor = UserFactory(), UserFactory(), UserFactory()
    StoryRead.objects.create(user=both, story=survivor, read_at=NOW - timedelta(days=3))
    StoryRead.objects.create(user=both, story=absorbed, read_at=NOW - timedelta(days=1))
    StoryRead.objects.create(user=only_absorbed, story=absorbed, read_at=NOW - timedelta(days=4))
    StoryRead.objects.create(user=only_survivor, story=survivor, read_at=NOW - timedelta(days=2))

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert read(both) == {survivor.pk: NOW - timedelta(days=1)}
    assert read(only_absorbed) == {survivor.pk: NOW - timedelta(days=4)}
    assert read(only_survivor) == {survivor.pk: NOW - timedelta(days=2)}
    history = logged_in(only_absorbed).get("/my-news-bias/history/").content.decode()
    assert survivor.title in history


def test_a_later_read_of_the_survivor_is_not_turned_back(stories):
    survivor, absorbed = stories
    reader = UserFactory()
    StoryRead.objects.create(user=reader, story=survivor, read_at=NOW)
    StoryRead.objects.create(user=reader, story=absorbed, read_at=NOW - timedelta(days=6))

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert read(reader) == {survivor.pk: NOW}


def test_rows_about_other_stories_are_left_alone(stories):
    survivor, absorbed = stories
    elsewhere = story_with_coverage(articles=1, title="Tram fares frozen")
    reader = UserFactory()
    SavedStory.objects.create(user=reader, story=elsewhere, saved_at=NOW)
    StoryRead.objects.create(user=reader, story=elsewhere, read_at=NOW)
    SavedStory.objects.create(user=reader, story=absorbed, saved_at=NOW)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert saved(reader) == {elsewhere.pk: NOW, survivor.pk: NOW}
    assert read(reader) == {elsewhere.pk: NOW}


def test_topics_are_united_and_readers_keep_following_them(stories):
    survivor, absorbed = stories
    shared, energy, labor = TopicFactory(), TopicFactory(), TopicFactory()
    survivor.topics.add(shared, energy)
    absorbed.topics.add(shared, labor)
    reader = UserFactory()
    TopicFollow.objects.create(user=reader, topic=labor)

    merge_stories(survivor=survivor, absorbed=absorbed)

    assert set(survivor.topics.all()) == {shared, energy, labor}
    assert list(TopicFollow.objects.filter(user=reader).values_list("topic", flat=True)) == [
        labor.pk
    ]


def test_a_refused_merge_moves_nothing(stories):
    survivor, absorbed = stories
    reader = UserFactory()
    SavedStory.objects.create(user=reader, story=absorbed, saved_at=NOW)
    Story.objects.filter(pk=survivor.pk).delete()  # another editor deleted it meanwhile

    with pytest.raises(ValidationError, match="deleted meanwhile"):
        merge_stories(survivor=survivor, absorbed=absorbed)

    assert saved(reader) == {absorbed.pk: NOW}


@pytest.mark.parametrize("readers", [2, 20])
def test_moving_costs_the_same_queries_whatever_the_readers(stories, readers):
    survivor, absorbed = stories
    for n in range(readers):
        reader = UserFactory()
        SavedStory.objects.create(user=reader, story=absorbed)
        StoryRead.objects.create(user=reader, story=absorbed)
        if n % 2:
            SavedStory.objects.create(user=reader, story=survivor)
            StoryRead.objects.create(user=reader, story=survivor)

    with CaptureQueriesContext(connection) as queries:
        move_to_survivor(survivor=survivor, absorbed=absorbed)

    statements = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 5
    assert SavedStory.objects.filter(story=survivor).count() == readers
    assert StoryRead.objects.filter(story=survivor).count() == readers
    assert not SavedStory.objects.filter(story=absorbed).exists()
    assert not StoryRead.objects.filter(story=absorbed).exists()
