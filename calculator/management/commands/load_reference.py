"""Load the reference data in fixtures/ without ever overwriting what staff changed.

Each fixture object is keyed by its natural key; an object whose key is already in the database is
left alone, so only missing rows are inserted. Running it twice is harmless.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Insert the reference data of fixtures/*.json that is missing from the database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", help="fixture files (default: every fixtures/*.json)")

    def handle(self, *args, files: list[str], **options) -> None:
        paths = [Path(f) for f in files] or sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        for path in paths:
            inserted = skipped = 0
            with transaction.atomic(), path.open(encoding="utf-8") as stream:
                for obj in serializers.deserialize("json", stream, handle_forward_references=True):
                    if obj.object.pk is not None:
                        skipped += 1
                        continue
                    obj.save()
                    inserted += 1
            self.stdout.write(f"{path.name}: {inserted} inserted, {skipped} already present")
