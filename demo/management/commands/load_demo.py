"""manage.py load_demo: add the demo outlets, stories and accounts that are missing; with
--incoming, a day of incoming articles for the editor's inbox too."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.content import ACCOUNTS
from demo.day import load_day
from demo.load import load_demo


class Command(BaseCommand):
    help = (
        "Load fictional demo outlets, stories, unassigned articles and three demo accounts. "
        "Safe to run again: it only creates what is missing and never changes existing rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (e.g. a staging site). The demo accounts' "
            "passwords are published, so never use this on a public site.",
        )
        parser.add_argument(
            "--incoming",
            action="store_true",
            help="Then store a day of incoming articles from the demo outlets as their feeds "
            "would have (more on the demo's stories, new events, one-offs), so that the "
            "desk's inbox has a day's work. Best on a freshly loaded demo: the day ends now.",
        )

    def handle(self, *args, allow_production=False, incoming=False, **options):
        # The demo creates a staff account whose password is printed and documented.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it runs only with "
                "DEBUG on. Use --allow-production to load it anyway on a private staging site."
            )
        report = load_demo()
        self.stdout.write(report.summary())
        if incoming:
            self.stdout.write(load_day().summary())
            self.stdout.write(
                "Their suggestions are queued for the worker: the inbox fills as it runs."
            )
        self.stdout.write("Demo logins (admin at /admin/):")
        for account in ACCOUNTS:
            note = (
                ""
                if account.username in report.new_accounts
                else "  [existed already; password not changed]"
            )
            self.stdout.write(
                f"  {account.username:<8} / {account.password:<18} {account.role}{note}"
            )
