"""Load the reference data in fixtures/ once per database, never overwriting what staff changed.

Each fixture object is identified by its model and natural key. The first time a key is seen it is
inserted (or, if the database already has a row with that key, left alone) and recorded in
LoadedReference; a recorded key is never inserted again. So a row staff renamed, corrected or deleted
stays that way through any number of runs, and only rows new to the fixtures are added.

A database whose reference rows were loaded before the records existed carries a marker per model
(migration calculator 0004): its first run records that model's fixture keys without inserting any.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import transaction
from simple_history.utils import get_history_manager_for_model

from calculator.models import LoadedReference
from calculator.models.reference import LEGACY

REASON = "载入参考数据"


def fixture_objects(path: Path) -> Iterator[DeserializedObject | None]:
    """The objects of one fixture file, in order; None for one whose parent row (found by natural key)
    is no longer there, because staff changed that row's key."""
    with path.open(encoding="utf-8") as stream:
        raw = json.load(stream)
    for item in raw:
        try:
            objects = list(serializers.deserialize("python", [item], handle_forward_references=True))
        except (ObjectDoesNotExist, DeserializationError) as error:
            if not isinstance(error, ObjectDoesNotExist) and not isinstance(error.__cause__, ObjectDoesNotExist):
                raise
            objects = [None]
        yield from objects


def fixture_key(obj: DeserializedObject) -> str:
    return json.dumps(obj.object.natural_key(), ensure_ascii=False, default=str)


def _first_history(instance) -> None:
    """Fixtures save raw, which django-simple-history skips; record the loaded row as the first
    version, so that the history of the first staff edit shows old → new."""
    if hasattr(instance._meta, "simple_history_manager_attribute"):
        history = get_history_manager_for_model(instance)
        history.bulk_history_create([instance], default_change_reason=REASON)


class Command(BaseCommand):
    help = "Insert the reference data of fixtures/*.json that this database has never received."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", help="fixture files (default: every fixtures/*.json)")

    def handle(self, *args, files: list[str], **options) -> None:
        paths = [Path(f) for f in files] or sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        for path in paths:
            with transaction.atomic():
                counts = self.load(path)
            if options["verbosity"]:
                self.stdout.write(
                    f"{path.name}: {counts['inserted']} inserted, {counts['present']} already present, "
                    f"{counts['loaded']} loaded before (kept as staff left them)"
                )

    def load(self, path: Path) -> dict[str, int]:
        loaded = set(LoadedReference.objects.values_list("model", "key"))
        legacy = {model for model, key in loaded if key == LEGACY}
        counts = {"inserted": 0, "present": 0, "loaded": 0}
        records: list[LoadedReference] = []
        models: set[str] = set()
        for obj in fixture_objects(path):
            if obj is None:
                counts["loaded"] += 1
                continue
            label, key = obj.object._meta.label_lower, fixture_key(obj)
            models.add(label)
            if (label, key) in loaded:
                counts["loaded"] += 1
                continue
            if obj.object.pk is not None or label in legacy:
                counts["present" if obj.object.pk is not None else "loaded"] += 1
            else:
                obj.save()
                _first_history(obj.object)
                counts["inserted"] += 1
            records.append(LoadedReference(model=label, key=key))
            loaded.add((label, key))
        LoadedReference.objects.bulk_create(records)
        LoadedReference.objects.filter(model__in=legacy & models, key=LEGACY).delete()
        return counts
