"""The story page's digest (web/digest.py): stored once, never stale, never across audiences."""

import pickle
from dataclasses import replace

import pytest

from desk.models import RelatedStory
from desk.related import refresh_related
from desk.signals import related_changed
from sources.models import Article, Source
from sources.ratings import Bias, Factuality
from sources.signals import articles_changed
from stories.freshness import bump_content_version, content_version
from stories.models import Story
from stories.services import (
    attach_articles,
    detach_articles,
    merge_stories,
    set_key_points,
    unpublish_story,
)
from stories.signals import coverage_changed
from tests.factories import ArticleFactory, SourceFactory, TopicFactory, story_with_coverage
from web import digest
from web.models import StoryPageDigest
from web.pages import NO_CARDS
from web.rendered_cards import cards_html, render_cards

from .html import factuality_traces

pytestmark = pytest.mark.django_db


def article_count(client, story) -> int:
    bump_content_version()  # past the page cache, to the digest
    html = client.get(f"/stories/{story.slug}/").content.decode()
    return int(html.split('<span id="article-count">')[1].split("<")[0])


def read_digest(story, with_factuality=False) -> digest.Stored | None:
    row = StoryPageDigest.objects.get(story=story)
    data = getattr(row, digest.column(with_factuality))
    return digest.load(story.pk, data, stored_at=row.version, now=row.version)


def page(client, story, query="") -> str:
    bump_content_version()
    return client.get(f"/stories/{story.slug}/{query}").content.decode()


def test_a_view_stores_the_digest_and_the_next_reads_it(client):
    story = story_with_coverage(articles=12, sources=4)
    first = page(client, story)
    stored = StoryPageDigest.objects.get(story=story)
    assert stored.public is not None and stored.premium is None
    assert page(client, story) == first


def test_attaching_and_detaching_show_at_once(client):
    story = story_with_coverage(articles=5, sources=3)
    assert article_count(client, story) == 5
    extra = ArticleFactory.create_batch(2, source=SourceFactory(bias=Bias.RIGHT))
    attach_articles(story=story, articles=extra)
    assert article_count(client, story) == 7
    detach_articles(story=story, articles=extra[:1])
    assert article_count(client, story) == 6


def test_a_merge_shows_on_the_survivor(client):
    survivor = story_with_coverage(articles=4, sources=2)
    absorbed = story_with_coverage(articles=3, sources=2)
    assert article_count(client, survivor) == 4
    merge_stories(survivor=survivor, absorbed=absorbed)
    assert article_count(client, survivor) == 7


def test_an_edited_headline_and_a_rerated_outlet_show_at_once(client):
    story = story_with_coverage(articles=3, sources=3)
    assert "Rewritten headline" not in page(client, story)
    article = Article.objects.filter(story_link__story=story).first()
    article.title = "Rewritten headline"
    article.save()
    assert "Rewritten headline" in page(client, story)
    source = article.source
    source.name = "Renamed Outlet"
    source.save()
    assert "Renamed Outlet" in page(client, story)


def test_an_outlet_deleted_leaves_the_story_page_at_once(client):
    story = story_with_coverage(articles=4, sources=4)
    assert article_count(client, story) == 4
    Source.objects.filter(articles__story_link__story=story).first().delete()
    assert article_count(client, story) == 3


def test_ingestion_updates_in_bulk_outdate_the_digest(client):
    """Ingestion writes with update() and says so with articles_changed (after commit)."""
    story = story_with_coverage(articles=2, sources=2)
    page(client, story)
    article = Article.objects.filter(story_link__story=story).first()
    Article.objects.filter(pk=article.pk).update(title="Corrected by the outlet")
    articles_changed.send(sender=Article, article_ids=[article.pk])
    assert "Corrected by the outlet" in page(client, story)


def test_changes_to_other_stories_keep_this_digest(client):
    story = story_with_coverage(articles=3, sources=3)
    other = story_with_coverage(articles=3, sources=3)
    page(client, story)
    kept = StoryPageDigest.objects.get(story=story).public
    attach_articles(story=other, articles=[ArticleFactory()])
    assert StoryPageDigest.objects.get(story=story).public == kept


