"""A user fills in the simulator in Chromium: live totals, SI rows, the certificate picker, reload,
the same journey without JavaScript, and a phone-sized window."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def total(page) -> str:
    return page.locator("#total").inner_text().strip()


def wait_total(page, expected: str) -> None:
    page.wait_for_function("expected => document.getElementById('total').textContent.trim() === expected", arg=expected)


def test_live_journey_without_page_loads(page) -> None:
    page.goto("/?as_of=2026-11-15")
    page.evaluate("window.sameDocument = true")  # lost on any full page load
    assert total(page) == "—"

    page.fill("#id_age", "35")
    wait_total(page, "30")
    assert page.evaluate("document.activeElement.id") == "id_age"  # typing never loses focus

    page.select_option("#id_education", "bachelor_degree")
    wait_total(page, "120")
    assert "已达标" in page.locator("#result .margin").inner_text()

    # the first SI row: since 2021-11 at 15000 yuan (61 months: 15 for years, 50 for the base tier)
    page.fill("#si_from_0", "2021-11")
    page.fill("#si_base_0", "15000")
    wait_total(page, "185")
    assert page.locator("#si-counts").inner_text().count("61 个月") == 1

    # add a second, overlapping period at the ceiling for the last 24 months: the 3x tier (120)
    page.click("#add-row")
    assert page.locator("#si-periods tr.period-row").count() == 2
    page.fill("#si_from_1", "2024-12")
    page.check("#si-periods tr.period-row >> nth=1 >> input[name=si_max]")
    wait_total(page, "255")

    # pick a certificate by typing 经济 and see its conditions
    page.fill("#id_q", "经济")
    page.locator("#cert-suggestions button", has_text="经济师").first.wait_for()
    page.locator("#cert-suggestions button", has_text="经济师 ·").first.click()
    page.locator("#cert-detail .cert-card").wait_for()
    detail = page.locator("#cert-detail").inner_text()
    assert "专业/工种与所聘岗位相符" in detail and "最近 12 个月中至少 6 个月" in detail
    page.check("#id_cert_job_match")
    page.check("#id_cert_in_shanghai")
    wait_total(page, "265")  # 中级 100 replaces 本科 90
    assert page.evaluate("window.sameDocument === true")  # all of it without a page load
    screenshot(page, "simulator-desktop")

    # the address bar holds the inputs: reloading gives the same result
    url = page.url
    assert "age=35" in url and "si_base=max" in url and "certificate=" in url
    page.reload()
    assert total(page) == "265"
    page.goto("/")
    page.go_back()
    assert total(page) == "265"


def test_bad_input_message_next_to_the_field(page) -> None:
    page.goto("/")
    page.fill("#id_age", "15")
    page.locator("#result .fix-list").wait_for()
    assert "年龄须满 16 周岁" in page.locator("#result").inner_text()
    assert "年龄须满 16 周岁" in page.locator("#err-age").inner_text()  # next to the field, live
    # aria-invalid follows once htmx has settled the swap
    page.wait_for_function("() => document.getElementById('id_age').getAttribute('aria-invalid') === 'true'")
    assert page.input_value("#id_age") == "15"
    page.fill("#id_age", "40")
    wait_total(page, "30")
    assert page.locator("#err-age").inner_text() == ""
    page.wait_for_function("() => !document.getElementById('id_age').hasAttribute('aria-invalid')")
    page.fill("#si_from_0", "2021-13")
    page.fill("#si_base_0", "abc")
    page.locator("#err-si li").first.wait_for()
    assert "月缴费基数请填写" in page.locator("#err-si").inner_text()


def test_fixing_a_bad_si_row_leaves_no_stale_message(page) -> None:
    """A page loaded with a bad row (a bookmark, or the page without JavaScript) is then corrected live."""
    page.goto("/?as_of=2026-11-15&age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=-5")
    assert page.get_attribute("#si_base_0", "aria-invalid") == "true"
    assert page.get_attribute("#si_from_0", "aria-invalid") is None
    page.fill("#si_base_0", "15000")
    wait_total(page, "185")
    assert page.locator("#err-si").inner_text().strip() == ""
    page.wait_for_function("() => !document.querySelector('#si-periods [aria-invalid]')")
    assert "月缴费基数请填写" not in page.locator("#sim-form").inner_text()


def test_journey_without_javascript(no_js_page) -> None:
    page = no_js_page
    page.goto("/?as_of=2026-11-15")
    page.fill("#id_age", "35")
    page.select_option("#id_education", "bachelor_degree")
    page.fill("#si_from_0", "2021-11")
    page.fill("#si_base_0", "15000")
    page.click("button[type=submit]:has-text('计算积分')")
    assert total(page) == "185"
    page.click("#add-row")
    assert page.locator("#si-periods tr.period-row").count() == 2
    page.fill("#id_q", "经济")
    page.click("button[name=cert_search]")
    page.select_option(
        "#id_certificate", label=page.locator("#id_certificate option", has_text="经济师 ·").first.inner_text()
    )
    page.click("#cert-detail button:has-text('选定')")
    page.check("#id_cert_job_match")
    page.check("#id_cert_in_shanghai")
    page.click("button[type=submit]:has-text('计算积分')")
    assert total(page) == "195"
    assert "学历与职称二选一" in page.locator("#result").inner_text()
    screenshot(page, "simulator-nojs")


def test_phone_keeps_the_total_visible(browser, live_server, reference_data) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto("/?age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=15000&as_of=2026-11-15")
    bar = page.locator("#result .total-bar")
    assert bar.is_visible() and "185" in bar.inner_text()
    page.locator("details").first.scroll_into_view_if_needed()
    assert bar.is_visible() and bar.bounding_box()["y"] + bar.bounding_box()["height"] <= 740 + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    screenshot(page, "simulator-phone")
    context.close()


def test_keyboard_alone(page) -> None:
    """Tab, type and Enter only: age, education, a certificate from the suggestions, a new SI row."""
    page.goto("/?as_of=2026-11-15")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.focus("#id_age")
    page.keyboard.type("35")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_education"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("经济")
    page.locator("#cert-suggestions button").first.wait_for()
    page.keyboard.press("Tab")  # into the suggestions
    focused = page.evaluate("document.activeElement.closest('#cert-suggestions') !== null")
    if not focused:  # the 搜索证书 button sits between the box and the list
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#cert-suggestions') !== null")
    page.keyboard.press("Enter")
    page.locator("#cert-detail .cert-card").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_cert_job_match"  # focus moves to the first condition
    page.keyboard.press("Space")
    page.focus("#add-row")
    page.keyboard.press("Enter")
    assert page.locator("#si-periods tr.period-row").count() == 2
    assert page.evaluate("document.activeElement.id") == "si_from_1"
    page.wait_for_function("() => document.getElementById('total').textContent.trim() === '30'")
