"""Composed reads for the public pages, each in a fixed number of queries.

Pages get plain dataclasses, not model instances with every field loaded:
factuality values reach a template context only when the caller passes
with_factuality=may_see_factuality(user).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, F, Q, TextField, Value, When
from django.http import Http404
from django.utils import timezone

from sources.models import Article, Bias, Factuality, OwnerCategory, Source
from stories.coverage import BUCKETS, BiasSplit, Coverage, bias_split, coverage_for
from stories.models import KeyPoint, Story

ARTICLES_PER_PAGE = 40
STORIES_PER_PAGE = 20
SOURCE_RECENT_ARTICLES = 20
SEARCH_STORY_LIMIT = 30
SEARCH_SOURCE_LIMIT = 20
TABS = ("all", *BUCKETS)
TAB_LABELS = {"all": "All", "left": "Left", "center": "Center", "right": "Right"}
BLINDSPOT_SIDES = ("all", "left", "right")


# --- Shapes handed to templates ----------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """A factuality level as shown to premium readers."""

    value: int
    label: str


@dataclass(frozen=True)
class StoryRef:
    title: str
    slug: str


@dataclass(frozen=True)
class ArticleCard:
    title: str
    url: str
    summary: str
    published_at: datetime
    source_name: str
    source_slug: str
    bias_label: str
    bias_bucket: str | None
    factuality: Rating | None = None
    story: StoryRef | None = None


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
class StoryTeaser:
    """A story in a list: its counts and bias split, and any blindspot sides."""

    title: str
    slug: str
    published_at: datetime
    article_count: int
    source_count: int
    bias: BiasSplit
    blindspots: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryPage:
    story: Story
    key_points: list[KeyPoint]
    coverage: Coverage
    first_report: FirstReport | None
    tabs: list[Tab]
    tab: str
    articles: Page


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


@dataclass(frozen=True)
class SourceHit:
    name: str
    slug: str
    domain: str
    bias_label: str
    bias_bucket: str | None
    factuality: Rating | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    stories: list[StoryTeaser] = field(default_factory=list)
    sources: list[SourceHit] = field(default_factory=list)


# --- Small helpers -----------------------------------------------------------------


class CountedPaginator(Paginator):
    """A paginator told its total up front, which saves the COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property


def clean_tab(value: str | None) -> str:
    return value if value in TABS else "all"


def clean_page(value: str | None) -> int:
    """A page number from the query string; anything odd means page 1."""
    if value and value.isdigit() and len(value) <= 7:
        return max(int(value), 1)
    return 1


def _rating(value: int | None) -> Rating | None:
    return None if value is None else Rating(value, Factuality(value).label)


def _bias_label(value: int | None) -> str:
    return "Not rated" if value is None else Bias(value).label


def _source_bucket(bucket: str, prefix: str = "source__") -> Q:
    """The bias bucket as a lookup through a relation, e.g. Q(source__bias__lt=0)."""
    return {
        "left": Q(**{f"{prefix}bias__lt": 0}),
        "center": Q(**{f"{prefix}bias": 0}),
        "right": Q(**{f"{prefix}bias__gt": 0}),
    }[bucket]


def _teasers(stories) -> list[StoryTeaser]:
    """StoryTeasers from stories annotated by with_counts() (and optionally blind_*)."""
    return [
        StoryTeaser(
            title=story.title,
            slug=story.slug,
            published_at=story.published_at,
            article_count=story.article_count,
            source_count=story.source_count,
            bias=bias_split(
                left=story.left_count,
                center=story.center_count,
                right=story.right_count,
                total=story.source_count,
            ),
            blindspots=tuple(
                side for side in ("left", "right") if getattr(story, f"blind_{side}", False)
            ),
        )
        for story in stories
    ]


def _teasers_for_ids(ids: list[int]) -> list[StoryTeaser]:
    """Counts for just these stories (one query), in the order of ids."""
    if not ids:
        return []
    by_id = Story.objects.with_counts().in_bulk(ids)
    return _teasers(by_id[pk] for pk in ids if pk in by_id)


# --- Home ------------------------------------------------------------------------


def home_page(*, page: int) -> Page:
    """A page of published stories, newest first, as StoryTeasers (three queries).

    The page's ids come first, so the counts are computed for twenty stories,
    not for every published story.
    """
    published = Story.objects.published().order_by("-published_at", "-id")
    result = Paginator(published.values_list("pk", flat=True), STORIES_PER_PAGE).get_page(page)
    result.object_list = _teasers_for_ids(list(result.object_list))
    return result


# --- Story -----------------------------------------------------------------------


