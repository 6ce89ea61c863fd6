"""axe-core finds no serious or critical accessibility violation on any kind of page, at desktop and
phone widths, with the result, the advice and an open certificate card shown."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calculator import roster
from catalogue.models import Certificate
from tests.browser.conftest import screenshot
from tests.factories import TYPICAL, roster_file, roster_rows

pytestmark = pytest.mark.browser
AXE = Axe()


def violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 812)], ids=["desktop", "phone"])
def test_no_serious_violations(page, width: int, height: int) -> None:
    economist = Certificate.objects.get(kind="title", series="经济", name="经济师").pk
    full = f"{TYPICAL}&certificate={economist}&cert_job_match=on&cert_in_shanghai=on&invest_tax=250000"
    page.set_viewport_size({"width": width, "height": height})
    today = timezone.localdate()
    upload = SimpleUploadedFile("roster.xlsx", roster_file(roster_rows(30, today, certificates=("经济师",))))
    scored = roster.accept(upload, today, f"axe-{width}")
    for chunk in scored.chunks.all():
        roster.score_chunk(chunk.pk)
    found = {}
    for name, url in {
        "blank": "/",
        "result": "/?" + full,
        "rules": "/rules/",
        "catalogue": "/catalogue/?q=经济",
        "roster-upload": "/roster/",
        "roster-result": scored.get_absolute_url(),
    }.items():
        page.goto(url)
        if name == "result":
            page.locator("#advice h2").wait_for()
            screenshot(page, f"result-{width}")
        found[name] = violations(page)
    assert found == {name: [] for name in found}
