"""The demo's topics: every story has some, and load_demo() keeps editors' changes to them."""

import pytest

from demo.content import REFERENCE, STORIES, TOPICS
from demo.load import load_demo
from stories.models import Story, Topic
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_every_demo_story_is_tagged_with_the_topics_its_content_names(demo):
    assert demo.created["topics"] == len(TOPICS)
    tagged = {
        story.slug: sorted(story.topics.values_list("name", flat=True))
        for story in Story.objects.prefetch_related("topics")
    }
    assert tagged == {content.slug: sorted(content.topics) for content in STORIES}
    assert all(tagged.values())


def test_every_topic_a_story_names_is_a_demo_topic_with_a_description():
    named = {name for content in STORIES for name in content.topics}
    assert named <= set(TOPICS)
    assert all(TOPICS.values())


def test_a_second_run_creates_no_topic_and_keeps_editors_changes(demo):
    energy = Topic.objects.get(slug="energy")
    energy.name = "Power & Energy"
    energy.save()
    reference = Story.objects.get(slug=REFERENCE.slug)
    reference.topics.remove(energy)
    report = load_demo()
    assert report.present["topics"] == len(TOPICS) and not report.created["topics"]
    assert Topic.objects.get(slug="energy").name == "Power & Energy"
    assert energy not in reference.topics.all()


def test_an_editors_topic_of_the_same_name_in_another_case_is_used_not_duplicated(db):
    own = TopicFactory(name="ENERGY", slug="energy-policy")
    report = load_demo()
    assert report.created["topics"] == len(TOPICS) - 1
    assert Topic.objects.filter(name__iexact="energy").get() == own
    assert own.stories.filter(slug=REFERENCE.slug).exists()