def test_premium_and_public_digests_never_cross(client_as):
    """The premium reader's digest holds factuality; a free reader never gets it."""
    story = story_with_coverage(articles=4, sources=4)
    Source.objects.update(factuality=Factuality.HIGH)
    digest.forget([story.pk])  # the update above bypasses the signals
    premium = page(client_as("premium"), story)
    assert factuality_traces(premium)
    for audience in ("anonymous", "free"):
        assert not factuality_traces(page(client_as(audience), story))
    assert factuality_traces(page(client_as("premium"), story))


def test_a_digest_computed_before_a_change_is_not_stored_after_it():
    """A view that read the old rows and stores late must not overwrite the change."""
    story = story_with_coverage(articles=2, sources=2)
    before = content_version()
    # The change commits and is announced under a newer version...
    digest.outdate([story.pk], bump_content_version())
    # ...then the slow view, which read the version (and the rows) before it, stores.
    digest.store(story.pk, False, "stale", {}, version=before)
    stored = StoryPageDigest.objects.get(story=story)
    assert stored.public is None
    # A view that began after the change stores its digest.
    digest.store(story.pk, False, "fresh", {}, version=content_version())
    assert read_digest(story).facts == "fresh"


def test_outdating_lowers_no_version_and_skips_deleted_stories():
    story = story_with_coverage(articles=1, sources=1)
    digest.store(story.pk, True, "kept", {}, version=500)
    digest.outdate([story.pk, 987654], 400)
    stored = StoryPageDigest.objects.get(story=story)
    assert (stored.version, stored.premium) == (500, None)
    assert not StoryPageDigest.objects.filter(story_id=987654).exists()


@pytest.mark.parametrize("stored", [b"not a pickle", pickle.dumps(("other code", "old", {}))])
def test_an_unreadable_digest_is_computed_anew(client, stored):
    story = story_with_coverage(articles=3, sources=3)
    StoryPageDigest.objects.create(story=story, version=0, public=stored)
    assert article_count(client, story) == 3
    assert read_digest(story).facts.counts["all"] == 3


def test_key_points_edited_show_at_once(client):
    story = story_with_coverage(articles=2, sources=2)
    assert "The vote is on Friday." not in page(client, story)
    set_key_points(story=story, texts=["The vote is on Friday."])
    assert "The vote is on Friday." in page(client, story)
    point = story.key_points.get()
    point.text = "The vote moved to Monday."
    point.save()
    assert "The vote moved to Monday." in page(client, story)


def test_a_digest_older_than_its_maximum_age_is_computed_anew(client, settings):
    """A write that bypassed the signals shows once the digest is an hour old."""
    story = story_with_coverage(articles=2, sources=2)
    page(client, story)
    Article.objects.filter(story_link__story=story).update(title="Renamed in bulk")
    assert "Renamed in bulk" not in page(client, story)
    StoryPageDigest.objects.filter(story=story).update(
        version=content_version() - settings.NEWSROOM_DIGEST_MAX_AGE_SECONDS * 1000 - 1
    )
    assert "Renamed in bulk" in page(client, story)


def test_a_story_deleted_takes_its_digest(client):
    story = story_with_coverage(articles=2, sources=2)
    page(client, story)
    story.delete()
    assert not StoryPageDigest.objects.exists()


def test_stored_cards_read_as_rendering_them_on_each_view(client):
    story = story_with_coverage(articles=6, sources=3)
    article = Article.objects.filter(story_link__story=story).first()
    article.title = "<b>Bold</b> & \"quoted\" 'claims'"
    article.save()
    page(client, story)
    stored = read_digest(story)
    cards = stored.part("all")
    rendered = stored.part("all:html")
    assert len(rendered.moments) == len(cards) == 6
    assert rendered.html() == cards_html(cards, NO_CARDS)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;claims&#x27;" in rendered.html()


def test_a_nul_in_a_card_leaves_it_to_be_rendered_on_each_view(client):
    story = story_with_coverage(articles=2, sources=2)
    page(client, story)
    cards = [replace(card, title="A\x00B") for card in read_digest(story).part("all")]
    assert render_cards(cards, NO_CARDS) is None
    assert "A\x00B" in cards_html(cards, NO_CARDS)


