"""Score story suggestions on a labelled file: B-cubed grouping, top-1/top-3, speed."""

import json

from django.core.management.base import BaseCommand, CommandError

from desk.engine.model import Tuning
from desk.engine.replay import evaluate
from desk.labelled import LabelledFileError, read_labelled


class Command(BaseCommand):
    help = (
        "Replay a labelled CSV file (ID, TITLE, PUBLISHER, STORY, TIMESTAMP in Unix ms) "
        "in time order through the suggestion engine and print B-cubed precision, recall "
        "and F1 of its unattended grouping, top-1/top-3 suggestion accuracy and articles "
        "per second. See docs/suggestions.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument(
            "--json", action="store_true", help="end with the figures as one JSON line"
        )
        parser.add_argument(
            "--window-hours", type=float, default=Tuning().window_hours, help="default 72"
        )

    def handle(self, *args, file, window_hours, **options):
        if window_hours <= 0:
            raise CommandError("--window-hours must be more than 0")
        try:
            rows = read_labelled(file)
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError(f"{file}: no articles")
        scores = evaluate(rows, Tuning(window_hours=window_hours))
        figures = {
            "b3_precision": round(scores.b3_precision, 4),
            "b3_recall": round(scores.b3_recall, 4),
            "b3_f1": round(scores.b3_f1, 4),
            "top1": round(scores.top1, 4),
            "top3": round(scores.top3, 4),
            "articles_per_second": round(scores.articles_per_second, 1),
        }
        self.stdout.write(
            f"{scores.articles} articles, {scores.stories} labelled stories, "
            f"{scores.groups} stories made by the engine\n"
            f"B-cubed precision {scores.b3_precision:.3f}  recall {scores.b3_recall:.3f}  "
            f"F1 {scores.b3_f1:.3f}\n"
            f"suggestions: top-1 {scores.top1:.3f}  top-3 {scores.top3:.3f}\n"
            f"{scores.articles_per_second:.0f} articles per second (CPU time, one core)"
        )
        if options["json"]:
            self.stdout.write(json.dumps(figures))
