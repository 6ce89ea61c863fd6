"""load_reference inserts each fixture row once per database: what staff renamed, corrected or deleted
stays so through any number of runs, rows new to the fixtures are added, and a database loaded before
the records existed gets no duplicates on its first run after the upgrade."""

from __future__ import annotations

import importlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from calculator.models import AverageWage, EducationPoints, LoadedReference, PolicyEdition
from catalogue.models import Certificate, Trade

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.FIXTURE_DIRS[0])


def load(*files: Path) -> str:
    out = io.StringIO()
    call_command("load_reference", *map(str, files), stdout=out)
    return out.getvalue()


def economist() -> Certificate:
    return Certificate.objects.get(kind="title", series="经济", name="经济师")


def test_a_renamed_certificate_does_not_come_back(reference_rows) -> None:
    entry = economist()
    entry.name = "经济师（中级）"
    entry.save()
    count = Certificate.objects.count()
    load()
    assert Certificate.objects.count() == count
    assert not Certificate.objects.filter(series="经济", name="经济师").exists()


def test_a_corrected_wage_period_does_not_come_back_overlapping(reference_rows) -> None:
    wage = AverageWage.objects.get(start=date(2025, 7, 1))
    wage.start = date(2025, 8, 1)
    wage.save()
    load()
    assert not AverageWage.objects.filter(start=date(2025, 7, 1)).exists()
    for row in AverageWage.objects.all():
        row.clean()  # no overlap: the admin's own validation holds


def test_a_deleted_trade_does_not_come_back(reference_rows) -> None:
    Trade.objects.get(name="计算机程序设计员").delete()
    load()
    assert not Trade.objects.filter(name="计算机程序设计员").exists()


def test_a_corrected_edition_date_does_not_bring_back_the_edition_or_its_tables(reference_rows) -> None:
    PolicyEdition.objects.update(effective_from=date(2018, 2, 1))
    load()
    assert PolicyEdition.objects.count() == 1
    assert EducationPoints.objects.count() == 6


def test_only_rows_new_to_the_fixtures_are_added(reference_rows, tmp_path) -> None:
    entry = economist()
    entry.name = "经济师（中级）"
    entry.save()
    objects = json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))
    new = {**objects[0], "fields": {**objects[0]["fields"], "name": "新教授", "position": 999}}
    grown = tmp_path / "catalogue.json"
    grown.write_text(json.dumps([*objects, new], ensure_ascii=False), encoding="utf-8")
    assert "1 inserted" in load(grown)
    assert Certificate.objects.filter(name="新教授").exists()
    assert not Certificate.objects.filter(series="经济", name="经济师").exists()
    assert "0 inserted" in load(grown)


def test_every_fixture_row_is_recorded_once(reference_rows) -> None:
    rows = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in FIXTURES.glob("*.json"))
    assert LoadedReference.objects.count() == rows
    load()
    assert LoadedReference.objects.count() == rows


def test_a_database_loaded_before_the_records_gets_no_duplicates_after_the_upgrade() -> None:
    """The upgrade path: rows loaded by the old command (no records), then renamed and deleted by staff;
    migration 0005 marks the models that have rows; the first run inserts nothing."""
    call_command("loaddata", *sorted(FIXTURES.glob("*.json")), verbosity=0)  # what the old command left
    entry = economist()
    entry.name = "经济师（中级）"
    entry.save()
    Trade.objects.get(name="计算机程序设计员").delete()
    before = (Certificate.objects.count(), Trade.objects.count(), AverageWage.objects.count())
    migration = importlib.import_module("calculator.migrations.0005_loaded_reference")
    migration.mark_legacy(apps, None)

    load()
    load()

    assert (Certificate.objects.count(), Trade.objects.count(), AverageWage.objects.count()) == before
    assert not Certificate.objects.filter(series="经济", name="经济师").exists()
    assert not LoadedReference.objects.filter(key="").exists()  # the marker is used once


def test_a_fresh_database_is_loaded_in_full() -> None:
    importlib.import_module("calculator.migrations.0005_loaded_reference").mark_legacy(apps, None)
    assert not LoadedReference.objects.exists()  # nothing to mark in an empty database
    load()
    assert Certificate.objects.count() == 333 and Trade.objects.count() == 48
