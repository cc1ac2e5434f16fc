"""generate_scale_data: a large data set shaped like real news, written in bulk."""

import statistics
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F

from demo.scale import ScaleSpec, generate_scale_data
from sources.models import Article, Feed, Owner, Source
from stories.counters import recount_stories
from stories.models import KeyPoint, Story, StoryArticle
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SPEC = ScaleSpec.of(articles=2000, sources=100, stories=60, seed=7)


@pytest.fixture
def scale():
    return generate_scale_data(spec=SPEC, now=NOW)


def sizes(queryset, related: str) -> list[int]:
    """How many `related` rows each row of the queryset has, largest first."""
    counts = queryset.annotate(n=Count(related)).values_list("n", flat=True)
    return sorted(counts, reverse=True)


def test_it_creates_the_articles_sources_and_stories_asked_for(scale):
    assert Article.objects.count() == 2000
    assert Source.objects.count() == 100
    assert Story.objects.count() == 60
    assert Owner.objects.exists()
    assert scale.created["articles"] == 2000


def test_about_a_tenth_of_the_articles_are_in_no_story(scale):
    alone = Article.objects.filter(story_link__isnull=True).count()
    assert 0.08 <= alone / 2000 <= 0.12


def test_without_stories_every_article_is_in_none():
    generate_scale_data(spec=ScaleSpec.of(articles=50, stories=0), now=NOW)
    assert Article.objects.filter(story_link__isnull=True).count() == 50


def test_a_few_stories_gather_many_articles_and_most_a_few(scale):
    per_story = sizes(Story.objects, "story_articles")
    assert per_story[0] >= 0.05 * 2000
    assert per_story[0] >= 10 * statistics.median(per_story)


def test_a_few_outlets_publish_most_articles(scale):
    per_source = sizes(Source.objects, "articles")
    assert per_source[0] >= 0.15 * 2000
    assert sum(per_source[:10]) >= 0.5 * 2000
    assert per_source[0] >= 10 * statistics.median(per_source)


def test_every_article_has_a_url_of_its_own(scale):
    assert Article.objects.values("url").distinct().count() == 2000


def test_articles_come_from_their_outlets_feeds_and_every_outlet_has_one(scale):
    assert not Article.objects.exclude(feed__source=F("source")).exists()
    assert not Source.objects.filter(feeds__isnull=True).exists()
    assert Feed.objects.filter(is_active=True, consecutive_errors=0).count() > 0.9 * 100


def test_published_stories_have_key_points_and_articles(scale):
    published = Story.objects.filter(status=Story.Status.PUBLISHED).annotate(
        key_point_count=Count("key_points", distinct=True),
        link_count=Count("story_articles", distinct=True),
    )
    assert published.exists() and Story.objects.filter(status=Story.Status.DRAFT).exists()
    assert not published.filter(key_point_count=0).exists()
    assert not published.filter(link_count=0).exists()
    assert not published.filter(published_at__gt=NOW).exists()


def test_drafts_are_the_last_hours_stories_and_a_few_never_published():
    generate_scale_data(spec=ScaleSpec.of(articles=9000, stories=3000, days=5, seed=5), now=NOW)
    drafts = Story.objects.filter(status=Story.Status.DRAFT)
    recent = Story.objects.filter(created_at__gte=NOW - timedelta(hours=4))
    older = Story.objects.filter(created_at__lt=NOW - timedelta(days=2))
    assert drafts.filter(pk__in=recent).count() > 0.4 * recent.count()
    assert 0 < drafts.filter(pk__in=older).count() < 0.08 * older.count()


def published_span():
    dates = Article.objects.order_by("published_at").values_list("published_at", flat=True)
    return dates.first(), dates.last()


def test_articles_came_out_at_a_newsrooms_pace_up_to_now():
    # 30,000 articles a day: 6,000 take the 4.8 hours up to a minute ago.
    generate_scale_data(spec=ScaleSpec.of(articles=6000, seed=3), now=NOW)
    first, last = published_span()
    assert NOW - timedelta(hours=4.8, minutes=1) <= first < NOW - timedelta(hours=4.5)
    assert NOW - timedelta(minutes=10) < last <= NOW


def test_a_million_articles_span_a_month_and_ten_thousand_a_third_of_a_day():
    assert ScaleSpec.of(articles=1_000_000).days == pytest.approx(33.33, abs=0.01)
    assert ScaleSpec.of(articles=10_000).days == pytest.approx(1 / 3)
    assert ScaleSpec.of(articles=100).days == 0.1  # at least 2.4 hours


