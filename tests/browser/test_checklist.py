"""The materials checklist in Chromium: it follows the answers live, keeps the ticks a person made,
prints on a page of its own with empty boxes, travels with a shared link, and gives a calendar file."""

import re

import pytest
from icalendar import Calendar

from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

START = "/?age=30&education=junior_college&si_from=2020-01&si_to=&si_base=20000&as_of=2026-11-15"


def groups(page) -> list[str]:
    return page.locator("#materials h3").all_inner_texts()


def test_the_checklist_follows_the_answers_and_keeps_the_ticks(page) -> None:
    page.goto(START)
    page.locator("#advice h2").wait_for()
    assert groups(page) == ["通用", "教育背景"]
    assert "学位证书" not in page.locator("#materials").inner_text()

    # tick two papers, by mouse and by keyboard; the ticks survive the live recompute
    page.check("#m-general_id_card")
    page.focus("#m-education_diploma")
    page.keyboard.press("Space")
    assert page.is_checked("#m-education_diploma")

    page.select_option("#id_education", "master")
    page.wait_for_function("() => document.getElementById('m-education_degree') !== null")
    assert page.is_checked("#m-general_id_card") and page.is_checked("#m-education_diploma")
    assert not page.is_checked("#m-education_degree")

    page.locator("details summary", has_text="加分项").click()
    page.fill("#id_spouse_years", "3")
    page.wait_for_function("() => document.getElementById('m-spouse_marriage') !== null")
    assert groups(page) == ["通用", "教育背景", "配偶"]

    # the folded answers: a foreign degree adds a paper and a check, the score stays
    score = page.locator("#total").inner_text()
    page.locator("details summary", has_text="申请前核对").click()
    page.check("#id_foreign_degree")
    page.wait_for_function("() => document.getElementById('m-education_foreign_certification') !== null")
    assert page.locator("#total").inner_text() == score
    checks = page.locator("#result .checks").inner_text()
    assert "留学服务中心" in checks and "待核实" in checks
    assert "foreign_degree=on" in page.url
    assert page.is_checked("#m-general_id_card")
    page.wait_for_load_state("networkidle")
    screenshot(page, "checklist-desktop")

    # printing: the result on page 1, the checklist on a page of its own, its boxes empty
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('materials')).breakBefore") == "page"
    appearance = page.evaluate("getComputedStyle(document.getElementById('m-general_id_card')).appearance")
    assert appearance == "none"  # drawn as an empty square, ticked or not
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "checklist.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2


def test_the_shared_link_shows_its_checklist(page, browser) -> None:
    page.goto(START + "&spouse_years=2&archive_outside=on")
    page.locator("#advice h2").wait_for()
    expected = page.locator("#materials li label").all_inner_texts()
    page.click("#share button[type=submit]")
    link = page.locator("#share-url")
    link.wait_for()

    other = browser.new_context(locale="zh-CN")
    shared = other.new_page()
    shared.goto(link.input_value())
    assert shared.locator("#materials li label").all_inner_texts() == expected
    checks = shared.locator(".checks").inner_text()
    assert "档案" in checks and "补缴" in checks
    shared.emulate_media(media="print")
    pdf = shared.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # the result, then the checklist
    other.close()


def test_the_calendar_link_downloads_the_dates(page) -> None:
    page.goto(
        "/?age=30&education=junior_college&si_from=2025-11&si_to=&si_base=max&as_of=2026-11-15&permit_expires=2027-06"
    )
    link = page.locator("#advice a", has_text="加入日历")
    link.wait_for()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(response.body()).walk("VEVENT"))
    assert summaries == ["居住证 2027年6月 到期：办理签注或续办", "预计达到居住证积分 120 分"]


def test_the_checklist_on_a_phone(browser, live_server, reference_data) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(START + "&permit_expires=2027-01&agent_paid=on")
    page.locator("#materials").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    assert "你的居住证 2027年1月 到期" in page.locator("#result .checks").inner_text()
    screenshot(page, "checklist-phone")
    context.close()


def test_without_javascript_the_checklist_comes_with_the_submitted_form(no_js_page) -> None:
    no_js_page.goto("/?as_of=2026-11-15")
    no_js_page.fill("#id_age", "30")
    no_js_page.select_option("#id_education", "bachelor_degree")
    no_js_page.fill("#si_from_0", "2020-01")
    no_js_page.fill("#si_base_0", "20000")
    no_js_page.locator("details summary", has_text="申请前核对").click()
    no_js_page.check("#id_archive_outside")
    no_js_page.click("form#sim-form button[type=submit]:has-text('计算积分')")
    no_js_page.locator("#materials").wait_for()
    assert groups(no_js_page) == ["通用", "教育背景"]
    assert "档案" in no_js_page.locator("#result .checks").inner_text()
