"""The version of everything the public pages show, kept where a lost cache cannot lose it."""

import time

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class PagesVersion(models.Model):
    """One row whose number every change raises; cached pages are stored under it.

    In the database, not the cache: a change made while Redis is down must still make
    the pages Redis kept stale once it is back. Numbers start from the clock, so a row
    made anew (an emptied or restored database) is above every version used before.
    """

    ROW = 1

    version = models.BigIntegerField()

    class Meta:
        verbose_name = "pages version"

    def __str__(self):
        return f"pages version {self.version}"

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
        """Make every page cached so far stale; return the new version."""
        cls.objects.filter(pk=cls.ROW).update(
            version=Greatest(F("version") + 1, Value(_now_ms(), models.BigIntegerField()))
        )
        return cls.current()  # with no row yet, a new one starts above every earlier version
