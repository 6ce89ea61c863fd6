"""The share rate limit holds under parallel requests, and it and the admin login lockout key on the
client address behind the trusted proxies (never on a header anyone can send)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client, RequestFactory

from calculator import sharing
from calculator.models import SharedResult
from jifen_site.clients import client_address

QUERY = "age=35&education=bachelor&si_from=2021-11&si_to=&si_base=15000&as_of=2026-11-15"
PARALLEL = 50


@pytest.mark.django_db(transaction=True)
def test_parallel_shares_from_one_address_create_exactly_the_limit(settings) -> None:
    call_command("load_reference", verbosity=0)
    settings.JIFEN_SHARE_RATE = 30
    start = threading.Barrier(PARALLEL)

    def share(_: int) -> int:
        try:
            client = Client()
            start.wait()
            return client.post("/share", {"query": QUERY}).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(share, range(PARALLEL)))

    assert SharedResult.objects.count() == 30
    assert sorted(statuses) == [302] * 30 + [429] * 20


def request(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.9", None, "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not trusted by default: anyone can send it
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged first hop is ignored
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (1, "10.0.0.2", None, "10.0.0.2"),  # a request that reached the app directly
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, remote, forwarded, client) -> None:
    settings.JIFEN_TRUSTED_PROXIES = proxies
    assert client_address(request(remote, forwarded)) == client


def test_the_share_limit_keys_on_the_client_behind_the_proxy(settings) -> None:
    settings.JIFEN_TRUSTED_PROXIES = 1
    one = sharing.client_key(request("10.0.0.2", "198.51.100.1"))
    other = sharing.client_key(request("10.0.0.2", "198.51.100.2"))
    assert one != other
    settings.JIFEN_TRUSTED_PROXIES = 0
    assert sharing.client_key(request("10.0.0.2", "198.51.100.1")) == sharing.client_key(request("10.0.0.2"))


def _login(client: Client, password: str, forwarded: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_proxy_one_attacker_cannot_lock_staff_out(settings) -> None:
    settings.JIFEN_TRUSTED_PROXIES = 1
    User.objects.create_superuser("staff", "staff@example.com", "correct horse battery staple")
    attacker, staff = Client(), Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, f"wrong-{attempt}", "198.51.100.66")
    assert _login(attacker, "correct horse battery staple", "198.51.100.66").status_code == 429
    assert _login(staff, "correct horse battery staple", "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lockout(settings) -> None:
    User.objects.create_superuser("staff", "staff@example.com", "correct horse battery staple")
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, f"wrong-{attempt}", f"198.51.100.{attempt}")
    assert _login(attacker, "correct horse battery staple", "198.51.100.200").status_code == 429
