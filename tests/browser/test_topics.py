"""Topics in Chromium: follow a topic from its page, read it on For you; pages pass axe."""

import pytest

from accounts.models import TopicFollow
from tests.factories import TopicFactory, UserFactory

from .conftest import log_in
from .test_accessibility import axe_source, blocking_violations, report  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def harbour_topic(harbour_stories):
    topic = TopicFactory(name="Transport", slug="transport", description="Roads, rails, bridges.")
    topic.stories.add(harbour_stories.story)
    return topic


def test_a_reader_follows_a_topic_without_javascript_and_reads_it_for_you(open_page, harbour_topic):
    reader = UserFactory(username="commuter")
    page, problems = open_page(java_script_enabled=False)
    log_in(page, reader.username, next_url="/topics/transport/")
    with page.expect_navigation():
        page.locator("#follow-topic").click()
    assert page.locator("#unfollow-topic").is_visible()
    assert TopicFollow.objects.filter(user=reader, topic=harbour_topic).exists()
    page.goto("/for-you/")
    assert page.locator("article.story-teaser").evaluate_all(
        "teasers => teasers.map(t => t.dataset.slug)"
    ) == ["harbour-bridge"]
    assert problems.all(page) == []


def test_topic_pages_pass_axe_for_anonymous_and_logged_in_readers(
    open_page,
    harbour_topic,
    axe_source,  # noqa: F811
):
    page, _ = open_page()
    found = {}
    for path in ("/topics/", "/topics/transport/", "/stories/harbour-bridge/"):
        page.goto(path)
        found[f"{path} (anonymous)"] = blocking_violations(page, axe_source)
    log_in(page, UserFactory(username="commuter").username, next_url="/topics/transport/")
    found["/topics/transport/ (reader)"] = blocking_violations(page, axe_source)
    page.goto("/for-you/")
    found["/for-you/ (reader, no follows)"] = blocking_violations(page, axe_source)
    assert report(found) == ""