def test_topics_tagged_renamed_and_removed_show_at_once(client):
    story = story_with_coverage(articles=2, sources=2)
    energy = TopicFactory(name="Energy grid")
    assert "Energy grid" not in page(client, story)
    story.topics.add(energy)
    assert "Energy grid" in page(client, story)
    energy.name = "Power grid"
    energy.save()
    assert "Power grid" in page(client, story)
    energy.stories.clear()
    assert "Power grid" not in page(client, story)
    energy.stories.add(story)
    assert "Power grid" in page(client, story)
    energy.delete()
    assert "Power grid" not in page(client, story)


def test_related_stories_refreshed_retitled_and_unpublished_show_at_once(client):
    grid = story_with_coverage(articles=2, sources=2, title="Senate passes grid bill")
    kin = story_with_coverage(articles=2, sources=2, title="Utilities back the grid bill")
    assert "Utilities back the grid bill" not in page(client, grid)
    RelatedStory.objects.create(story=grid, related=kin, rank=0, score=0.5)
    related_changed.send(sender=RelatedStory, story_ids=[grid.pk])
    assert "Utilities back the grid bill" in page(client, grid)
    kin.title = "Utilities split over the grid bill"
    kin.save()
    assert "Utilities split over the grid bill" in page(client, grid)
    attach_articles(story=kin, articles=[ArticleFactory()])  # its count of sources
    assert "3 sources" in page(client, grid)
    unpublish_story(story=kin)
    assert "Utilities split" not in page(client, grid)


def test_a_related_story_deleted_leaves_the_page_at_once(client):
    grid = story_with_coverage(articles=2, sources=2, title="Senate passes grid bill")
    kin = story_with_coverage(articles=2, sources=2, title="Utilities back the grid bill")
    RelatedStory.objects.create(story=grid, related=kin, rank=0, score=0.5)
    related_changed.send(sender=RelatedStory, story_ids=[grid.pk])
    assert "Utilities back the grid bill" in page(client, grid)
    kin.delete()
    assert "Utilities back the grid bill" not in page(client, grid)


def test_refreshing_unchanged_related_stories_keeps_the_digest(client):
    grid = story_with_coverage(articles=2, sources=2, title="Senate passes grid bill")
    story_with_coverage(articles=2, sources=2, title="Utilities back the grid bill")
    refresh_related([grid.pk])
    page(client, grid)
    kept = StoryPageDigest.objects.get(story=grid).public
    assert refresh_related([grid.pk])  # the same stories found again
    assert StoryPageDigest.objects.get(story=grid).public == kept


def test_changes_to_tens_of_thousands_of_stories_at_once(
    client, django_capture_on_commit_callbacks
):
    """Bulk writes (a recount, generated data) name more stories than a query may take
    parameters in some SQLite builds (32,766)."""
    story = story_with_coverage(articles=2, sources=2)
    page(client, story)
    many = [story.pk, *range(10**6, 10**6 + 40_000)]
    with django_capture_on_commit_callbacks(execute=True):
        coverage_changed.send(sender=Story, story_ids=many)
    assert StoryPageDigest.objects.get(story=story).public is None
    assert StoryPageDigest.objects.count() == 1  # no digest for stories that do not exist
    page(client, story)
    articles_changed.send(sender=Article, article_ids=list(range(1, 40_001)))
    assert StoryPageDigest.objects.get(story=story).public is None


def test_once_a_change_commits_views_begun_before_it_cannot_store(
    client, django_capture_on_commit_callbacks
):
    story = story_with_coverage(articles=3, sources=3)
    page(client, story)
    began = content_version()  # a view starts, and reads the rows before the change
    with django_capture_on_commit_callbacks(execute=True):
        attach_articles(story=story, articles=[ArticleFactory()])
    outdated = StoryPageDigest.objects.get(story=story)
    assert outdated.public is None and outdated.version > began
    digest.store(story.pk, False, "from before the change", {}, version=began)
    assert StoryPageDigest.objects.get(story=story).public is None
    assert article_count(client, story) == 4
