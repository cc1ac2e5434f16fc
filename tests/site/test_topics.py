"""Topic pages, following topics, the For you page, topic feeds, and their page cache."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import TopicFollow
from stories.freshness import bump_content_version
from stories.models import Topic
from tests.clients import count_queries, logged_in
from tests.factories import (
    DraftStoryFactory,
    StoryFactory,
    TopicFactory,
    UserFactory,
    story_with_coverage,
)

from .html import by_id, elements, find, inside, squash

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script> & <b>Bold</b>'
ATOM = "{http://www.w3.org/2005/Atom}"
# Cached pages read the page version (web/cache.py); a logged-in reader adds the session,
# the user and the subscription (tests/site/test_query_counts.py).
VERSION_QUERY = 1
READER_QUERIES = 3


def fetch(client, url) -> tuple:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


def tagged(topic, *, n=1, **story):
    """n published stories tagged with topic, one minute apart, the last one newest."""
    now = timezone.now()
    stories = [StoryFactory(published_at=now - timedelta(minutes=n - i), **story) for i in range(n)]
    topic.stories.add(*stories)
    return stories


def teaser_slugs(html) -> list[str]:
    return [e.attrs["data-slug"] for e in find(html, "article", class_="story-teaser")]


@pytest.fixture
def energy():
    return TopicFactory(name="Energy", slug="energy", description="Grids, fuels and prices.")


@pytest.fixture
def reader():
    return UserFactory(username="follower")


# --- /topics/ -------------------------------------------------------------------------


def test_the_topic_list_counts_only_published_stories(client, energy):
    tagged(energy, n=2)
    energy.stories.add(
        DraftStoryFactory(), StoryFactory(published_at=timezone.now() + timedelta(days=1))
    )
    TopicFactory(name="Labor", slug="labor")
    TopicFactory(name="Courts", slug="courts")  # made last, listed by name
    _, html = fetch(client, "/topics/")
    items = find(html, "li", class_="topic-item")
    spans = find(html, "span", class_="topic-count")
    counts = {
        li.attrs["data-topic"]: squash(span.text) for li, span in zip(items, spans, strict=True)
    }
    assert list(counts.items()) == [
        ("courts", "0 stories"),
        ("energy", "2 stories"),
        ("labor", "0 stories"),
    ]


def test_the_topic_list_says_when_there_are_no_topics(client):
    _, html = fetch(client, "/topics/")
    assert by_id(html, "topics-empty").text == "No topics yet."


def test_every_page_links_to_the_topics_in_its_header(client):
    _, html = fetch(client, "/")
    assert [a.text for a in find(html, "a", href="/topics/")] == ["Topics"]


# --- /topics/<slug>/ ------------------------------------------------------------------


def test_a_topic_page_lists_its_published_stories_newest_first(client, energy):
    older, newer = tagged(energy, n=2)
    energy.stories.add(DraftStoryFactory(slug="draft"))
    StoryFactory(slug="untagged")
    _, html = fetch(client, "/topics/energy/")
    assert teaser_slugs(html) == [newer.slug, older.slug]
    assert by_id(html, "topic-description").text == "Grids, fuels and prices."


def test_a_topic_page_is_paginated_like_the_home_page(client, energy):
    stories = tagged(energy, n=23)
    _, first = fetch(client, "/topics/energy/")
    assert len(teaser_slugs(first)) == 20
    (next_link,) = find(first, "a", rel="next")
    assert next_link.attrs["href"] == "/topics/energy/?page=2"
    _, second = fetch(client, "/topics/energy/?page=2")
    assert teaser_slugs(second) == [story.slug for story in reversed(stories[:3])]


def test_a_topic_without_published_stories_says_so(client, energy):
    energy.stories.add(DraftStoryFactory())
    _, html = fetch(client, "/topics/energy/")
    assert teaser_slugs(html) == []
    assert by_id(html, "topic-empty").text == "No published stories on this topic yet."


def test_an_unknown_topic_is_a_404(client):
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.get("/feeds/topics/no-such-topic/").status_code == 404
    assert client.get("/feeds/topics/no-such-topic/atom/").status_code == 404


def test_a_topic_page_announces_its_feeds_in_the_head(client, energy):
    _, html = fetch(client, "/topics/energy/")
    alternates = {
        e.attrs["type"]: e.attrs["href"]
        for e in find(html, "link", rel="alternate")
        if "/topics/" in e.attrs["href"]
    }
    assert alternates == {
        "application/rss+xml": "/feeds/topics/energy/",
        "application/atom+xml": "/feeds/topics/energy/atom/",
    }
    assert all(e.ancestors[-1].tag == "head" for e in find(html, "link", rel="alternate"))


# --- the story page -------------------------------------------------------------------


def test_the_story_page_shows_its_topics_as_similar_news_topics(client, energy):
    story = story_with_coverage(articles=2)
    story.topics.add(energy, TopicFactory(name="Courts", slug="courts"))
    _, html = fetch(client, f"/stories/{story.slug}/")
    assert by_id(html, "story-topics-heading").text == "Similar news topics"
    links = inside(html, "story-topics", "a")
    assert [(a.text, a.attrs["href"]) for a in links] == [
        ("Courts", "/topics/courts/"),
        ("Energy", "/topics/energy/"),
    ]


def test_a_story_without_topics_shows_no_topics_section(client):
    story = story_with_coverage(articles=2)
    _, html = fetch(client, f"/stories/{story.slug}/")
    assert find(html, id="story-topics") == []


# --- markup in a topic name -----------------------------------------------------------


def test_a_topic_name_with_markup_is_escaped_everywhere(client, reader):
    topic = TopicFactory(name=MARKUP, slug="script-alert-x-bold", description=MARKUP)
    (story,) = tagged(topic)
    TopicFollow.objects.create(user=reader, topic=topic)
    follower = logged_in(reader)
    pages = [
        fetch(client, "/topics/")[1],
        fetch(client, "/topics/script-alert-x-bold/")[1],
        fetch(follower, "/topics/script-alert-x-bold/")[1],
        fetch(client, f"/stories/{story.slug}/")[1],
        fetch(follower, "/for-you/")[1],
    ]
    for html in pages:
        assert "<script>alert" not in html and "<b>Bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    for url in ("/feeds/topics/script-alert-x-bold/", "/feeds/topics/script-alert-x-bold/atom/"):
        feed = ElementTree.fromstring(client.get(url).content)  # noqa: S314 (our own feed)
        title = feed.findtext("channel/title") or feed.findtext(f"{ATOM}title")
        assert title == f"Newsroom: {MARKUP}"


# --- following ------------------------------------------------------------------------


def test_a_reader_follows_a_topic_and_is_sent_back_to_it(reader, energy):
    client = logged_in(reader)
    response = client.post("/topics/energy/follow/")
    assert response.status_code == 302 and response.url == "/topics/energy/"
    assert list(TopicFollow.objects.values_list("user__username", "topic__slug")) == [
        ("follower", "energy")
    ]
    _, html = fetch(client, "/topics/energy/")
    assert "Following" in by_id(html, "unfollow-topic").text
    assert "You follow Energy" in html


def test_following_twice_keeps_one_follow(reader, energy):
    client = logged_in(reader)
    client.post("/topics/energy/follow/")
    assert client.post("/topics/energy/follow/").status_code == 302
    assert TopicFollow.objects.filter(user=reader).count() == 1


def test_a_reader_unfollows_a_topic(reader, energy):
    TopicFollow.objects.create(user=reader, topic=energy)
    client = logged_in(reader)
    assert client.post("/topics/energy/unfollow/").status_code == 302
    assert not TopicFollow.objects.exists()
    _, html = fetch(client, "/topics/energy/")
    assert by_id(html, "follow-topic").text.startswith("Follow")
    assert client.post("/topics/energy/unfollow/").status_code == 302  # again: nothing to undo


def test_a_follow_without_the_csrf_token_is_refused(reader, energy):
    client = logged_in(reader, enforce_csrf_checks=True)
    assert client.post("/topics/energy/follow/").status_code == 403
    assert not TopicFollow.objects.exists()


def test_the_follow_form_carries_the_csrf_token(reader, energy):
    client = logged_in(reader, enforce_csrf_checks=True)
    _, html = fetch(client, "/topics/energy/")
    parsed = elements(html)
    (form,) = [e for e in parsed if e.attrs.get("action") == "/topics/energy/follow/"]
    (token,) = [
        e.attrs["value"]
        for e in parsed
        if e.attrs.get("name") == "csrfmiddlewaretoken" and form in e.ancestors
    ]
    assert client.post("/topics/energy/follow/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert TopicFollow.objects.filter(user=reader, topic=energy).exists()


def test_an_anonymous_follow_is_sent_to_log_in_and_follows_nothing(client, energy):
    response = client.post("/topics/energy/follow/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/topics/energy/"
    assert not TopicFollow.objects.exists()


def test_following_an_unknown_topic_is_a_404(reader):
    assert logged_in(reader).post("/topics/no-such-topic/follow/").status_code == 404


def test_follow_takes_only_posts(reader, energy):
    assert logged_in(reader).get("/topics/energy/follow/").status_code == 405
    assert not TopicFollow.objects.exists()


def test_anonymous_readers_get_a_log_in_link_instead_of_the_button(client, energy):
    _, html = fetch(client, "/topics/energy/")
    link = find(html, "a", href="/accounts/login/?next=/topics/energy/")
    assert link and find(html, "form", class_="follow-form") == []


def test_the_cached_topic_page_never_shows_one_readers_button_to_another(client, reader, energy):
    tagged(energy)
    TopicFollow.objects.create(user=reader, topic=energy)
    follower = logged_in(reader)
    fetch(client, "/topics/energy/")
    response, html = fetch(follower, "/topics/energy/")
    assert response["X-Page-Cache"] == "hit"  # the stories, cached; the button, the reader's
    assert find(html, id="unfollow-topic")
    response, html = fetch(client, "/topics/energy/")
    assert response["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in html and find(html, id="unfollow-topic") == []
    _, html = fetch(logged_in(UserFactory(username="other")), "/topics/energy/")
    assert find(html, id="follow-topic") and find(html, id="unfollow-topic") == []


# --- For you --------------------------------------------------------------------------


def test_for_you_sends_anonymous_readers_to_log_in(client):
    response = client.get("/for-you/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/for-you/"


def test_for_you_without_follows_says_how_to_start(reader):
    _, html = fetch(logged_in(reader), "/for-you/")
    empty = by_id(html, "for-you-empty")
    assert squash(empty.text).startswith("You follow no topics yet.")
    assert find(html, "a", href="/topics/")


def test_for_you_when_followed_topics_have_no_stories_says_so(reader, energy):
    energy.stories.add(DraftStoryFactory())
    TopicFollow.objects.create(user=reader, topic=energy)
    _, html = fetch(logged_in(reader), "/for-you/")
    assert teaser_slugs(html) == []
    assert by_id(html, "for-you-empty").text.startswith("None of the topics you follow")


def test_for_you_lists_published_stories_of_followed_topics_once_newest_first(reader, energy):
    labor = TopicFactory(name="Labor", slug="labor")
    older, newer = tagged(energy, n=2)
    labor.stories.add(newer)  # in two followed topics: listed once
    energy.stories.add(DraftStoryFactory(slug="draft"))
    tagged(TopicFactory(name="Courts", slug="courts"), slug="not-followed")
    for topic in (energy, labor):
        TopicFollow.objects.create(user=reader, topic=topic)
    response, html = fetch(logged_in(reader), "/for-you/")
    assert teaser_slugs(html) == [newer.slug, older.slug]
    assert [a.text for a in inside(html, "followed-topics", "a")] == ["Energy", "Labor"]
    assert "X-Page-Cache" not in response  # the reader's own page is never cached


def test_for_you_has_one_h1_and_no_skipped_heading_level(reader, energy):
    tagged(energy)
    TopicFollow.objects.create(user=reader, topic=energy)
    html = fetch(logged_in(reader), "/for-you/")[1]
    levels = [int(e.tag[1]) for e in elements(html) if e.tag in {"h1", "h2", "h3", "h4"}]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_for_you_is_paginated(reader, energy):
    tagged(energy, n=23)
    TopicFollow.objects.create(user=reader, topic=energy)
    client = logged_in(reader)
    _, first = fetch(client, "/for-you/")
    assert len(teaser_slugs(first)) == 20
    assert find(first, "a", rel="next")[0].attrs["href"] == "/for-you/?page=2"
    assert len(teaser_slugs(fetch(client, "/for-you/?page=2")[1])) == 3


def test_for_you_shows_a_new_follow_at_once(reader, energy):
    (story,) = tagged(energy)
    client = logged_in(reader)
    fetch(client, "/for-you/")
    client.post("/topics/energy/follow/")
    assert teaser_slugs(fetch(client, "/for-you/")[1]) == [story.slug]


# --- feeds ----------------------------------------------------------------------------


def test_the_topic_feeds_list_its_published_stories_newest_first(client, energy):
    older, newer = tagged(energy, n=2)
    energy.stories.add(DraftStoryFactory(title="Draft"))
    StoryFactory(title="Untagged")
    rss = ElementTree.fromstring(client.get("/feeds/topics/energy/").content)  # noqa: S314
    assert rss.findtext("channel/title") == "Newsroom: Energy"
    assert rss.findtext("channel/link").endswith("/topics/energy/")
    assert [i.findtext("title") for i in rss.iter("item")] == [newer.title, older.title]
    response = client.get("/feeds/topics/energy/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = ElementTree.fromstring(response.content)  # noqa: S314
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert titles == [newer.title, older.title]


# --- page cache -----------------------------------------------------------------------


def warm(client, url):
    fetch(client, url)
    assert fetch(client, url)[0]["X-Page-Cache"] == "hit"


def test_tagging_a_story_invalidates_the_topic_and_story_pages(
    client, energy, django_capture_on_commit_callbacks
):
    story = story_with_coverage(articles=1)
    for url in ("/topics/energy/", f"/stories/{story.slug}/", "/topics/"):
        warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        story.topics.add(energy)
    assert teaser_slugs(fetch(client, "/topics/energy/")[1]) == [story.slug]
    assert find(fetch(client, f"/stories/{story.slug}/")[1], id="story-topics")
    assert "1 story" in fetch(client, "/topics/")[1]


def test_untagging_from_the_topic_side_invalidates(
    client, energy, django_capture_on_commit_callbacks
):
    (story,) = tagged(energy)
    warm(client, "/topics/energy/")
    warm(client, f"/stories/{story.slug}/")
    with django_capture_on_commit_callbacks(execute=True):
        energy.stories.remove(story)
    assert teaser_slugs(fetch(client, "/topics/energy/")[1]) == []
    assert find(fetch(client, f"/stories/{story.slug}/")[1], id="story-topics") == []


def test_clearing_a_storys_topics_invalidates(client, energy, django_capture_on_commit_callbacks):
    (story,) = tagged(energy)
    warm(client, f"/stories/{story.slug}/")
    with django_capture_on_commit_callbacks(execute=True):
        story.topics.clear()
    assert find(fetch(client, f"/stories/{story.slug}/")[1], id="story-topics") == []


def test_renaming_a_topic_invalidates_the_pages_that_name_it(
    client, energy, django_capture_on_commit_callbacks
):
    (story,) = tagged(energy)
    for url in ("/topics/", "/topics/energy/", f"/stories/{story.slug}/"):
        warm(client, url)
    energy.name = "Power"
    with django_capture_on_commit_callbacks(execute=True):
        energy.save()
    for url in ("/topics/", "/topics/energy/", f"/stories/{story.slug}/"):
        assert "Power" in fetch(client, url)[1], url


def test_deleting_a_topic_invalidates_its_page(client, energy, django_capture_on_commit_callbacks):
    warm(client, "/topics/energy/")
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.filter(pk=energy.pk).delete()
    assert client.get("/topics/energy/").status_code == 404


def test_the_topic_feed_is_invalidated_by_tagging(
    client, energy, django_capture_on_commit_callbacks
):
    client.get("/feeds/topics/energy/")
    assert client.get("/feeds/topics/energy/")["X-Page-Cache"] == "hit"
    (story,) = [StoryFactory(title="Newly tagged")]
    with django_capture_on_commit_callbacks(execute=True):
        story.topics.add(energy)
    assert b"Newly tagged" in client.get("/feeds/topics/energy/").content


# --- queries --------------------------------------------------------------------------


def cold_queries(client, url) -> int:
    bump_content_version()
    return count_queries(client, url)


@pytest.mark.parametrize("n", [3, 25])
def test_the_topic_list_runs_a_fixed_number_of_queries(client, n):
    for _ in range(n):
        tagged(TopicFactory(), n=2)
    assert cold_queries(client, "/topics/") == 1 + VERSION_QUERY


@pytest.mark.parametrize("n", [3, 25])
def test_a_topic_page_runs_a_fixed_number_of_queries(client, reader, energy, n):
    tagged(energy, n=n)
    # topic, count, the page's ids, counts for those stories
    assert cold_queries(client, "/topics/energy/") == 4 + VERSION_QUERY
    # and whether the reader follows it
    assert cold_queries(logged_in(reader), "/topics/energy/") == (
        4 + VERSION_QUERY + READER_QUERIES + 1
    )


@pytest.mark.parametrize("n", [3, 25])
def test_for_you_runs_a_fixed_number_of_queries(reader, n):
    for _ in range(n):
        topic = TopicFactory()
        tagged(topic, n=2)
        TopicFollow.objects.create(user=reader, topic=topic)
    # session, user; count, the page's ids, counts for those stories; the followed topics
    assert count_queries(logged_in(reader), "/for-you/") == 2 + 4


def test_the_story_page_reads_its_topics_in_one_query_whatever_their_number(client):
    """With the story's digest (web/digest.py), computed once; the rest of the page is
    pinned in tests/site/test_query_counts.py."""
    topic_table = Topic._meta.db_table
    for n in (3, 25):
        story = story_with_coverage(articles=n)
        story.topics.add(*[TopicFactory() for _ in range(n)])
        runs = []
        for _ in range(2):  # the digest computed, then read
            bump_content_version()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/stories/{story.slug}/").status_code == 200
            runs.append(
                [q["sql"] for q in queries.captured_queries if f'FROM "{topic_table}"' in q["sql"]]
            )
        assert [len(run) for run in runs] == [1, 0]


@pytest.mark.parametrize("n", [3, 25])
def test_the_topic_feed_runs_a_fixed_number_of_queries(client, energy, n):
    tagged(energy, n=n)
    # topic, stories, their key points
    assert cold_queries(client, "/feeds/topics/energy/") == 3 + VERSION_QUERY
