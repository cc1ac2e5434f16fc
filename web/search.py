"""Search of stories and sources: PostgreSQL full text, or substrings on SQLite."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.db.models.expressions import RawSQL

from sources.models import Source
from stories.models import KeyPoint, Story

from .cards import Rating, StoryTeaser, ratings_of, teasers_for_ids

SEARCH_STORY_LIMIT = 30
SEARCH_SOURCE_LIMIT = 20
# Of the stories matching a search, how many of the newest are ranked (see _search_postgres).
SEARCH_RANKED = 100


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


def search_site(query: str, *, with_factuality: bool) -> SearchResults:
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
            **ratings_of(row),
        )
        for row in sources.values(*hit_fields)[:SEARCH_SOURCE_LIMIT]
    ]
    return SearchResults(query, teasers_for_ids(list(story_ids[:SEARCH_STORY_LIMIT])), hits)


def _search_postgres(query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    terms = SearchQuery(query, search_type="websearch", config="english")
    # The expression of the index story_published_search_idx (stories migration 0015),
    # so the planner reads the index instead of building a document for every story.
    story_vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "key_points_text", weight="B", config="english"
    )
    # Ranking builds each match's whole document again, about 80 µs a story: the 2,175
    # matches of a word at a million articles took 180 ms to rank. Only the newest
    # SEARCH_RANKED matches are ranked; gathering them from the index costs 1–2 µs a
    # match.
    matches = (
        Story.objects.published()
        .annotate(document=story_vector)
        .filter(document=terms)
        .order_by()
        .values("pk", "published_at")
    )
    story_ids = (
        Story.objects.filter(pk__in=_newest(matches, SEARCH_RANKED))
        .annotate(rank=SearchRank(story_vector, terms))
        .order_by("-rank", "-published_at")
        .values_list("pk", flat=True)
    )
    # The expression of the index source_search_idx (sources migration 0010); a trigram
    # index answers the name's substring.
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


def _newest(matches, limit: int) -> RawSQL:
    """The ids of the newest `limit` of matches (a values("pk", "published_at") query).

    The matches are gathered first (MATERIALIZED), from the search index: asked for
    the newest few directly, the planner walks the stories by date and builds the
    document of each until enough match, 250 ms for a word one story in twelve has.
    """
    # Django's own SQL for the query; the reader's words stay among the parameters.
    sql, params = matches.query.sql_with_params()
    return RawSQL(  # noqa: S611
        f"WITH matches AS MATERIALIZED ({sql}) "  # noqa: S608
        "SELECT pk FROM matches ORDER BY published_at DESC, pk DESC LIMIT %s",
        (*params, limit),
    )


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
