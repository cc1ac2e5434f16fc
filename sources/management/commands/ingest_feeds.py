"""Fetch feeds now, in this process, without a broker or a worker."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources import ingest, thumbnails
from sources.models import Article, Feed


class Command(BaseCommand):
    help = (
        "Fetch feeds synchronously and print one line per feed: status, new, updated, "
        "skipped, errors, seconds. Without options, fetches the feeds that are due."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="every active feed, due or not")
        which.add_argument(
            "--feed", type=int, nargs="+", metavar="ID", dest="feed_ids", help="these feeds"
        )
        parser.add_argument(
            "--thumbnails",
            action="store_true",
            dest="with_thumbnails",
            help="then make, in this process, the thumbnails of every article waiting for one",
        )

    def handle(self, *args, all=False, feed_ids=None, with_thumbnails=False, **options):
        ids = self._feed_ids(all, feed_ids)
        if ids:
            self._fetch(ids)
        else:
            self.stdout.write("No feeds to fetch.")
        if with_thumbnails:
            self._make_thumbnails()

    def _fetch(self, ids: list[int]) -> None:
        totals = {"new": 0, "updated": 0, "errors": 0}
        size = max(1, settings.NEWSROOM_FEED_CHECK_BATCH)
        for start in range(0, len(ids), size):  # in batches, as the workers fetch them
            for result in ingest.check_feeds(ids[start : start + size]):
                style = self.style.ERROR if result.status in ("error", "gone") else str
                self.stdout.write(style(result.line()))
                for key in totals:
                    totals[key] += getattr(result, key)
        self.stdout.write(
            f"{len(ids)} feed(s): {totals['new']} new, {totals['updated']} updated, "
            f"{totals['errors']} errors"
        )

    def _make_thumbnails(self) -> None:
        waiting = Article.objects.awaiting_thumbnail().order_by("pk")
        outcomes = [thumbnails.make_thumbnail(pk) for pk in waiting.values_list("pk", flat=True)]
        stored = outcomes.count("stored")
        failed = sum(outcome.startswith("failed") for outcome in outcomes)
        self.stdout.write(f"{len(outcomes)} thumbnail(s): {stored} stored, {failed} failed")

    def _feed_ids(self, all_feeds: bool, feed_ids: list[int] | None) -> list[int]:
        if feed_ids:
            found = set(Feed.objects.filter(pk__in=feed_ids).values_list("pk", flat=True))
            missing = [str(pk) for pk in feed_ids if pk not in found]
            if missing:
                raise CommandError(f"No feed with id {', '.join(missing)}.")
            return list(dict.fromkeys(feed_ids))
        feeds = Feed.objects.filter(is_active=True) if all_feeds else Feed.objects.due()
        return list(feeds.order_by("pk").values_list("pk", flat=True))
