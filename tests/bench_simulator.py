"""The engine in process, /api/score and the result fragment through the views, and the weight of the
first page load (HTML + CSS + JS, gzip-compressed, and any reference to another host)."""

import gzip
import re
from collections.abc import Callable
from datetime import date

from tests.bench import Figure, InProcess, timed

TYPICAL = (
    "age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=15000&spouse_years=3"
    "&cert_job_match=on&cert_in_shanghai=on"
)
TEN_PERIODS = (
    "".join(f"&si_from={2016 + i}-01&si_to={2016 + i}-12&si_base={9000 + 1000 * i}" for i in range(9))
    + "&si_from=2025-01&si_to=&si_base=max"
)


def _client():
    from django.test import Client

    return Client(HTTP_HOST="localhost")


def _with_certificate(query: str) -> str:
    from catalogue.models import Certificate

    cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
    return f"{query}&certificate={cert.pk}"


def bench_score_in_process() -> list[Figure]:
    from calculator.policy import get_policy
    from calculator.scoring import Profile, SIPeriod, month_index, score

    policy = get_policy(date(2026, 11, 15))
    periods = tuple(
        SIPeriod(month_index(2016 + i, 1), month_index(2016 + i, 12), 9000 + 1000 * i) for i in range(9)
    ) + (SIPeriod(month_index(2025, 1), None, None),)
    profile = Profile(age=35, education="bachelor_degree", si_periods=periods, spouse_years=3)
    assert score(profile, policy, date(2026, 11, 15)).total > 0
    return [timed("score(): 10 SI periods, in process", lambda: score(profile, policy, date(2026, 11, 15)), 1)]


def bench_views() -> list[Figure]:
    from django.conf import settings

    settings.JIFEN_FRAGMENT_CACHE = False  # every render is measured, as a person typing causes it
    server, client = InProcess(), _client()
    api = "/api/score?" + _with_certificate(TYPICAL + TEN_PERIODS)
    fragment = "/?" + _with_certificate(TYPICAL)
    hx = {"HX-Request": "true"}
    assert server.get(api).status == 200
    assert server.get(fragment, hx).status == 200
    counter = iter(range(10**9))

    def new_inputs() -> object:  # a different invest_tax each time: no cached render can answer
        return server.get(f"{fragment}&invest_tax={next(counter)}", hx)

    def one_edit(get: Callable[[str], object]) -> Callable[[], None]:
        """What one keystroke costs the server: the result fragment, then the advice fragment it loads."""

        def edit() -> None:
            query = f"{fragment.removeprefix('/?')}&invest_tax={next(counter)}"
            get(f"/?{query}")
            get(f"/advice?{query}")

        return edit

    def advice_alone() -> object:
        query = f"{fragment.removeprefix('/?')}&invest_tax={next(counter)}"
        return server.get(f"/advice?{query}", hx)

    return [
        timed(
            "one edit (result + advice fragments), typical profile, new inputs",
            one_edit(lambda path: server.get(path, hx)),
            3,
            headline=True,
        ),
        # The same through Django's test client, as this row was measured before: its own work is included.
        timed(
            "one edit, through the test client (its own work included)",
            one_edit(lambda path: client.get(path, headers=hx)),
            3,
        ),
        timed("/api/score (10 SI periods), server time", lambda: server.get(api), 5),
        timed("result fragment, new inputs each time, server time", new_inputs, 15),
        timed("advice fragment, typical profile, new inputs each time", advice_alone, 15),
        # The floor each of one edit's two requests stands on (middleware, no view work): it moves with this
        # machine's speed, and so does every in-process row.
        timed("/baseline, server time (each request's floor)", lambda: server.get("/baseline"), 1),
        timed("/baseline through the test client", lambda: client.get("/baseline"), 1),
    ] + _cached_fragment(server, fragment)


def _cached_fragment(server: InProcess, fragment: str) -> list[Figure]:
    from django.conf import settings

    settings.JIFEN_FRAGMENT_CACHE = True
    try:
        return [
            timed(
                "result fragment, repeated inputs (cached render)",
                lambda: server.get(fragment, {"HX-Request": "true"}),
                15,
            )
        ]
    finally:
        settings.JIFEN_FRAGMENT_CACHE = False


def bench_first_page_weight() -> list[Figure]:
    """What a phone downloads on the first visit: the page, its stylesheet and scripts, gzipped."""
    from django.contrib.staticfiles import finders

    client = _client()
    html = client.get("/").content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    total = len(gzip.compress(html))
    for asset in assets:
        response = client.get(asset.decode())  # WhiteNoise serves collected files
        if response.status_code == 200:
            body = b"".join(response.streaming_content) if response.streaming else response.content
        else:
            path = finders.find(asset.decode().removeprefix("/static/"))
            with open(path, "rb") as stream:
                body = stream.read()
        total += len(gzip.compress(body))
    external = re.findall(rb'(?:href|src)="(?:https?:)?//', html)
    return [
        Figure("first page load: HTML+CSS+JS gzipped", total / 1024, "KB", "< 60 KB", total < 60 * 1024),
        Figure("first page load: references to other hosts", len(external), "count", "0", not external),
    ]
