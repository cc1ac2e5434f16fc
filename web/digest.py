"""The story page's read model: what it shows of a story's coverage, stored once computed.

A story page's coverage, tabs, perspectives, timeline and the first page of cards in
each tab are computed from all of the story's articles (web.pages.story_page). They are
stored per audience in StoryPageDigest and read with the story in the same query, so a
view that misses the page cache costs a handful of queries whatever the story's size.

A digest is a pickle of what web.pages computed, stored by this code and read by it
alone. It goes stale under exactly the changes that make cached pages stale
(web/signal_handlers.py), story by story:

- inside the writing transaction, forget() empties the digests of the stories the
  change touches, so the writer, and every reader once it commits, computes anew;
- once committed, outdate() raises their `version` to the content version the change
  bumped. A view reads the content version before it reads anything else, and stores
  what it computed only under a version at least as high as the stored one: a view
  that began before the change, and so may have read the old rows, cannot store them
  after it.

A digest holds what the code of its day computed and rendered. Each is marked with a
fingerprint of the code that shapes it (code_fingerprint(): the source of the web,
stories and sources apps and the page templates), so after an upgrade every digest is
computed anew on its next view; so is one that cannot be read, and one older than
NEWSROOM_DIGEST_MAX_AGE_SECONDS (an hour by default) by the content version, which
follows the clock while anything changes: a write that bypassed the signals is shown
within that time, as the page cache's expiry shows it. A failure to store one only costs
the next view the same work.
"""

import hashlib
import logging
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from .models import StoryPageDigest

logger = logging.getLogger(__name__)

PROTOCOL = pickle.HIGHEST_PROTOCOL
BATCH = 500


SHAPING_CODE = ("web", "stories", "sources", "templates")  # folders under the project's root


@cache
def code_fingerprint() -> str:
    """A hash of the source and templates that compute and render digests."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in SHAPING_CODE:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def column(with_factuality: bool) -> str:
    return "premium" if with_factuality else "public"


@dataclass(frozen=True)
class Stored:
    """A story's digest as read: what every view of the page needs, and the parts that only
    some need (the first page of each tab), each unpickled when asked for."""

    facts: object
    parts: dict[str, bytes]

    def part(self, name: str):
        return pickle.loads(self.parts[name])  # noqa: S301 - written by store() only


def load(story_id: int, stored: bytes | None, *, stored_at: int, now: int) -> Stored | None:
    """A story's digest from its stored column (public or premium), or None: when there is
    none, or it is older than NEWSROOM_DIGEST_MAX_AGE_SECONDS by the content version's
    clock (stored_at is the version it was stored under, now the current one)."""
    if stored is None or now - stored_at > settings.NEWSROOM_DIGEST_MAX_AGE_SECONDS * 1000:
        return None
    try:
        code, facts, parts = pickle.loads(stored)  # noqa: S301 - written by store() only
    except Exception:
        logger.warning("unreadable page digest of story %s", story_id, exc_info=True)
        return None
    return Stored(facts, parts) if code == code_fingerprint() else None


def store(story_id: int, with_factuality: bool, facts, parts: dict, *, version: int) -> Stored:
    """Keep a digest computed after reading content version `version`, unless a change
    since has outdated the story's digests; return it as load() would."""
    pickled = {name: pickle.dumps(part, protocol=PROTOCOL) for name, part in parts.items()}
    data = pickle.dumps((code_fingerprint(), facts, pickled), protocol=PROTOCOL)
    fields = {column(with_factuality): data, "version": version}
    try:
        with transaction.atomic():
            kept = StoryPageDigest.objects.filter(story_id=story_id, version__lte=version).update(
                **fields
            )
            if not kept:
                StoryPageDigest.objects.bulk_create(
                    [StoryPageDigest(story_id=story_id, **fields)], ignore_conflicts=True
                )
    except DatabaseError:
        logger.warning("could not store the page digest of story %s", story_id, exc_info=True)
    return Stored(facts, pickled)


def batches(ids, size: int = BATCH):
    """Lists of at most `size` of these ids: some SQLite builds take at most 32,766
    parameters a query."""
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def forget(story_ids) -> None:
    """Empty the digests of these stories, in the caller's transaction."""
    for batch in batches(story_ids):
        StoryPageDigest.objects.filter(story__in=batch).update(public=None, premium=None)


def forget_all() -> None:
    StoryPageDigest.objects.update(public=None, premium=None)


def outdate(story_ids, version: int) -> None:
    """After a change to these stories is committed under content version `version`: empty
    their digests and refuse any computed before it. Stories with no digest get an empty
    one, so that a view computing theirs from before the change cannot store it."""
    from stories.models import Story

    for asked in batches(story_ids):
        batch = list(Story.objects.filter(pk__in=asked).values_list("pk", flat=True))
        _add_empty(batch, version)
        StoryPageDigest.objects.filter(story__in=batch).update(
            version=Greatest(F("version"), Value(version)), public=None, premium=None
        )


def outdate_all(version: int) -> None:
    StoryPageDigest.objects.update(
        version=Greatest(F("version"), Value(version)), public=None, premium=None
    )


def _add_empty(story_ids: list[int], version: int) -> None:
    rows = [StoryPageDigest(story_id=pk, version=version) for pk in story_ids]
    try:
        with transaction.atomic():
            StoryPageDigest.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:
        # A story deleted meanwhile (its digest went with it): one at a time instead.
        for row in rows:
            try:
                with transaction.atomic():
                    StoryPageDigest.objects.bulk_create([row], ignore_conflicts=True)
            except IntegrityError:
                pass
