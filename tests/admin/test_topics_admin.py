"""Topics in the admin: the topic pages editors keep, and tagging stories with them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.models import Topic
from tests.factories import DraftStoryFactory, StoryFactory, TopicFactory, story_with_coverage

from .helpers import errors_of, form_data, listed

pytestmark = pytest.mark.django_db

ADD = reverse("admin:stories_topic_add")
TOPICS = reverse("admin:stories_topic_changelist")
MARKUP = '<script>alert("x")</script> & <b>Bold</b>'


def add_topic(client, **fields):
    data = form_data(client.get(ADD), "topic_form") | fields
    return client.post(ADD, data)


def test_staff_add_a_topic(staff_client):
    response = add_topic(staff_client, name="Energy", slug="energy", description="Grids.")
    assert response.status_code == 302
    assert list(Topic.objects.values_list("name", "slug", "description")) == [
        ("Energy", "energy", "Grids.")
    ]


def test_a_name_taken_in_another_case_is_refused_with_a_clear_error(superuser_client):
    TopicFactory(name="Energy", slug="energy")
    response = add_topic(superuser_client, name="ENERGY", slug="energy-2")
    assert response.status_code == 200
    assert "A topic with this name already exists (names are compared without regard to case)." in (
        errors_of(response)
    )
    assert Topic.objects.count() == 1


def test_renaming_a_topic_to_its_own_name_in_another_case_is_allowed(superuser_client):
    topic = TopicFactory(name="energy", slug="energy")
    url = reverse("admin:stories_topic_change", args=[topic.pk])
    data = form_data(superuser_client.get(url), "topic_form") | {"name": "Energy"}
    assert superuser_client.post(url, data).status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Energy"


def test_a_slug_in_use_is_refused(superuser_client):
    TopicFactory(name="Energy", slug="energy")
    response = add_topic(superuser_client, name="Power", slug="energy")
    assert "Topic with this Slug already exists." in errors_of(response)


def test_a_name_with_markup_gets_a_sane_slug_and_is_escaped_in_the_list(superuser_client):
    response = add_topic(superuser_client, name=MARKUP, slug="")
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.name == MARKUP and topic.slug == "scriptalertxscript-bboldb"
    page = superuser_client.get(TOPICS).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_slug_with_markup_is_refused(superuser_client):
    response = add_topic(superuser_client, name="Energy", slug="<b>energy</b>")
    assert response.status_code == 200
    assert "slug" in errors_of(response).lower()
    assert not Topic.objects.exists()


def test_a_name_with_nothing_to_make_a_slug_from_asks_for_one(superuser_client):
    response = add_topic(superuser_client, name="<<>>", slug="")
    assert response.status_code == 200
    assert "no letters or digits to make a slug from" in errors_of(response)


def test_the_list_counts_every_story_of_a_topic_and_finds_topics_by_name(superuser_client):
    energy = TopicFactory(name="Energy", slug="energy")
    energy.stories.add(StoryFactory(), DraftStoryFactory())
    TopicFactory(name="Labor", slug="labor")
    assert [(t.name, t.story_count) for t in listed(superuser_client, "stories_topic")] == [
        ("Energy", 2),
        ("Labor", 0),
    ]
    assert [t.name for t in listed(superuser_client, "stories_topic", q="ener")] == ["Energy"]


@pytest.mark.parametrize("extra", [3, 30])
def test_the_topic_list_runs_a_fixed_number_of_queries(staff_client, extra):
    staff_client.get(TOPICS)  # content types and permissions cached, as in a running server
    for topic in TopicFactory.create_batch(extra):
        topic.stories.add(StoryFactory())
    with CaptureQueriesContext(connection) as small:
        staff_client.get(TOPICS)
    TopicFactory.create_batch(extra)
    with CaptureQueriesContext(connection) as large:
        assert staff_client.get(TOPICS).status_code == 200
    assert len(small) == len(large)


# --- tagging stories -------------------------------------------------------------------


def test_the_story_form_tags_stories_with_an_autocomplete(staff_client):
    story = StoryFactory()
    page = staff_client.get(reverse("admin:stories_story_change", args=[story.pk]))
    assert 'data-ajax--url="/admin/autocomplete/"' in page.content.decode()
    assert 'name="topics"' in page.content.decode()


def test_the_topics_autocomplete_finds_topics_by_name(staff_client):
    TopicFactory(name="Energy", slug="energy")
    TopicFactory(name="Labor", slug="labor")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "stories", "model_name": "story", "field_name": "topics", "term": "ener"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Energy"]


def test_editors_tag_and_untag_a_story(staff_client):
    story = story_with_coverage(articles=1)
    energy, labor = TopicFactory(name="Energy"), TopicFactory(name="Labor")
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = form_data(staff_client.get(url), "story_form") | {"topics": [energy.pk, labor.pk]}
    assert staff_client.post(url, data).status_code == 302
    assert set(story.topics.all()) == {energy, labor}
    data = form_data(staff_client.get(url), "story_form") | {"topics": [labor.pk]}
    assert staff_client.post(url, data).status_code == 302
    assert list(story.topics.all()) == [labor]


def test_editors_hold_every_topic_permission(editor):
    assert editor.has_perms(
        [f"stories.{action}_topic" for action in ("add", "change", "delete", "view")]
    )
