"""manage.py load_demo: add the demo outlets, stories and accounts that are missing."""

from django.core.management.base import BaseCommand

from stories.demo import ACCOUNTS, load_demo


class Command(BaseCommand):
    help = (
        "Load fictional demo outlets, stories, unassigned articles and three demo accounts. "
        "Safe to run again: it only creates what is missing and never changes existing rows."
    )

    def handle(self, *args, **options):
        report = load_demo()
        self.stdout.write(report.summary())
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
