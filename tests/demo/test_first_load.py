"""A first load_demo() run on an empty database creates the expected demo."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.premium import may_see_factuality
from demo.content import ACCOUNTS, REFERENCE
from demo.load import load_demo
from sources.models import Article, Feed, Owner, Source
from sources.ratings import Bias, Factuality, OwnerCategory
from stories.coverage import coverage_for
from stories.models import Story

pytestmark = pytest.mark.django_db


def published_stories():
    return Story.objects.published().prefetch_related("key_points")


def test_sources_cover_every_bias_point_and_factuality_level_with_provenance(demo):
    assert set(Source.objects.values_list("bias", flat=True)) == {*Bias.values, None}
    assert set(Source.objects.values_list("factuality", flat=True)) == {*Factuality.values, None}
    rated = Source.objects.exclude(bias=None)
    assert not rated.filter(bias_rated_by="").exists()
    assert not rated.filter(bias_rated_at=None).exists()
    assert not Source.objects.exclude(factuality=None).filter(factuality_rated_at=None).exists()


def test_owners_of_several_categories_own_the_outlets(demo):
    assert Owner.objects.values("category").distinct().count() >= 7
    assert Owner.objects.filter(category=OwnerCategory.GOVERNMENT).exists()
    assert Source.objects.filter(name="The Harbor Ledger", owner__isnull=False).exists()


def test_every_source_has_one_inactive_demo_feed_that_the_scheduler_skips(demo):
    assert Feed.objects.count() == Source.objects.count() == 60
    assert not Feed.objects.filter(is_active=True).exists()
    assert set(Feed.objects.values_list("disabled_reason", flat=True)) == {
        "Demo feed: fictional outlet"
    }
    assert not Feed.objects.due().exists()


def test_demo_rows_pass_model_validation(demo):
    for source in Source.objects.all():
        source.full_clean()
    for article in Article.objects.all()[:50]:
        article.full_clean()


def test_six_or_more_stories_are_published_with_three_to_five_key_points(demo):
    stories = list(published_stories())
    assert len(stories) >= 6
    assert all(3 <= len(story.key_points.all()) <= 5 for story in stories)


def test_the_reference_story_looks_like_the_reference_page(demo):
    story = Story.objects.get(slug=REFERENCE.slug)
    coverage = coverage_for(story)
    assert 150 <= coverage.article_count <= 170
    assert 55 <= coverage.source_count <= 65
    assert story.key_points.count() == 5
    assert coverage.bias.largest == "center"
    assert 38 <= coverage.bias.percentages["center"] <= 44


def test_the_other_stories_are_smaller_with_varied_splits(demo):
    others = [s for s in published_stories() if s.slug != REFERENCE.slug]
    coverages = [coverage_for(story) for story in others]
    assert all(5 <= c.article_count <= 30 for c in coverages)
    assert len({c.bias.largest for c in coverages}) >= 3


def test_a_blindspot_story_is_covered_by_too_few_sources_of_one_side(demo):
    threshold = settings.NEWSROOM_BLINDSPOT_THRESHOLD
    splits = [coverage_for(story).bias for story in published_stories()]
    blindspots = [s for s in splits if min(s.percentages.values()) < threshold]
    assert {s.largest for s in blindspots} >= {"left", "right"}


def test_a_few_dozen_articles_wait_in_no_story(demo):
    assert 24 <= Article.objects.filter(story_link__isnull=True).count() <= 48


def test_articles_are_spread_over_the_two_days_before_the_load(demo, loaded_at):
    times = Article.objects.values_list("published_at", flat=True)
    assert min(times) >= loaded_at - timedelta(hours=48)
    assert max(times) <= loaded_at
    assert max(times) - min(times) >= timedelta(hours=36)


def test_each_story_is_published_after_its_first_article(demo, loaded_at):
    for story in published_stories():
        first = coverage_for(story).first_article
        assert first.published_at < story.published_at <= loaded_at


def test_the_editor_is_a_staff_editor_and_not_a_superuser(demo):
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.has_perm("stories.change_story")


def test_the_premium_reader_may_see_factuality_and_the_free_reader_may_not(demo):
    User = get_user_model()
    assert may_see_factuality(User.objects.get(username="premium"))
    assert not may_see_factuality(User.objects.get(username="reader"))
    assert not User.objects.get(username="reader").is_staff


def test_demo_accounts_log_in_with_the_printed_passwords(demo):
    User = get_user_model()
    for account in ACCOUNTS:
        assert User.objects.get(username=account.username).check_password(account.password)


def test_a_failure_part_way_leaves_nothing_behind(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("demo.load._load_accounts", fail)
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Source.objects.exists()
    assert not Story.objects.exists()
