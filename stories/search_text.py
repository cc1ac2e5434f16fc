"""The text of a story's key points, joined and stored on the story for site search.

Search reads Story.key_points_text next to the title instead of joining every story's
key points at query time; on PostgreSQL an expression index (migration 0007) holds the
weighted document built from both. The story services refresh it after writing key
points, stories.signal_handlers after a key point saved or deleted elsewhere (the admin's
inline), and `refresh_search_text()` with no ids rebuilds it for every story.
"""

from collections.abc import Iterable

from django.db import connection

from .models import KeyPoint, Story

# Stories per UPDATE: well within SQLite's 999 parameters.
BATCH_SIZE = 500

# The joined key points of one story, in their order; '' when it has none.
_JOINED = {
    "postgresql": (
        "COALESCE((SELECT string_agg(k.{text}, ' ' ORDER BY k.{position}, k.{id})"
        " FROM {keypoint} k WHERE k.{story_id} = {story}.{pk}), '')"
    ),
    # group_concat keeps the order of the subquery it reads.
    "sqlite": (
        "COALESCE((SELECT group_concat(o.{text}, ' ') FROM (SELECT k.{text} FROM {keypoint} k"
        " WHERE k.{story_id} = {story}.{pk} ORDER BY k.{position}, k.{id}) o), '')"
    ),
}


def refresh_search_text(story_ids: Iterable[int] | None = None) -> None:
    """Store the joined key points of these stories (of every story when None)."""
    q = connection.ops.quote_name
    story, keypoint = q(Story._meta.db_table), q(KeyPoint._meta.db_table)
    joined = _JOINED[connection.vendor].format(
        keypoint=keypoint,
        story=story,
        pk=q("id"),
        text=q("text"),
        position=q("position"),
        id=q("id"),
        story_id=q("story_id"),
    )
    sql = f"UPDATE {story} SET {q('key_points_text')} = {joined}"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        if story_ids is None:
            cursor.execute(sql)
            return
        ids = sorted(set(story_ids))
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"{sql} WHERE {story}.{q('id')} IN ({marks})", batch)
