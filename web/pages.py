"""The public pages' composed reads: home, story and source, each in a fixed number of queries."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404

from desk.related import stored_related_stories
from sources.models import Article, Source
from sources.pagination import CappedPaginator
from sources.ratings import BUCKETS, OwnerCategory, bias_bucket_q
from stories.coverage import Coverage, coverage_for
from stories.models import KeyPoint, Story
from stories.perspectives import SidePerspective, perspectives_for

from .cards import (
    ArticleCard,
    OutletMark,
    Rating,
    card,
    card_fields,
    outlet_mark,
    ratings_of,
    teasers_for_ids,
)
from .copies import card_counts, cards_of, listed_articles
from .query_string import TAB_LABELS, TABS
from .timeline import Timeline, timeline_for

ARTICLES_PER_PAGE = 40
STORIES_PER_PAGE = 20
SOURCE_RECENT_ARTICLES = 20
# Lists of stories (home, Blindspot) stop after this many pages: older stories are found by search.
STORY_LIST_PAGES = 50


@dataclass(frozen=True)
class FirstReport:
    source_name: str
    source_slug: str
    published_at: datetime


@dataclass(frozen=True)
class Tab:
    bucket: str
    label: str
    count: int


@dataclass(frozen=True)
class StoryPage:
    story: Story
    key_points: list[KeyPoint]
    coverage: Coverage
    first_report: FirstReport | None
    tabs: list[Tab]
    tab: str
    articles: Page
    perspectives: list[SidePerspective]
    timeline: Timeline | None
    related: list[Story]


@dataclass(frozen=True)
class SourceProfile:
    name: str
    slug: str
    homepage: str
    domain: str
    country: str
    description: str
    bias_label: str
    bias_bucket: str | None
    bias_rated_by: str
    bias_rated_at: object
    bias_rating_note: str
    owner_name: str
    owner_category: str
    factuality: Rating | None = None
    factuality_rated_by: str = ""
    factuality_rated_at: object = None
    mark: OutletMark | None = None


class StoryListPaginator(CappedPaginator):
    """Pages of a list of stories, counted up to STORY_LIST_PAGES pages and no further,
    so that the count costs the same at a million articles as at ten thousand."""

    limit = STORY_LIST_PAGES * STORIES_PER_PAGE


class CountedPaginator(Paginator):
    """A paginator told its total up front, which saves the COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property


def home_page(*, page: int) -> Page:
    """A page of published stories, newest first, as StoryTeasers (three queries).

    The page's ids come first, so the counts are computed for twenty stories,
    not for every published story; and the count stops at StoryListPaginator.limit.
    """
    return teaser_page(Story.objects.published(), page=page)


def teaser_page(stories, *, page: int) -> Page:
    """A page of these stories, newest first, as StoryTeasers (three queries)."""
    ids = stories.order_by("-published_at", "-id").values_list("pk", flat=True)
    result = StoryListPaginator(ids, STORIES_PER_PAGE).get_page(page)
    result.object_list = teasers_for_ids(list(result.object_list))
    return result


def story_page(*, slug: str, tab: str, page: int, with_factuality: bool) -> StoryPage:
    """Everything on a story page, in fourteen queries at most, whatever the number of articles."""
    story = Story.objects.published().prefetch_related("key_points").filter(slug=slug).first()
    if story is None:
        raise Http404("No such story")
    coverage = coverage_for(story, with_factuality=with_factuality)
    articles = Article.objects.filter(story_link__story=story)
    story_articles = articles
    counts = articles.aggregate(
        all=Count("id"),
        **{b: Count("id", filter=bias_bucket_q(b, through="source__")) for b in BUCKETS},
        **card_counts(articles),
    )
    if tab != "all":
        articles = articles.filter(bias_bucket_q(tab, through="source__"))
    # Copies of one text are one card (web/copies.py); the tabs still count every article.
    listed = CountedPaginator(
        listed_articles(articles, card_fields(with_factuality), tab),
        ARTICLES_PER_PAGE,
        count=counts[f"{tab}_cards"],
    ).get_page(page)
    listed.object_list = cards_of(listed.object_list, story_articles)
    return StoryPage(
        story=story,
        key_points=list(story.key_points.all()),
        # The first article carries its source model (and so its factuality):
        # the page gets a FirstReport instead.
        coverage=replace(coverage, first_article=None),
        first_report=_first_report(coverage.first_article),
        tabs=[Tab(t, TAB_LABELS[t], counts[t]) for t in TABS],
        tab=tab,
        articles=listed,
        perspectives=perspectives_for(story, bias=coverage.bias),
        timeline=timeline_for(story, coverage),
        related=stored_related_stories(story),
    )


def _first_report(article) -> FirstReport | None:
    if article is None:
        return None
    return FirstReport(article.source.name, article.source.slug, article.published_at)


# Profile fields shown as the database holds them, and those the page words itself.
_AS_STORED = [
    "name", "slug", "homepage", "domain", "country", "description",
    "bias_rated_by", "bias_rated_at", "bias_rating_note",
]  # fmt: skip
_PROFILE_FIELDS = [*_AS_STORED, "bias", "owner__name", "owner__category", "logo"]
_FACTUALITY_FIELDS = ["factuality", "factuality_rated_by", "factuality_rated_at"]


def source_page(*, slug: str, with_factuality: bool) -> tuple[SourceProfile, list[ArticleCard]]:
    """A source's profile and its recent articles with their stories (two queries)."""
    fields = _PROFILE_FIELDS + (_FACTUALITY_FIELDS if with_factuality else [])
    row = Source.objects.filter(slug=slug).values("id", *fields).first()
    if row is None:
        raise Http404("No such source")
    profile = SourceProfile(
        **{column: row[column] for column in _AS_STORED},
        owner_name=row["owner__name"] or "",
        owner_category=(
            OwnerCategory(row["owner__category"]).label if row["owner__category"] else ""
        ),
        factuality_rated_by=row.get("factuality_rated_by", ""),
        factuality_rated_at=row.get("factuality_rated_at"),
        **ratings_of(row),
        mark=outlet_mark(row["name"], row["logo"]),
    )
    recent = (
        Article.objects.filter(source_id=row["id"])
        .order_by("-published_at", "-id")
        .values(*card_fields(False, with_story=True))[:SOURCE_RECENT_ARTICLES]
    )
    return profile, [card(article) for article in recent]
