"""Delete shared results whose time is up (run daily from cron). Their links then answer 404."""

from django.core.management.base import BaseCommand

from calculator.models import SharedResult


class Command(BaseCommand):
    help = "Delete shared results past their expiry date (JIFEN_SHARE_DAYS after creation)."

    def handle(self, *args, **options) -> None:
        deleted, _ = SharedResult.objects.expired().delete()
        self.stdout.write(f"deleted {deleted} expired shared result(s)")
