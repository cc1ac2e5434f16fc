"""The public pages' composed reads: home, story and source, each in a fixed number of queries."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, cached_property

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404

from desk.related import stored_related_stories
from sources.models import Article, Source
from sources.pagination import CappedPaginator
from sources.ratings import BUCKETS, OwnerCategory, bias_bucket_q
from stories.coverage import Coverage, coverage_for
from stories.freshness import content_version
from stories.models import KeyPoint, Story
from stories.perspectives import SidePerspective, perspectives_for

from . import digest
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
from .models import StoryPageDigest
from .query_string import TAB_LABELS, TABS
from .rendered_cards import cards_html, render_cards
from .timeline import Timeline, timeline_for

ARTICLES_PER_PAGE = 40
NO_CARDS = "No articles from this side of the spectrum yet."
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
    # The page of cards as HTML (the first one of each tab rendered with the digest).
    cards_html: str
    perspectives: list[SidePerspective]
    timeline: Timeline | None
    related: list[Story]
    topics: list  # of web.topics.TopicRef


@dataclass(frozen=True)
class StoryFacts:
    """A story page's digest (web/digest.py): its key points, topics and related stories
    and what it shows of the story's coverage; the first page of cards of each tab is
    stored beside it."""

    key_points: list[KeyPoint]
    topics: list  # of web.topics.TopicRef
    related: list[Story]  # those published when the digest was computed
    coverage: Coverage
    first_report: FirstReport | None
    counts: dict[str, int]  # the tabs' articles ("all", "left"...) and cards ("all_cards"...)
    perspectives: list[SidePerspective]
    timeline: Timeline | None


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


def story_page(
    *, slug: str, tab: str, page: int, with_factuality: bool, version: int | None = None
) -> StoryPage:
    """Everything on a story page: with its digest stored, one query whatever the number
    of articles (three past the first page of a tab); computing the digest takes eighteen more.

    `version` is the content version the caller read before anything else (web/digest.py).
    """
    if version is None:
        version = content_version()
    story = _public_story(slug, digest.column(with_factuality))
    stored = digest.load(
        story.pk, story.page_digest_data, stored_at=story.page_digest_version or 0, now=version
    )
    if stored is None:
        facts, first_pages = story_facts(story, with_factuality=with_factuality)
        stored = digest.store(story.pk, with_factuality, facts, first_pages, version=version)
    facts = stored.facts
    articles, cards_html = _cards_page(story, stored, tab, page, with_factuality)
    return StoryPage(
        story=story,
        key_points=facts.key_points,
        coverage=facts.coverage,
        first_report=facts.first_report,
        tabs=[Tab(t, TAB_LABELS[t], facts.counts[t]) for t in TABS],
        tab=tab,
        articles=articles,
        cards_html=cards_html,
        perspectives=facts.perspectives,
        timeline=facts.timeline,
        related=facts.related,
        topics=facts.topics,
    )


# What the page and its digest read of the story row itself; the rest is left unread.
_STORY_FIELDS = ("id", "title", "slug", "status", "published_at", "updated_at")


def _public_story(slug: str, column: str) -> Story:
    """The story readers may see at this slug, with its stored digest for one audience
    (page_digest_data and page_digest_version: None when there is none), in one SELECT by
    the slug's unique index."""
    found = list(Story.objects.raw(_story_sql(connection.vendor, column), [slug]))
    if not found or not found[0].is_public:  # the test of Story.objects.published()
        raise Http404("No such story")
    return found[0]