def story_page(*, slug: str, tab: str, page: int, with_factuality: bool) -> StoryPage:
    """Everything on a story page, in seven queries whatever the number of articles."""
    story = Story.objects.published().prefetch_related("key_points").filter(slug=slug).first()
    if story is None:
        raise Http404("No such story")
    coverage = coverage_for(story, with_factuality=with_factuality)
    articles = Article.objects.filter(story_link__story=story)
    counts = articles.aggregate(
        all=Count("id"), **{b: Count("id", filter=_source_bucket(b)) for b in BUCKETS}
    )
    if tab != "all":
        articles = articles.filter(_source_bucket(tab))
    listed = CountedPaginator(
        articles.order_by("-published_at", "-id").values(*_card_fields(with_factuality)),
        ARTICLES_PER_PAGE,
        count=counts[tab],
    ).get_page(page)
    listed.object_list = [_card(row) for row in listed.object_list]
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
    )


def _card_fields(with_factuality: bool, with_story: bool = False) -> list[str]:
    fields = ["title", "url", "summary", "published_at", "source__name", "source__slug"]
    fields.append("source__bias")
    if with_factuality:
        fields.append("source__factuality")
    if with_story:
        fields += [
            "story_link__story__title",
            "story_link__story__slug",
            "story_link__story__status",
            "story_link__story__published_at",
        ]
    return fields


def _card(row: dict, now: datetime | None = None) -> ArticleCard:
    story = None
    if row.get("story_link__story__slug") and _is_public(row, now):
        story = StoryRef(row["story_link__story__title"], row["story_link__story__slug"])
    return ArticleCard(
        title=row["title"],
        url=row["url"],
        summary=row["summary"],
        published_at=row["published_at"],
        source_name=row["source__name"],
        source_slug=row["source__slug"],
        bias_label=_bias_label(row["source__bias"]),
        bias_bucket=Bias.bucket_of(row["source__bias"]),
        factuality=_rating(row.get("source__factuality")),
        story=story,
    )


def _is_public(row: dict, now: datetime | None) -> bool:
    """Whether the story in this row is one readers may see (same rule as published())."""
    published_at = row["story_link__story__published_at"]
    return (
        row["story_link__story__status"] == Story.Status.PUBLISHED
        and published_at is not None
        and published_at <= (now or timezone.now())
    )


def _first_report(article) -> FirstReport | None:
    if article is None:
        return None
    return FirstReport(article.source.name, article.source.slug, article.published_at)


# --- Source ----------------------------------------------------------------------

_PROFILE_FIELDS = [
    "name", "slug", "homepage", "domain", "country", "description", "bias",
    "bias_rated_by", "bias_rated_at", "bias_rating_note", "owner__name", "owner__category",
]  # fmt: skip
_FACTUALITY_FIELDS = ["factuality", "factuality_rated_by", "factuality_rated_at"]


def source_page(*, slug: str, with_factuality: bool) -> tuple[SourceProfile, list[ArticleCard]]:
    """A source's profile and its recent articles with their stories (two queries)."""
    fields = _PROFILE_FIELDS + (_FACTUALITY_FIELDS if with_factuality else [])
    row = Source.objects.filter(slug=slug).values("id", *fields).first()
    if row is None:
        raise Http404("No such source")
    profile = SourceProfile(
        name=row["name"],
        slug=row["slug"],
        homepage=row["homepage"],
        domain=row["domain"],
        country=row["country"],
        description=row["description"],
        bias_label=_bias_label(row["bias"]),
        bias_bucket=Bias.bucket_of(row["bias"]),
        bias_rated_by=row["bias_rated_by"],
        bias_rated_at=row["bias_rated_at"],
        bias_rating_note=row["bias_rating_note"],
        owner_name=row["owner__name"] or "",
        owner_category=(
            OwnerCategory(row["owner__category"]).label if row["owner__category"] else ""
        ),
        factuality=_rating(row.get("factuality")),
        factuality_rated_by=row.get("factuality_rated_by", ""),
        factuality_rated_at=row.get("factuality_rated_at"),
    )
    recent = (
        Article.objects.filter(source_id=row["id"])
        .order_by("-published_at", "-id")
        .values(*_card_fields(False, with_story=True))[:SOURCE_RECENT_ARTICLES]
    )
    return profile, [_card(article) for article in recent]


# --- Blindspot --------------------------------------------------------------------


def blindspot_threshold() -> int:
    """Percent of rated sources below which a side has a blindspot."""
    return settings.NEWSROOM_BLINDSPOT_THRESHOLD


