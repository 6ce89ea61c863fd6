"""Roster mode in Chromium: upload through the page, watch a real worker fill the progress bar, sort the
table, and open a row in the simulator with the same total."""

import threading

import pytest
from django.utils import timezone

from tests.browser.conftest import screenshot
from tests.factories import roster_file, roster_rows

pytestmark = pytest.mark.browser

BAD_ROWS = [
    {"ref": "BAD-1", "age": "15", "education": "大专（高职）", "si": "2023-01~至今:9000"},
    {"ref": "BAD-2", "age": "30", "education": "小学", "si": "2023-13~至今:9000"},
]


def run_worker() -> threading.Thread:
    """db_worker's own loop, in batch mode, in a thread of this process (it shares the test database)."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    def work() -> None:
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_upload_watch_progress_sort_and_open_a_row(page, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = roster_rows(300, timezone.localdate(), certificates=("经济师",), seed=21) + BAD_ROWS
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.click("text=单位批量测算")
    page.locator("h1", has_text="单位批量测算").wait_for()
    page.set_input_files(
        "#id_file", files=[{"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": roster_file(rows)}]
    )
    page.click("button[type=submit]")

    bar = page.locator("#roster-bar")
    bar.wait_for()
    assert bar.get_attribute("value") == "0" and bar.get_attribute("max") == "302"
    worker = run_worker()
    page.locator("h1", has_text="名单测算结果").wait_for(timeout=60_000)  # htmx polled until done, then reloaded
    worker.join(timeout=60)
    assert "302" in page.locator(".roster-summary li").first.inner_text()
    assert page.locator(".roster-errors tbody tr").count() >= 2
    screenshot(page, "roster-result-desktop")

    page.click("#roster-table th >> text=总分")
    page.wait_for_url("**sort=total**")
    page.click("#roster-table th >> text=总分")  # again: highest first
    page.wait_for_url("**sort=-total**")
    totals = [int(t) for t in page.locator("#roster-table td.total-cell").all_inner_texts()]
    assert totals == sorted(totals, reverse=True) and len(totals) == 50
    first = page.locator("#roster-table tbody tr").first
    total = first.locator("td.total-cell").inner_text()
    first.locator("a", has_text="打开").click()
    page.locator("#total").wait_for()
    assert page.locator("#total").inner_text() == total


def test_the_result_page_on_a_phone(page, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    rows = roster_rows(120, timezone.localdate(), seed=4) + BAD_ROWS
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/roster/")
    page.set_input_files(
        "#id_file", files=[{"name": "r.csv", "mimeType": "text/csv", "buffer": roster_file(rows, "gb18030")}]
    )
    page.click("button[type=submit]")
    page.locator("h1", has_text="名单测算结果").wait_for()
    screenshot(page, "roster-result-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the wide table scrolls in its own box
    box = page.locator(".roster-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
