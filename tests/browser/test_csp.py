"""The Content-Security-Policy (no 'unsafe-inline' for scripts or styles) holds in a real browser while
htmx recomputes, swaps the certificate picker and adds SI rows: Chromium reports no violation."""

import pytest

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


def test_live_recompute_causes_no_csp_violation(page) -> None:
    console: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(WATCH_VIOLATIONS)

    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy
    total = page.locator("#total")
    assert total.inner_text().strip() == "—"

    page.locator("#id_age").press_sequentially("35")
    # Predicates are written as functions: Playwright evals a bare expression, which this CSP refuses.
    page.wait_for_function("() => document.getElementById('total').textContent.trim() !== '—'")
    first = total.inner_text().strip()
    assert first.isdigit()
    page.select_option("#id_education", "bachelor_degree")
    page.wait_for_function("t => document.getElementById('total').textContent.trim() !== t", arg=first)

    # the other swaps: certificate suggestions (htmx), a new SI row (the page's own script)
    search = page.locator("#id_q, #id_cert_q").first
    search.press_sequentially("jjs")
    page.locator("#cert-suggestions button").first.wait_for()
    page.click("#add-row")
    page.fill("#si_from_1", "2024-12")
    page.fill("#si_base_1", "15000")
    page.wait_for_load_state("networkidle")

    csp_console = [line for line in console if "Content Security Policy" in line or "Refused to" in line]
    assert csp_console == []
    assert errors == []
    assert page.evaluate("window.cspViolations") == []

    # The watch can fail: an inline style attribute is refused and seen.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert "style-src" in page.evaluate("window.cspViolations[0]")
