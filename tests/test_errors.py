"""Errors in the site's own voice: too many parameters (Chinese page, JSON on the APIs), a failed CSRF
check, a refused permission, the icon browsers ask for, where a sign-in lands, and gunicorn's limits
that match the app's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from calculator.forms import MAX_QUERY_LENGTH
from tests.bench_http import GUNICORN_CONFIG, free_port

ROOT = Path(__file__).resolve().parent.parent
MANY = "&".join(f"p{i}=1" for i in range(1001))

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/score", "/api/advice", "/api/certificates"])
def test_too_many_parameters_on_an_api_is_json_in_chinese(client, path: str) -> None:
    response = client.get(f"{path}?{MANY}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"errors": {"query": ["参数过多：一次最多 1000 个参数，请减少输入项后重试。"]}}


@pytest.mark.parametrize("path", ["/", "/catalogue/"])
def test_too_many_parameters_on_a_page_is_a_chinese_page(client, path: str) -> None:
    response = client.get(f"{path}?{MANY}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "参数过多" in html and "<html" in html and "Bad Request" not in html


def test_a_failed_csrf_check_says_what_to_do_in_chinese() -> None:
    response = Client(enforce_csrf_checks=True).post("/share", {"query": "age=35"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in html and "CSRF verification failed" not in html


def test_a_refused_admin_page_is_chinese(client) -> None:
    client.force_login(User.objects.create_user("staff", is_staff=True))
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_favicon_is_there(client) -> None:
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"  # hashed by the manifest in production
    assert Path(finders.find("favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_a_sign_in_with_a_refused_next_lands_on_the_admin(client) -> None:
    User.objects.create_superuser("staff", "staff@example.com", "correct horse battery staple")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "staff", "password": "correct horse battery staple", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_gunicorn_request_line_limit_fits_the_longest_accepted_query() -> None:
    from jifen_site import gunicorn_conf

    longest = f"GET /api/advice?{'x' * MAX_QUERY_LENGTH} HTTP/1.1"
    assert gunicorn_conf.limit_request_line >= len(longest)


@pytest.mark.django_db(transaction=False)
def test_gunicorn_with_the_config_passes_an_8000_character_query_to_the_app(tmp_path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": "gunicorn-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--workers", "1"]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "jifen_site.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz?pad={'x' * (MAX_QUERY_LENGTH - 4)}"
        assert _get(url, server) == 200  # gunicorn's default (4,094 bytes) answered 400 before the app
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str, server: subprocess.Popen) -> int:
    for _ in range(300):  # up to about 30 s for the worker to boot on a busy machine
        if server.poll() is not None:
            raise AssertionError("gunicorn exited")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")
