"""Share a result in Chromium, open the link elsewhere, edit the catalogue, and print it."""

import re

import pytest

from catalogue.models import Certificate
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


def test_share_link_shows_the_same_total_after_an_admin_edit(page, browser, live_server) -> None:
    cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
    page.goto(
        f"/?age=35&education=bachelor&si_from=2021-11&si_to=&si_base=15000&as_of=2026-11-15"
        f"&certificate={cert.pk}&cert_job_match=on&cert_in_shanghai=on"
    )
    assert page.locator("#total").inner_text() == "195"
    page.locator("#advice h2").wait_for()  # the path to 120 arrives with the page
    # one live change first, so the share button comes from a recomputed fragment (its CSRF token from <body>)
    page.locator("details summary", has_text="加分项").click()
    page.fill("#id_spouse_years", "1")
    page.wait_for_function("() => document.getElementById('total').textContent.trim() === '199'")
    page.locator("#advice h2").wait_for()  # loaded as its own fragment after the result
    total = page.locator("#total").inner_text()
    page.click("#share button[type=submit]")
    link = page.locator("#share-url")
    link.wait_for()
    url = link.input_value()
    assert "/r/" in url

    other = browser.new_context(locale="zh-CN")
    shared = other.new_page()
    shared.goto(url)
    assert shared.locator("#total").inner_text() == total
    screenshot(shared, "shared-desktop")

    # staff edit the certificate in the admin; the link does not change
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("staff", "staff@example.com", "a-long-password-123")
    admin = browser.new_context(base_url=live_server.url)
    admin_page = admin.new_page()
    admin_page.goto("/admin/login/")
    admin_page.fill("#id_username", "staff")
    admin_page.fill("#id_password", "a-long-password-123")
    admin_page.click("input[type=submit]")
    admin_page.goto(f"/admin/catalogue/certificate/{cert.pk}/change/")
    admin_page.select_option("#id_tier", "none")
    admin_page.click("input[name=_save]")
    admin_page.locator(".messagelist").wait_for()
    cert.refresh_from_db()
    assert cert.tier == "none"

    shared.reload()
    assert shared.locator("#total").inner_text() == total
    assert "按现行规则重新计算为 199 分" not in shared.content()
    assert "按现行规则重新计算为" in shared.content()

    ARTIFACTS.mkdir(exist_ok=True)
    shared.emulate_media(media="print")
    pdf = shared.pdf(path=str(ARTIFACTS / "shared.pdf"), format="A4")
    assert (
        len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
    )  # the shared result on one A4 page, its checklist on the next
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(ARTIFACTS / "simulator.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # so does the simulator's result
    other.close()
    admin.close()