def test_days_spread_the_articles_otherwise():
    generate_scale_data(spec=ScaleSpec.of(articles=300, days=45), now=NOW)
    first, last = published_span()
    assert NOW - timedelta(days=45) <= first and last <= NOW
    assert last - first >= timedelta(days=30)


def test_ratings_and_owners_are_spread(scale):
    biases = set(Source.objects.values_list("bias", flat=True))
    assert {None, -1, 0, 1} <= biases and len(biases) >= 6
    assert len(set(Source.objects.values_list("factuality", flat=True))) >= 5
    assert Source.objects.filter(owner__isnull=True).exists()
    assert Owner.objects.values("category").distinct().count() >= 3


def test_stored_counters_equal_a_recount(scale):
    assert recount_stories() == 0  # stories whose counters a recount had to correct
    largest = Story.objects.order_by("-article_count").first()
    assert largest.article_count == scale.largest_story


INDEX_DEFINITIONS = {
    "postgresql": "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
    "sqlite": "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
}


def indexes() -> dict[str, set[str]]:
    """The definition of every index of the generated tables, by table."""
    tables = [m._meta.db_table for m in (Owner, Source, Feed, Article, Story, KeyPoint)]
    with connection.cursor() as cursor:
        found = {}
        for table in tables:
            cursor.execute(INDEX_DEFINITIONS[connection.vendor], [table])
            found[table] = {definition for (definition,) in cursor.fetchall()}
        return found


def test_every_index_is_there_after_generating():
    # On PostgreSQL the generator drops the indexes of empty tables and builds them after.
    before = indexes()
    assert before[Article._meta.db_table]
    generate_scale_data(spec=ScaleSpec.of(articles=300), now=NOW)
    assert indexes() == before


def test_new_rows_get_ids_after_the_generated_ones():
    # As in a fresh database, whatever earlier tests took from the id sequence.
    restart = connection.ops.sequence_reset_by_name_sql(
        no_style(), [{"table": Article._meta.db_table, "column": "id"}]
    )
    with connection.cursor() as cursor:
        for sql in restart:
            cursor.execute(sql)
    generate_scale_data(spec=ScaleSpec.of(articles=300), now=NOW)
    assert ArticleFactory().pk == 301


def snapshot() -> dict:
    return {
        model: list(model.objects.order_by("pk").values_list(*fields))
        for model, fields in [
            (Source, ("name", "slug", "bias", "factuality", "owner__name")),
            (Article, ("url", "title", "source_id", "feed_id", "published_at")),
            (Story, ("slug", "status", "published_at", "article_count")),
            (StoryArticle, ("story_id", "article_id")),
            (KeyPoint, ("story_id", "text")),
        ]
    }


def generated(seed: int) -> dict:
    """A snapshot of what the seed generates on an empty database, rolled back after."""
    with transaction.atomic():
        generate_scale_data(spec=ScaleSpec.of(articles=300, seed=seed), now=NOW)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_data():
    first = generated(seed=1)
    assert Article.objects.count() == 0
    assert generated(seed=1) == first
    assert generated(seed=2)[Article] != first[Article]


def test_the_command_says_what_it_generated():
    out = StringIO()
    call_command(
        "generate_scale_data", "--articles", "300", "--stories", "5", "--days", "2", stdout=out
    )
    assert "over 2 days" in out.getvalue()
    assert "Generated 300 articles" in out.getvalue()
    assert Story.objects.count() == 5


@pytest.mark.parametrize("count", ["0", "-5"])
def test_the_command_refuses_a_number_of_articles_that_is_not_positive(count):
    with pytest.raises(CommandError, match="--articles must be a positive number"):
        call_command("generate_scale_data", "--articles", count)
    assert not Article.objects.exists()


@pytest.mark.parametrize("days", ["0", "-1", "0.05", "nan", "inf", "5000"])
def test_the_command_refuses_days_it_cannot_spread_articles_over(days):
    with pytest.raises(CommandError, match="--days must be between 0.1 and 3650"):
        call_command("generate_scale_data", "--articles", "100", "--days", days)
    assert not Article.objects.exists()


def test_the_command_refuses_more_stories_than_articles_to_fill_them():
    with pytest.raises(CommandError, match="--stories must be between 0 and 90"):
        call_command("generate_scale_data", "--articles", "100", "--stories", "91")


def test_the_command_leaves_a_database_with_articles_alone_unless_appending(scale):
    with pytest.raises(CommandError, match="already has articles"):
        call_command("generate_scale_data", "--articles", "300")
    assert Article.objects.count() == 2000
    call_command("generate_scale_data", "--articles", "300", "--append", stdout=StringIO())
    assert Article.objects.count() == 2300
    assert recount_stories() == 0
