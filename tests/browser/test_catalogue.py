"""The public catalogue in Chromium: live search as you type, and the same search without JavaScript."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_live_search_filters_and_keeps_the_url(page) -> None:
    page.goto("/catalogue/")
    page.evaluate("window.sameDocument = true")
    page.fill("#catalogue-q", "jjs")
    page.locator("#results-h").wait_for()  # the full listing gives way to the matches
    assert "“jjs”" in page.locator("#catalogue-results").inner_text()
    assert page.evaluate("window.sameDocument === true")
    assert "q=jjs" in page.url
    screenshot(page, "catalogue-desktop")


def test_search_without_javascript(no_js_page) -> None:
    no_js_page.goto("/catalogue/")
    no_js_page.fill("#catalogue-q", "高级工")
    no_js_page.keyboard.press("Enter")
    no_js_page.wait_for_url("**/catalogue/?q=*")
    results = no_js_page.locator("#catalogue-results").inner_text()
    assert "三级" in results and "60 分" in results
