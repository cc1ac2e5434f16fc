"""The readers' own pages run a fixed number of queries, pinned at two data sizes."""

import pytest

from accounts.models import NewsBiasOptIn, SavedStory, StoryRead
from tests.clients import count_queries, logged_in
from tests.factories import UserFactory, story_with_coverage

pytestmark = pytest.mark.django_db

# Every logged-in page reads the session and the user.
LOGIN = 2


@pytest.fixture(params=[2, 30], ids=["2 stories", "30 stories"])
def busy_reader(request, settings):
    """A reader who saved and read n stories, with My News Bias on."""
    settings.NEWSROOM_FREE_SAVED_STORIES = 100
    reader = UserFactory()
    NewsBiasOptIn.objects.create(user=reader)
    for _ in range(request.param):
        story = story_with_coverage(articles=2, sources=2)
        SavedStory.objects.create(user=reader, story=story)
        StoryRead.objects.create(user=reader, story=story)
    return reader


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the subscription (premium rule and the plan), the saved count
        ("/premium/", LOGIN + 3),
        # the premium rule (the limit), the saved stories
        ("/saved/", LOGIN + 2),
        # the switch, the reader's mix, all coverage's mix
        ("/my-news-bias/", LOGIN + 3),
        ("/my-news-bias/history/", LOGIN + 1),
        ("/my-news-bias/history.json", LOGIN + 1),
    ],
)
def test_reader_pages(busy_reader, url, queries):
    assert count_queries(logged_in(busy_reader), url) == queries


def test_the_story_page_adds_two_queries_for_a_reader_with_my_news_bias_on(busy_reader):
    """Whether it is saved and whether reads are recorded (one), the read itself (one)."""
    story = story_with_coverage(articles=3)
    client = logged_in(busy_reader)
    client.get(story.get_absolute_url())  # the page's content is cached from here on
    with_reads = count_queries(client, story.get_absolute_url())
    NewsBiasOptIn.objects.all().delete()
    assert count_queries(client, story.get_absolute_url()) == with_reads - 1
