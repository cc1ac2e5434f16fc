"""The counters stored on each story, recounted from its articles by the database.

A recount sets each counter to what an aggregate over the story's articles says now,
the story's StorySource rows to the sources of those articles, each link's `lead` and
`side_lead` to whether its article is the first published copy of its text in the story,
and among the story's articles of its side of the spectrum, and each link's `published_at`
to its article's (sync_leads), never to the old value plus or minus one, so a missed or
repeated recount cannot leave a counter wrong for longer than the next one. The story
services recount inside their transactions; stories.signal_handlers recounts after saves
and deletes made elsewhere; `manage.py recount_stories` repairs whatever a crash or a raw
write left behind.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

from sources.ratings import BUCKETS, Bias, bias_bucket_q

from .models import Story, StoryArticle, StorySource

COUNTERS = ("article_count", "source_count", *(f"{bucket}_count" for bucket in BUCKETS))
# Stories per batch: small enough that a batch holds its locks briefly and stays within
# SQLite's 999 parameters, large enough that recounting everything takes few statements.
BATCH_SIZE = 500
# Rows per UPDATE of the stale ones (each is a CASE over its rows).
UPDATE_BATCH = 100


def fresh_counts() -> dict:
    """{"fresh_<counter>": aggregate} over a story's articles and the sources covering them:
    one join of the story's links, articles and sources, whatever the number of counters."""
    source = "story_articles__article__source"
    return {
        "fresh_article_count": Count("story_articles"),
        "fresh_source_count": Count(source, distinct=True),
        **{
            f"fresh_{bucket}_count": Count(
                source, distinct=True, filter=bias_bucket_q(bucket, through=f"{source}__")
            )
            for bucket in BUCKETS
        },
    }


def recount_stories(story_ids: Iterable[int] | None = None) -> int:
    """Recount the counters of these stories, or of every story when story_ids is None;
    return how many stories had counters that differed from the recount.

    Each batch of BATCH_SIZE stories is one transaction (or part of the caller's).
    """
    if story_ids is None:
        return sum(_recount_batch(batch) for batch in _every_story_in_batches())
    ids = sorted(set(story_ids))
    return sum(
        _recount_batch(ids[start : start + BATCH_SIZE]) for start in range(0, len(ids), BATCH_SIZE)
    )


def fill_story_sources(first_story: int, last_story: int) -> None:
    """Write the StorySource rows of the stories with ids first_story..last_story, which
    have none yet, in one INSERT … SELECT: for stories written in bulk (generate_scale_data),
    where recounting story by story would take longer than writing them."""
    links, articles = StoryArticle._meta, StoryArticle.article.field.related_model._meta
    quote = connection.ops.quote_name
    # Table and column names from the models, never from input.
    sql = (
        f"INSERT INTO {quote(StorySource._meta.db_table)} (story_id, source_id) "  # noqa: S608
        f"SELECT DISTINCT link.story_id, article.source_id FROM {quote(links.db_table)} link "
        f"JOIN {quote(articles.db_table)} article ON article.id = link.article_id "
        "WHERE link.story_id BETWEEN %s AND %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first_story, last_story])


def _every_story_in_batches():
    last = 0
    while batch := list(
        Story.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
    ):
        yield batch
        last = batch[-1]


@transaction.atomic(savepoint=False)
def _recount_batch(ids: list[int]) -> int:
    """Write the recount of these stories where it differs; how many differed."""
    if not ids:
        return 0
    if connection.features.has_select_for_update:
        # Lock the stories first, in a statement of its own: a writer that changed their
        # articles concurrently has then committed, and the count below, a new statement,
        # sees its rows. (Counted in the statement that waits, PostgreSQL would see the
        # waited-for row as committed but the other tables as they were before.)
        list(Story.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    rows = (
        Story.objects.filter(pk__in=ids)
        .order_by()
        .annotate(**fresh_counts())
        .values_list("pk", *COUNTERS, *(f"fresh_{name}" for name in COUNTERS))
    )
    stale = [
        Story(pk=pk, **dict(zip(COUNTERS, counts[len(COUNTERS) :], strict=True)))
        for pk, *counts in rows
        if counts[: len(COUNTERS)] != counts[len(COUNTERS) :]
    ]
    Story.objects.bulk_update(stale, COUNTERS, batch_size=UPDATE_BATCH)
    return len({story.pk for story in stale} | _sync_sources(ids) | sync_leads(ids))


def sync_leads(ids: Iterable[int]) -> set[int]:
    """Make StoryArticle.lead true for exactly the first published article of each copy key
    in each of these stories, and side_lead for the first among the story's articles whose
    outlets share its bias bucket; both true for an article without a key. Copy each
    article's published_at onto its link. Returns the ids of the stories whose links were
    wrong. Reads the stories' links with their articles' keys, dates and outlets' bias (a
    20,000-article story costs a few tens of milliseconds) and writes only what changed."""
    ids = list(ids)
    first: dict[tuple, tuple] = {}
    links = []
    dated: list[StoryArticle] = []
    stories = set()
    for start in range(0, len(ids), BATCH_SIZE):
        rows = StoryArticle.objects.filter(story_id__in=ids[start : start + BATCH_SIZE])
        for pk, story_id, lead, side_lead, key, at, article_id, bias, copied in rows.values_list(
            "pk", "story_id", "lead", "side_lead", "article__copy_key",
            "article__published_at", "article_id", "article__source__bias", "published_at",
        ).order_by():  # fmt: skip
            side = Bias.bucket_of(bias)
            links.append((pk, story_id, lead, side_lead, key, side))
            if copied != at:
                dated.append(StoryArticle(pk=pk, published_at=at))
                stories.add(story_id)
            if key is not None:
                for group in ((story_id, key), (story_id, key, side)):
                    seen = first.get(group)
                    if seen is None or (at, article_id) < seen[:2]:
                        first[group] = (at, article_id, pk)
    wrong: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for pk, story_id, lead, side_lead, key, side in links:
        for column, now, should in (
            ("lead", lead, key is None or first[story_id, key][2] == pk),
            ("side_lead", side_lead, key is None or first[story_id, key, side][2] == pk),
        ):
            if now != should:
                wrong[column, should].append(pk)
                stories.add(story_id)
    for (column, value), pks in wrong.items():
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            StoryArticle.objects.filter(pk__in=batch).update(**{column: value})
    StoryArticle.objects.bulk_update(dated, ["published_at"], batch_size=UPDATE_BATCH)
    return stories


def _sync_sources(ids: list[int]) -> set[int]:
    """Make the StorySource rows of these stories name exactly the sources of their
    articles; the ids of the stories whose rows were wrong."""
    wanted = set(
        StoryArticle.objects.filter(story_id__in=ids)
        .values_list("story_id", "article__source_id")
        .distinct()
        .order_by()
    )
    kept = {}
    for pk, story_id, source_id in StorySource.objects.filter(story_id__in=ids).values_list(
        "pk", "story_id", "source_id"
    ):
        kept[story_id, source_id] = pk
    gone = [pk for pair, pk in kept.items() if pair not in wanted]
    new = [pair for pair in wanted if pair not in kept]
    for start in range(0, len(gone), BATCH_SIZE):
        StorySource.objects.filter(pk__in=gone[start : start + BATCH_SIZE]).delete()
    StorySource.objects.bulk_create(
        [StorySource(story_id=story, source_id=source) for story, source in sorted(new)],
        batch_size=BATCH_SIZE,
        # A recount of the same story in another transaction may have inserted them first.
        ignore_conflicts=True,
    )
    return {pair[0] for pair in new} | {pair[0] for pair in kept if pair not in wanted}
