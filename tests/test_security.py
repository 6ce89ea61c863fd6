"""Security headers, the CSP without inline code, admin login throttling, and the per-process cache
that keeps a warm recompute at one query."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F

from calculator import cache
from calculator.models import DataVersion

HX = {"HX-Request": "true"}


@pytest.fixture
def reference_data(db) -> None:
    call_command("load_reference", verbosity=0)


@pytest.fixture
def certificate(reference_data):
    from catalogue.models import Certificate

    return Certificate.objects.get(active=True, name="经济师")


@pytest.fixture
def profile(certificate) -> str:
    """The typical profile of `make bench`, with a catalogue certificate."""
    return (
        "age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=15000&spouse_years=3"
        f"&certificate={certificate.pk}&cert_job_match=on&cert_in_shanghai=on"
    )


# ---------------------------------------------------------------------------------------------
# Headers on the page, the fragment and the APIs

RESPONSES = [
    ("page", "/", {}),
    ("fragment", "/", HX),
    ("api_score", "/api/score", {}),
    ("api_certificates", "/api/certificates", {}),
    ("catalogue", "/catalogue/", {}),
    ("certificate", "/certificate", {}),
    ("rules", "/rules/", {}),
    ("invalid api input", "/api/score?age=abc", {}),
    ("not found", "/no-such-page", {}),
]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "headers"), RESPONSES, ids=[r[0] for r in RESPONSES])
def test_security_headers_on_every_kind_of_response(client, profile, name, path, headers) -> None:
    response = client.get(path if "?" in path else f"{path}?{profile}", headers=headers)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in csp[directive], directive
        assert "'unsafe-eval'" not in csp[directive], directive
        assert "*" not in csp[directive], directive


HTML_PAGES = [
    ("page", "/", {}),
    ("fragment", "/", HX),
    ("blank page", "", {}),
    ("catalogue", "/catalogue/", {}),
    ("catalogue fragment", "/catalogue/", HX),
    ("suggestions", "/catalogue/suggest?q=jjs", {}),
    ("certificate", "/certificate", {}),
    ("rules", "/rules/", {}),
    ("not found", "/no-such-page", {}),
    ("admin login", "/admin/login/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "headers"), HTML_PAGES, ids=[p[0] for p in HTML_PAGES])
def test_html_has_no_inline_script_or_style_for_the_csp_to_block(client, profile, name, path, headers) -> None:
    url = "/" if not path else (path if "?" in path or path.startswith("/admin") else f"{path}?{profile}")
    content = client.get(url, headers=headers).content.decode()
    assert not re.search(r"<style\b", content, re.I)
    assert not re.search(r"\sstyle\s*=", content, re.I)
    assert not re.search(r"\son[a-z]+\s*=", content, re.I), "inline event handler"
    assert "javascript:" not in content.lower()
    for tag in re.findall(r"<script\b[^>]*>", content, re.I):
        if "application/json" not in tag and "text/template" not in tag:
            assert re.search(r"\ssrc=", tag), f"inline script: {tag}"


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_styles_or_eval(client) -> None:
    content = client.get("/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', content)
    assert config, "the htmx-config meta is missing"
    assert '"includeIndicatorStyles": false' in config[1]
    assert '"allowEval": false' in config[1]


# ---------------------------------------------------------------------------------------------
# Admin login throttling (django-axes: 5 failures lock username + address for an hour)


def _login(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def _locked(response) -> bool:
    return response.status_code == 429 or "登录已暂时锁定" in response.content.decode()


@pytest.mark.django_db
def test_admin_login_locks_after_five_failures_and_only_for_that_user(client, settings) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    User.objects.create_superuser("staff", "staff@example.com", "correct horse battery staple")
    User.objects.create_superuser("other", "other@example.com", "another long passphrase")
    assert _login(client, "staff", "correct horse battery staple").status_code == 302  # it works at all
    client.logout()

    for attempt in range(4):
        response = _login(client, "staff", f"wrong-{attempt}")
        assert response.status_code == 200 and not _locked(response), attempt
    assert _locked(_login(client, "staff", "wrong-4"))

    refused = _login(client, "staff", "correct horse battery staple")
    assert _locked(refused)
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 429

    allowed = _login(client, "other", "another long passphrase")
    assert allowed.status_code == 302
    assert allowed["Location"] == "/admin/"


# ---------------------------------------------------------------------------------------------
# The policy and catalogue are cached per process and dropped when the data stamp moves


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "headers"), [("/", HX), ("/", {}), ("/api/score", {}), ("/certificate", {})])
def test_a_warm_recompute_costs_at_most_one_query(
    client, profile, path, headers, django_assert_max_num_queries
) -> None:
    assert client.get(f"{path}?{profile}", headers=headers).status_code == 200
    with django_assert_max_num_queries(1):  # the data stamp, nothing else
        assert client.get(f"{path}?{profile}", headers=headers).status_code == 200


@pytest.mark.django_db
def test_the_cache_follows_a_save_in_another_process(client, certificate, profile) -> None:
    from catalogue.models import Certificate

    assert certificate.name in client.get(f"/?{profile}", headers=HX).content.decode()
    # Another process's staff save: the row changes and the stamp moves, but no signal reaches this one.
    Certificate.objects.filter(pk=certificate.pk).update(name="经济师（改名）")
    assert "经济师（改名）" not in client.get(f"/?{profile}", headers=HX).content.decode()  # still cached
    DataVersion.objects.update(version=F("version") + 1)
    assert "经济师（改名）" in client.get(f"/?{profile}", headers=HX).content.decode()


@pytest.mark.django_db
def test_the_cache_follows_a_staff_save_in_this_process(client, certificate, profile) -> None:
    before = cache.current_version()
    client.get(f"/?{profile}", headers=HX)
    certificate.name = "经济师（新）"
    certificate.save()
    assert cache.current_version() > before
    assert "经济师（新）" in client.get(f"/?{profile}", headers=HX).content.decode()


@pytest.mark.django_db
def test_the_policy_cache_follows_a_point_change(client, reference_data) -> None:
    from calculator.models import PolicyEdition

    query = "age=35&education=bachelor_degree"
    before = client.get(f"/api/score?{query}").json()["total"]
    edition = PolicyEdition.objects.order_by("-effective_from").first()
    row = edition.education_points.get(code="bachelor_degree")
    row.points += 7
    row.save()
    assert client.get(f"/api/score?{query}").json()["total"] == before + 7
