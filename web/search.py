"""Search of stories and sources: PostgreSQL full text, or substrings on SQLite."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from sources.models import Source
from stories.models import KeyPoint, Story
from stories.search_text import StoredDocument

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
    # The stored document (stories migration 0017), which the partial index
    # story_published_document_idx holds. Ranking reads it instead of building each
    # story's document again (about 80 µs a story), and the planner chooses by the
    # column's statistics: the index for a rare word, the newest published stories for
    # a common one. Only the newest SEARCH_RANKED matches are ranked.
    matches = (
        Story.objects.published()
        .annotate(document=StoredDocument())
        .filter(document=terms)
        .order_by("-published_at", "-pk")
        .values("pk")
    )
    story_ids = (
        Story.objects.filter(pk__in=matches[:SEARCH_RANKED])
        .annotate(rank=SearchRank(StoredDocument(), terms))
        .order_by("-rank", "-published_at", "-pk")
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
