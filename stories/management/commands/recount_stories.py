"""Recount every story's stored counters, or some stories', and say how many were wrong."""

from django.core.management.base import BaseCommand, CommandError

from stories.counters import recount_stories
from stories.models import Story
from stories.placement import repair_placed
from stories.signals import coverage_changed


class Command(BaseCommand):
    help = (
        "Recount the stored article and source counters of every story (or of the stories "
        "given) from their articles, and correct those that differ, e.g. after a crash or "
        "a raw write to the database. Without --story, also correct which articles are "
        "marked as in a story."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--story", nargs="+", metavar="SLUG", dest="slugs", help="only these stories"
        )

    def handle(self, *args, slugs=None, **options):
        ids = self._story_ids(slugs) if slugs else None
        total = len(ids) if ids is not None else Story.objects.count()
        corrected = recount_stories(ids)
        if corrected:
            # Cached pages show the counters: let them go stale, as after any other write.
            coverage_changed.send(sender=Story, story_ids=ids)
        self.stdout.write(
            f"Recounted {total} {'story' if total == 1 else 'stories'}: "
            f"corrected {corrected}, {total - corrected} already right."
        )
        if ids is None:
            flagged = repair_placed()
            self.stdout.write(
                f"Articles marked in or out of a story wrongly: {flagged}, corrected."
                if flagged
                else "Every article is marked in or out of a story rightly."
            )

    def _story_ids(self, slugs: list[str]) -> list[int]:
        found = dict(Story.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(f"No story with slug {', '.join(missing)}.")
        return list(found.values())
