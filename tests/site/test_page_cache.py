"""Page caching: per audience, correct for each reader, invalidated by every change."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Subscription
from sources.ratings import Bias, Factuality
from stories.services import attach_articles, detach_articles, set_key_points
from tests.clients import logged_in
from tests.factories import (
    ArticleFactory,
    FeedFactory,
    KeyPointFactory,
    SourceFactory,
    StoryArticleFactory,
    SubscriptionFactory,
    UserFactory,
    story_with_coverage,
)

from .html import factuality_traces

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = story_with_coverage(articles=6, sources=3, title="Tide tables change")
    story.key_points.update(text="A point.")
    return story


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_repeated_anonymous_request_is_served_from_cache_with_only_the_version_query(
    client, story, django_assert_num_queries
):
    url = f"/stories/{story.slug}/"
    first, _ = fetch(client, url)
    with django_assert_num_queries(1):  # the page version, kept in the database
        second, _ = fetch(client, url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content


def test_an_anonymous_hit_is_the_whole_page_rendering_no_template(client, story):
    url = f"/stories/{story.slug}/"
    first, _ = fetch(client, url)
    second, _ = fetch(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert [t.name for t in second.templates] == []  # not even the header and footer
    assert first.content == second.content


def message_cookie(text: str) -> str:
    """The value of the "messages" cookie that carries one message to the next page."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[storage.cookie_name].value


def test_an_anonymous_reader_with_a_message_gets_it_and_nobody_else_does(client, story):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    told = Client()
    told.cookies["messages"] = message_cookie("Meant for one reader.")
    assert "Meant for one reader." in fetch(told, url)[1]
    assert "Meant for one reader." not in fetch(told, url)[1]  # shown once, then used up
    assert "Meant for one reader." not in fetch(client, url)[1]


def test_premium_after_anonymous_gets_its_own_entry(client_as, story):
    url = f"/stories/{story.slug}/"
    fetch(client_as("anonymous"), url)
    response, text = fetch(client_as("premium"), url)
    assert response["X-Page-Cache"] == "miss"
    assert "data-factuality" in factuality_traces(text)


def test_anonymous_after_premium_gets_its_own_entry(client_as, story):
    url = f"/stories/{story.slug}/"
    fetch(client_as("premium"), url)
    response, text = fetch(client_as("anonymous"), url)
    assert response["X-Page-Cache"] == "miss"
    assert factuality_traces(text) == []


def test_free_readers_share_the_public_entry_but_see_their_own_header(client_as, story):
    url = f"/stories/{story.slug}/"
    fetch(client_as("anonymous"), url)
    response, text = fetch(client_as("free"), url)
    assert response["X-Page-Cache"] == "hit"
    assert "Signed in as <strong>free</strong>" in text
    assert factuality_traces(text) == []
    _, anonymous_again = fetch(client_as("anonymous"), url)
    assert "Signed in as" not in anonymous_again and "csrfmiddlewaretoken" not in anonymous_again


def test_an_expired_subscription_loses_access_on_the_next_request_with_the_cache_warm(
    client_as, story
):
    url = f"/stories/{story.slug}/"
    premium = client_as("premium")
    _, before = fetch(premium, url)
    assert "data-factuality" in factuality_traces(before)
    # Expire it behind the site's back: no signal, no cache bump.
    Subscription.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    other = SubscriptionFactory(user=UserFactory(username="still-premium")).user
    still_premium = logged_in(other)
    warm, _ = fetch(still_premium, url)
    assert warm["X-Page-Cache"] == "hit"  # the premium entry is still cached...
    _, after = fetch(premium, url)
    assert factuality_traces(after) == []  # ...and the expired reader no longer gets it


def test_unknown_query_parameters_share_the_entry(client, story):
    fetch(client, f"/stories/{story.slug}/")
    response, _ = fetch(client, f"/stories/{story.slug}/?utm_source=newsletter")
    assert response["X-Page-Cache"] == "hit"


def test_tabs_and_pages_are_cached_separately(client, story):
    fetch(client, f"/stories/{story.slug}/")
    response, _ = fetch(client, f"/stories/{story.slug}/?bias=left")
    assert response["X-Page-Cache"] == "miss"


def warm(client, url):
    fetch(client, url)
    assert fetch(client, url)[0]["X-Page-Cache"] == "hit"


