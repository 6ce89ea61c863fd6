"""The admin pages staff use work under the Content-Security-Policy: Chromium reports no violation on
the changelists, change forms, history, import (with its preview) and export (whose "select all" works),
while the public pages keep their strict policy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from calculator.models import AverageWage, PolicyEdition
from catalogue.models import Certificate
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile + ":" + e.lineNumber;
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_page(page):
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    page.add_init_script(WATCH)
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


def test_admin_pages_staff_use_cause_no_csp_violation(staff_page) -> None:
    page = staff_page
    entry = Certificate.objects.get(kind="title", series="经济", name="经济师")
    entry.note = "改过一次"
    entry.save()
    wage = AverageWage.objects.order_by("-start").first()
    edition = PolicyEdition.objects.get()
    pages = [
        "/admin/",
        "/admin/catalogue/certificate/",
        "/admin/catalogue/certificate/?q=jjs",
        f"/admin/catalogue/certificate/{entry.pk}/change/",
        f"/admin/catalogue/certificate/{entry.pk}/history/",
        f"/admin/catalogue/certificate/{entry.pk}/history/{entry.history.latest().history_id}/",
        "/admin/catalogue/certificate/add/",
        "/admin/catalogue/trade/",
        "/admin/catalogue/certificate/import/",
        "/admin/catalogue/certificate/export/",
        "/admin/calculator/averagewage/",
        f"/admin/calculator/averagewage/{wage.pk}/change/",
        f"/admin/calculator/averagewage/{wage.pk}/history/",
        f"/admin/calculator/policyedition/{edition.pk}/change/",
        f"/admin/calculator/policyedition/{edition.pk}/history/",
        "/admin/auth/user/",
        "/admin/calculator/sharedresult/",
    ]
    seen = {}
    for path in pages:
        page.goto(path)
        seen[path] = violations(page)
    assert {path: found for path, found in seen.items() if found} == {}


def test_export_select_all_toggles_every_column(staff_page) -> None:
    page = staff_page
    page.goto("/admin/catalogue/certificate/export/")
    boxes = page.locator("input[type=checkbox][name^=certificateresource_]")
    toggle = page.get_by_label("全选")
    assert boxes.count() == 12
    toggle.uncheck()
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [False] * 12
    toggle.check()
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [True] * 12
    screenshot(page, "admin-export")
    assert violations(page) == []


def test_import_preview_causes_no_csp_violation(staff_page, tmp_path) -> None:
    page = staff_page
    upload = tmp_path / "目录.csv"
    upload.write_text("名称,所属目录,启用\n焊工X,,是\n", encoding="utf-8")
    page.goto("/admin/catalogue/trade/import/")
    page.set_input_files("#id_import_file", str(upload))
    page.select_option("#id_format", "0")
    page.click("input[type=submit]")
    page.get_by_text("预览：确认后才会写入").wait_for()
    assert violations(page) == []
    screenshot(page, "admin-import-preview")
    page.click("input[name=confirm]")
    page.get_by_text("导入完成").wait_for()
    assert violations(page) == []


def test_public_pages_keep_the_strict_policy(page) -> None:
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
