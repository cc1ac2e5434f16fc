"""The version of everything readers are shown, under which every cached answer is stored.

The public site and the API both cache what they answer to readers, and both show
the same stories, articles, outlets and owners; one number, raised by every
change, makes all of their entries stale at once (the handlers that raise it are
in web/signal_handlers.py). Older entries are never read again and expire on
their own.

The number lives in the database, read once per request: a change made while the
cache was down still makes the entries the cache kept stale when it comes back. A
copy in the cache lets cached answers be served while the database is down.
"""

import logging
import time

from django import db
from django.core.cache import cache
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest

logger = logging.getLogger(__name__)

# The cache's copy of the version, for while the database cannot be read.
VERSION_COPY_KEY = "site:pages:version"
_last_read: int | None = None  # by this process


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class ContentVersion(models.Model):
    """One row whose number every change raises.

    Numbers start from the clock, so a row made anew (an emptied or restored
    database) is above every version used before.
    """

    ROW = 1

    version = models.BigIntegerField()

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"content version {self.version}"

    @classmethod
    def current(cls) -> int:
        """The version now (one primary-key read; the very first call creates the row)."""
        version = cls.objects.filter(pk=cls.ROW).values_list("version", flat=True).first()
        if version is None:
            row, _ = cls.objects.get_or_create(pk=cls.ROW, defaults={"version": _now_ms()})
            version = row.version
        return version

    @classmethod
    def bump(cls) -> int:
        """Make every answer cached so far stale; return the new version."""
        cls.objects.filter(pk=cls.ROW).update(
            version=Greatest(F("version") + 1, Value(_now_ms(), models.BigIntegerField()))
        )
        return cls.current()  # with no row yet, a new one starts above every earlier version


def content_version() -> int:
    """The version cached answers are read and stored under, from the database.

    While the database is down no change can be made, so the newer of the copy the
    last bump left in the cache and the version this process last read is as good
    (the copy alone may be one a bump could not update while Redis was down).
    Without either, the database's error goes on.
    """
    global _last_read
    try:
        _last_read = _stored_version()
    except db.Error:
        known = [v for v in (_version_copy(), _last_read) if v is not None]
        if not known:
            raise
        return max(known)
    return _last_read


def _stored_version() -> int:
    """ContentVersion.current() as one plain primary-key SELECT: building the same query
    through the ORM costs a third of a trivial request, and every cached answer reads it."""
    meta = ContentVersion._meta
    quote = db.connection.ops.quote_name
    # Names from the model, never from input.
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.get_field("version").column), quote(meta.db_table), quote(meta.pk.column)
    )
    with db.connection.cursor() as cursor:
        cursor.execute(sql, [ContentVersion.ROW])
        row = cursor.fetchone()
    return row[0] if row else ContentVersion.current()  # current() makes the first row


def _version_copy() -> int | None:
    try:
        return cache.get(VERSION_COPY_KEY)
    except Exception:  # the cache is down as well
        return None


def bump_content_version() -> int:
    """Make every cached answer stale (called after a change is committed); the new version.

    The database's failure is not caught: a bump that did not happen would leave
    stale answers served, so the caller (a request, a task that retries) must see it.
    """
    version = ContentVersion.bump()
    try:
        cache.set(VERSION_COPY_KEY, version, timeout=None)
    except Exception:
        logger.warning("could not copy the content version to the cache", exc_info=True)
    return version