@cache
def _story_sql(vendor: str, column: str) -> str:
    """The story's read, written out once per process from the models' names: building it
    through the ORM (a join, a deferral) took several times longer than running it."""
    story, stored = Story._meta, StoryPageDigest._meta
    quote = connection.ops.quote_name
    columns = ", ".join(f"s.{quote(story.get_field(name).column)}" for name in _STORY_FIELDS)
    # Names from the models; the slug is a parameter.
    return (
        f"SELECT {columns}, d.{quote(stored.get_field(column).column)} AS page_digest_data, "  # noqa: S608
        f"d.{quote(stored.get_field('version').column)} AS page_digest_version "
        f"FROM {quote(story.db_table)} s LEFT OUTER JOIN {quote(stored.db_table)} d "
        f"ON d.{quote(stored.pk.column)} = s.{quote(story.pk.column)} "
        f"WHERE s.{quote(story.get_field('slug').column)} = %s"
    )


def story_facts(
    story: Story, *, with_factuality: bool
) -> tuple[StoryFacts, dict[str, list[ArticleCard]]]:
    """What a story page shows of the story's coverage, from all of its articles, and the
    first page of cards of each tab: the story's digest (web/digest.py)."""
    from .topics import story_topics  # web.topics lists stories with this module's teasers

    coverage = coverage_for(story, with_factuality=with_factuality)
    articles = Article.objects.filter(story_link__story=story)
    counts = articles.aggregate(
        all=Count("id"),
        **{b: Count("id", filter=bias_bucket_q(b, through="source__")) for b in BUCKETS},
        **card_counts(articles),
    )
    facts = StoryFacts(
        key_points=list(story.key_points.all()),
        topics=story_topics(story),
        related=stored_related_stories(story),
        # The first article carries its source model (and so its factuality):
        # the page gets a FirstReport instead.
        coverage=replace(coverage, first_article=None),
        first_report=_first_report(coverage.first_article),
        counts=counts,
        perspectives=perspectives_for(story, bias=coverage.bias),
        timeline=timeline_for(story, coverage),
    )
    first_pages = {}
    for tab in TABS:
        cards = _cards(story, tab, 1, with_factuality) if counts[f"{tab}_cards"] else []
        first_pages[tab] = cards
        first_pages[f"{tab}:html"] = render_cards(cards, NO_CARDS)
    return facts, first_pages


def _cards_page(
    story, stored: digest.Stored, tab: str, page: int, with_factuality: bool
) -> tuple[Page, str]:
    """The page of cards asked for, and its HTML: the first page of each tab comes with the
    digest, rendered (web/rendered_cards.py), its cards read only if asked for."""
    count = stored.facts.counts[f"{tab}_cards"]
    last = max(1, -(-count // ARTICLES_PER_PAGE))
    number = min(max(page, 1), last)
    # Copies of one text are one card (web/copies.py); the tabs still count every article.
    result = CountedPaginator((), ARTICLES_PER_PAGE, count=count).page(number)
    if number > 1:
        result.object_list = _cards(story, tab, number, with_factuality)
        return result, cards_html(result.object_list, NO_CARDS)
    result.object_list = StoredCards(stored, tab)
    rendered = stored.part(f"{tab}:html")
    if rendered is None:
        return result, cards_html(result.object_list, NO_CARDS)
    return result, rendered.html()


class StoredCards(Sequence):
    """The cards of a tab's first page from the digest, unpickled when first looked at."""

    def __init__(self, stored: digest.Stored, tab: str):
        self._stored, self._tab = stored, tab

    @cached_property
    def _cards(self) -> list[ArticleCard]:
        return self._stored.part(self._tab)

    def __getitem__(self, index):
        return self._cards[index]

    def __len__(self) -> int:
        return len(self._cards)


def _cards(story, tab: str, number: int, with_factuality: bool) -> list[ArticleCard]:
    """The cards of page `number` of a tab (two queries: the articles, their copies' outlets)."""
    articles = Article.objects.filter(story_link__story=story)
    listed = articles if tab == "all" else articles.filter(bias_bucket_q(tab, through="source__"))
    start = (number - 1) * ARTICLES_PER_PAGE
    rows = listed_articles(
        listed, card_fields(with_factuality), tab, start, start + ARTICLES_PER_PAGE
    )
    return cards_of(list(rows), articles)


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
