import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_renders_in_chromium_with_chinese_heading(page) -> None:
    page.goto("/")
    assert "上海居住证积分" in page.locator("h1").inner_text()
    screenshot(page, "home-desktop")
