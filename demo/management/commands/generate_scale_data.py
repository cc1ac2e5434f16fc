"""manage.py generate_scale_data: fill a database with a large, realistic data set, fast."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale import ScaleSpec, generate_scale_data
from sources.models import Article


class Command(BaseCommand):
    help = (
        "Generate invented outlets, feeds, articles and stories at scale, shaped like real "
        "news (a few huge stories and outlets, a long tail, a tenth of the articles in no "
        "story), to measure the site on PostgreSQL. Refuses a database that has articles "
        "unless given --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many articles.")
        parser.add_argument(
            "--sources", type=int, help="How many outlets (default: articles ÷ 100, 10 to 1,000)."
        )
        parser.add_argument(
            "--stories", type=int, help="How many stories (default: articles ÷ 30)."
        )
        parser.add_argument(
            "--days",
            type=float,
            help="Over how many days, up to now, the articles came out (default: as many "
            "as 30,000 articles a day take, at least 0.1).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="The same seed gives the same data (default 0)."
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already has articles, beside them.",
        )

    def handle(self, *args, articles, sources, stories, days, seed, append, **options):
        try:
            spec = ScaleSpec.of(
                articles=articles, sources=sources, stories=stories, days=days, seed=seed
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Invented articles mixed into real ones could not be told apart afterwards.
        if not append and Article.objects.exists():
            raise CommandError(
                "This database already has articles. Generate scale data into an empty "
                "database, or give --append to add to it."
            )
        self.stdout.write(
            f"Generating {spec.articles:,} articles, {spec.sources:,} sources and "
            f"{spec.stories:,} stories over {spec.days:g} days (seed {spec.seed}) on "
            f"{connection.vendor}..."
        )
        report = generate_scale_data(spec=spec)
        self.stdout.write(report.summary())
