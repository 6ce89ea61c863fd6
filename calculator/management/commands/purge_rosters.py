"""Delete rosters past their time (run hourly from cron): their rows and results go with them."""

from django.core.management.base import BaseCommand

from calculator import roster


class Command(BaseCommand):
    help = "Delete rosters uploaded more than JIFEN_ROSTER_HOURS hours ago, with their rows and results."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"deleted {roster.purge()} expired roster(s)")