def blindspot_stories(threshold: int | None = None):
    """Published stories where the left's or the right's share of rated sources is below
    the threshold (percent), annotated blind_left / blind_right; all in the database."""
    threshold = blindspot_threshold() if threshold is None else threshold
    rated = F("left_count") + F("center_count") + F("right_count")
    below = {
        side: Q(**{f"{side}_scaled__lt": F("rated") * threshold}) for side in ("left", "right")
    }
    return (
        Story.objects.published()
        .with_counts()
        .alias(
            rated=rated,
            left_scaled=F("left_count") * 100,
            right_scaled=F("right_count") * 100,
        )
        .filter(rated__gt=0)
        .filter(below["left"] | below["right"])
        .annotate(
            **{
                f"blind_{side}": Case(
                    When(below[side], then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
                for side in ("left", "right")
            }
        )
    )


def blindspot_page(*, side: str, page: int, threshold: int | None = None) -> Page:
    """A page of blindspot stories as StoryTeasers, newest first (two queries)."""
    stories = blindspot_stories(threshold)
    if side != "all":
        stories = stories.filter(**{f"blind_{side}": True})
    stories = stories.order_by("-published_at", "-id")
    result = Paginator(stories, STORIES_PER_PAGE).get_page(page)
    result.object_list = _teasers(result.object_list)
    return result


# --- Search -----------------------------------------------------------------------


def search(query: str, *, with_factuality: bool) -> SearchResults:
    """Stories (title, key points) and sources matching the query, best first.

    Full-text search on PostgreSQL; on SQLite every word must appear somewhere
    (case-insensitive substring). Three queries when anything matches.
    """
    if not query:
        return SearchResults(query)
    if settings.ON_POSTGRES:
        story_ids, sources = _search_postgres(query)
    else:
        story_ids, sources = _search_substrings(query)
    hit_fields = ["name", "slug", "domain", "bias"] + (["factuality"] if with_factuality else [])
    hits = [
        SourceHit(
            name=row["name"],
            slug=row["slug"],
            domain=row["domain"],
            bias_label=_bias_label(row["bias"]),
            bias_bucket=Bias.bucket_of(row["bias"]),
            factuality=_rating(row.get("factuality")),
        )
        for row in sources.values(*hit_fields)[:SEARCH_SOURCE_LIMIT]
    ]
    return SearchResults(query, _teasers_for_ids(list(story_ids[:SEARCH_STORY_LIMIT])), hits)


def _search_postgres(query: str):
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    terms = SearchQuery(query, search_type="websearch", config="english")
    points = (
        KeyPoint.objects.filter(story=OuterRef("pk"))
        .order_by()
        .values("story")
        .annotate(text=StringAgg("text", delimiter=" "))
        .values("text")
    )
    story_vector = SearchVector("title", weight="A", config="english") + SearchVector(
        Coalesce(Subquery(points), Value(""), output_field=TextField()),
        weight="B",
        config="english",
    )
    story_ids = (
        Story.objects.published()
        .annotate(document=story_vector)
        .filter(document=terms)
        .annotate(rank=SearchRank(story_vector, terms))
        .order_by("-rank", "-published_at")
        .values_list("pk", flat=True)
    )
    source_vector = SearchVector("name", weight="A", config="english") + SearchVector(
        "domain", "description", weight="B", config="english"
    )
    sources = (
        Source.objects.annotate(document=source_vector)
        .filter(Q(document=terms) | Q(name__icontains=query))
        .annotate(rank=SearchRank(source_vector, terms))
        .order_by("-rank", "name")
    )
    return story_ids, sources


def _search_substrings(query: str):
    from django.db.models import Exists, OuterRef

    words = query.split()[:8]
    stories = Story.objects.published()
    sources = Source.objects.all()
    for word in words:
        in_points = KeyPoint.objects.filter(story=OuterRef("pk"), text__icontains=word)
        stories = stories.filter(Q(title__icontains=word) | Q(Exists(in_points)))
        sources = sources.filter(
            Q(name__icontains=word) | Q(domain__icontains=word) | Q(description__icontains=word)
        )
    story_ids = stories.order_by("-published_at", "-id").values_list("pk", flat=True)
    return story_ids, sources.order_by("name")


# --- Feed -------------------------------------------------------------------------


def feed_stories(limit: int = 30) -> list[Story]:
    """The newest published stories with counts and key points, for the outgoing feed."""
    return list(
        Story.objects.published()
        .with_counts()
        .prefetch_related("key_points")
        .order_by("-published_at", "-id")[:limit]
    )


# --- Query-string input ------------------------------------------------------------

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> tuple[str, bool]:
    """The search text without control characters or runs of spaces, at most
    MAX_QUERY_LENGTH long; and whether it had to be shortened."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    text = " ".join(printable.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def clean_side(value: str | None) -> str:
    return value if value in BLINDSPOT_SIDES else "all"