def test_editing_a_key_point_invalidates(client, story, django_capture_on_commit_callbacks):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    point = story.key_points.first()
    point.text = "Ferries run again."
    with django_capture_on_commit_callbacks(execute=True):
        point.save()
    assert "Ferries run again." in fetch(client, url)[1]


def test_replacing_key_points_through_the_service_invalidates(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        set_key_points(story=story, texts=["Brand new point."])
    assert "Brand new point." in fetch(client, url)[1]


def test_editing_an_article_invalidates(client, story, django_capture_on_commit_callbacks):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    article = story.story_articles.first().article
    article.title = "Corrected headline"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "Corrected headline" in fetch(client, url)[1]


def test_attaching_articles_through_the_service_invalidates(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    newcomer = ArticleFactory(title="A late arrival")
    with django_capture_on_commit_callbacks(execute=True):
        attach_articles(story=story, articles=[newcomer])
    assert "A late arrival" in fetch(client, url)[1]


def test_detaching_articles_through_the_service_invalidates(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    leaving = ArticleFactory(title="Soon to be detached")
    StoryArticleFactory(story=story, article=leaving)
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        detach_articles(story=story, articles=[leaving])
    assert "Soon to be detached" not in fetch(client, url)[1]


def test_rerating_a_covering_source_invalidates(client, story, django_capture_on_commit_callbacks):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    source = story.story_articles.first().article.source
    source.name, source.bias = "Renamed Gazette", Bias.FAR_RIGHT
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    text = fetch(client, url)[1]
    assert "Renamed Gazette" in text and "Far Right" in text


def test_editing_the_story_invalidates_the_home_page(
    client, story, django_capture_on_commit_callbacks
):
    warm(client, "/")
    story.title = "Tide tables change again"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert "Tide tables change again" in fetch(client, "/")[1]


def test_a_change_that_rolls_back_leaves_the_cache_alone(client, story):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    KeyPointFactory(story=story, text="Never committed.")  # the test's transaction never commits
    assert fetch(client, url)[0]["X-Page-Cache"] == "hit"


def test_a_premium_change_of_factuality_reaches_premium_readers(
    client_as, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    premium = client_as("premium")
    warm(premium, url)
    source = story.story_articles.first().article.source
    source.factuality = Factuality.VERY_LOW
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    assert "Very Low factuality" in fetch(premium, url)[1]


def test_pages_are_served_when_the_cache_is_down(client, story, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response, text = fetch(client, f"/stories/{story.slug}/")
    assert response["X-Page-Cache"] == "miss" and "Tide tables change" in text


def test_the_feed_is_cached_and_invalidated(client, story, django_capture_on_commit_callbacks):
    warm(client, "/feeds/stories/")
    story.title = "Tide tables, revised"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert "Tide tables, revised" in fetch(client, "/feeds/stories/")[1]


def test_new_sources_on_a_story_show_after_invalidation(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        StoryArticleFactory(
            story=story, article=ArticleFactory(source=SourceFactory(name="Fresh Voice"))
        )
    assert "Fresh Voice" in fetch(client, url)[1]


def ingest_again(article, *, title):
    """Ingestion's bulk path (no post_save) storing a changed headline for the article."""
    from django.db import transaction

    from sources.ingest import store_entries
    from sources.normalize import Entry

    entry = Entry(
        url=article.url,
        guid=article.guid,
        title=title,
        summary=article.summary,
        author=article.author,
        image_url=article.image_url,
        published_at=article.published_at,
    )
    with transaction.atomic():
        return store_entries(article.feed, [entry], now=timezone.now())


def test_ingestion_updating_an_article_in_a_story_invalidates(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    article = story.story_articles.first().article
    article.feed = FeedFactory(source=article.source)
    article.save()
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest_again(article, title="Headline as the outlet corrected it")[1] == 1
    assert "Headline as the outlet corrected it" in fetch(client, url)[1]


def test_ingestion_updating_articles_in_no_story_keeps_the_cache(
    client, story, django_capture_on_commit_callbacks
):
    url = f"/stories/{story.slug}/"
    loose = ArticleFactory(feed=FeedFactory())
    warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest_again(loose, title="A change nobody's story shows")[1] == 1
    assert fetch(client, url)[0]["X-Page-Cache"] == "hit"
