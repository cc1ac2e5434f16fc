"""My News Bias: off until switched on; reads recorded, compared, exported and deleted."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import StoryRead
from tests.clients import logged_in
from tests.factories import UserFactory, story_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return UserFactory()


@pytest.fixture
def client_of(reader):
    return logged_in(reader)


def switch(client, state: str):
    return client.post("/my-news-bias/", {"news_bias": state})


def left_story(**kw):
    """A story covered by one Far Left outlet only."""
    return story_with_coverage(articles=2, sources=1, **kw)


def bar(html: str, element_id: str) -> dict[str, int]:
    tag = re.search(rf'<div class="bias-bar" id="{element_id}"[^>]*>', html)[0]
    return {
        side: int(re.search(rf'data-{side}="(\d+)"', tag)[1])
        for side in ("left", "center", "right")
    }


def test_nothing_is_recorded_until_the_reader_switches_it_on(reader, client_of):
    story = left_story()
    client_of.get(story.get_absolute_url())
    assert not StoryRead.objects.exists()
    assert "My News Bias is off" in client_of.get("/my-news-bias/").content.decode()


def test_reads_are_recorded_once_per_story_with_the_latest_time(reader, client_of):
    story = left_story()
    switch(client_of, "on")
    client_of.get(story.get_absolute_url())
    first = StoryRead.objects.get(user=reader).read_at
    client_of.get(story.get_absolute_url())  # a cached page still counts
    (read,) = StoryRead.objects.filter(user=reader)
    assert read.story == story and read.read_at > first


def test_anonymous_readers_and_drafts_are_never_recorded(reader, client_of):
    switch(client_of, "on")
    story = left_story()
    Client().get(story.get_absolute_url())
    assert not StoryRead.objects.exists()


def test_the_dashboard_compares_the_readers_mix_with_all_coverage(reader, client_of):
    left = left_story()
    story_with_coverage(articles=8, sources=8)  # every bias once, and one unrated
    switch(client_of, "on")
    client_of.get(left.get_absolute_url())
    html = client_of.get("/my-news-bias/").content.decode()
    assert bar(html, "mix-yours") == {"left": 100, "center": 0, "right": 0}
    # All coverage: 1 + 3 left, 1 center, 3 right sources.
    assert bar(html, "mix-everyone") == {"left": 50, "center": 13, "right": 37}
    assert re.search(r'<strong id="read-count">1</strong>', html)


def test_reads_older_than_thirty_days_leave_the_dashboard(reader, client_of):
    switch(client_of, "on")
    client_of.get(left_story().get_absolute_url())
    StoryRead.objects.update(read_at=timezone.now() - timedelta(days=31))
    html = client_of.get("/my-news-bias/").content.decode()
    assert re.search(r'<strong id="read-count">0</strong>', html)
    assert "No rated sources here yet" in html


def test_switching_off_stops_recording_and_keeps_the_history(reader, client_of):
    first, second = left_story(), left_story()
    switch(client_of, "on")
    client_of.get(first.get_absolute_url())
    switch(client_of, "off")
    client_of.get(second.get_absolute_url())
    assert list(StoryRead.objects.values_list("story_id", flat=True)) == [first.pk]


def test_the_reader_downloads_their_history_as_json(reader, client_of):
    story = left_story(title="Canal reopens")
    switch(client_of, "on")
    client_of.get(story.get_absolute_url())
    other = logged_in(UserFactory())
    switch(other, "on")
    other.get(left_story(title="Someone else's story").get_absolute_url())

    response = client_of.get("/my-news-bias/history.json")
    assert response["Content-Disposition"] == 'attachment; filename="reading-history.json"'
    reads = json.loads(response.content)["reads"]
    assert [read["story"] for read in reads] == ["Canal reopens"]
    assert reads[0]["url"] == f"http://testserver{story.get_absolute_url()}"


def test_the_reader_deletes_their_history(reader, client_of):
    switch(client_of, "on")
    client_of.get(left_story().get_absolute_url())
    other = UserFactory()
    StoryRead.objects.create(user=other, story=left_story())
    response = client_of.post("/my-news-bias/history/", follow=True)
    assert "Deleted your reading history (1 stories)" in response.content.decode()
    assert not StoryRead.objects.filter(user=reader).exists()
    assert StoryRead.objects.filter(user=other).exists()


def test_the_history_page_lists_what_was_recorded(reader, client_of):
    switch(client_of, "on")
    client_of.get(left_story(title="Tram fares frozen").get_absolute_url())
    assert "Tram fares frozen" in client_of.get("/my-news-bias/history/").content.decode()


def test_switching_and_deleting_need_a_csrf_token(reader):
    strict = logged_in(reader, enforce_csrf_checks=True)
    assert switch(strict, "on").status_code == 403
    assert strict.post("/my-news-bias/history/").status_code == 403


@pytest.mark.parametrize(
    "url", ["/my-news-bias/", "/my-news-bias/history/", "/my-news-bias/history.json"]
)
def test_the_pages_need_a_login(url):
    assert Client().get(url)["Location"].startswith("/accounts/login/")
