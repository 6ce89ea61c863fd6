"""Hostile input: whatever arrives in a query string or a form body, no public URL answers 5xx.

Invalid input is a 400 with messages from the APIs and the page with its messages (200) from the pages.
Property-based (hypothesis) over every public URL, plus the bounds as a table and the escaping of
hostile catalogue data. URLs others add later (/api/advice, /r/<slug>, the share POST) are covered
automatically once they are in the URLconf.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculator.forms import MAX_QUERY_LENGTH
from calculator.periods import MAX_PERIODS

HYPOTHESIS = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------------------------
# The URLs


@dataclass(frozen=True)
class Target:
    """A public URL and what it may answer: "page" is always 200, "api" 200 or 400 with JSON."""

    name: str
    path: str
    kind: str
    headers: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.name


TARGETS = [
    Target("simulator", "/", "page"),
    Target("fragment", "/", "page", (("HX-Request", "true"),)),
    Target("api_score", "/api/score", "api"),
    Target("api_certificates", "/api/certificates", "api"),
    Target("catalogue", "/catalogue/", "page"),
    Target("catalogue_fragment", "/catalogue/", "page", (("HX-Request", "true"),)),
    Target("suggest", "/catalogue/suggest", "page"),
    Target("certificate", "/certificate", "page"),
    Target("rules", "/rules/", "page"),
]
# Built by others; tested as soon as they resolve. "any" only promises no 5xx (a random slug is a 404).
OPTIONAL_TARGETS = [
    Target("api_advice", "/api/advice", "api"),
    Target("shared_result", "/r/hostile-slug-0", "any"),
]


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _routes(patterns: list, prefix: str = "") -> Iterator[str]:
    """Every route of the URLconf as text, e.g. "r/<slug:slug>" (regex routes as their pattern)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def other_routes() -> list[str]:
    """Non-admin routes not in TARGETS or OPTIONAL_TARGETS (e.g. a share endpoint added later)."""
    known = {t.path for t in [*TARGETS, *OPTIONAL_TARGETS]}
    found = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "^admin/")) or route in ("healthz", "baseline"):
            continue
        path = "/" + route
        if path in known or any(_resolves(t.path) and resolve(t.path).route == route for t in OPTIONAL_TARGETS):
            continue
        found.append(route)
    return sorted(found)


def route_path(route: str) -> st.SearchStrategy[str]:
    """Concrete paths of a route: each <converter:name> becomes text its converter accepts."""
    from django.urls.resolvers import RoutePattern

    pattern = RoutePattern(route, is_endpoint=True)
    return st.from_regex(pattern.regex, fullmatch=True).map(lambda p: "/" + quote(p, safe="/"))


# ---------------------------------------------------------------------------------------------
# The input

VOCABULARY = [
    "age",
    "education",
    "certificate",
    "cert_q",
    "cert_search",
    "cert_job_match",
    "cert_in_shanghai",
    "cert_registered",
    "si_from",
    "si_to",
    "si_base",
    "si_max",
    "as_of",
    "shortage_major",
    "fresh_graduate",
    "invest_tax",
    "invest_hires",
    "public_service_years",
    "remote_years",
    "lingang_years",
    "spouse_years",
    "award",
    "talent",
    "false_material",
    "detention",
    "crime",
    "veto_family_planning",
    "veto_serious_crime",
    "remove_row",
    "add_row",
    "birth",
    "q",
    "limit",
]
XSS = '<script>alert("jifen")</script>'
ATTR_XSS = '"><img src=x onerror=alert(1)>'
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "max",
    "on",
    "true",
    "0",
    "-1",
    "-0",
    "+5",
    "1e9",
    "NaN",
    "inf",
    "0x10",
    "1_000",
    "12,434",
    "12，434元",
    "²",
    "١٢",
    "٣٥",
    "𝟑𝟓",
    "Ⅻ",
    "9" * 30,
    "9" * 4301,
    "-" + "9" * 4400,
    "2021-13",
    "2021-00",
    "0000-00",
    "1979-12",
    "2101-01",
    "2021-1",
    "2021-07-01",
    "9999-12-31",
    "2000-01-01",
    "2017-12-31",
    "2100-12-31",
    "bachelor_degree",
    "senior",
    XSS,
    ATTR_XSS,
    "' OR 1=1 --",
    "'; DROP TABLE catalogue_certificate; --",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "[a-z]*",
    "\u202e\u200b\ufeff",
    "経済师",
    "经济",
    "jjs",
]
months = st.one_of(
    st.from_regex(r"\A(19[789]\d|20\d\d|21\d\d)-(0?[0-9]|1[0-3])\Z"),
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}\Z"),
    st.sampled_from(NASTY),
)
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12),
    months,
    st.text(min_size=100, max_size=3000),
)
keys = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12))
pairs = st.lists(st.tuples(keys, values), max_size=30)
si_rows = st.lists(
    st.tuples(
        st.just("si_from").flatmap(lambda k: months.map(lambda v: (k, v))),
        st.just("si_to").flatmap(lambda k: st.one_of(st.just(""), months).map(lambda v: (k, v))),
        st.just("si_base").flatmap(lambda k: st.one_of(st.integers(-5, 10**8).map(str), values).map(lambda v: (k, v))),
    ),
    max_size=MAX_PERIODS + 20,
).map(lambda rows: [pair for row in rows for pair in row])
TYPICAL = [
    ("age", "35"),
    ("education", "bachelor_degree"),
    ("si_from", "2021-11"),
    ("si_to", ""),
    ("si_base", "15000"),
    ("spouse_years", "3"),
    ("cert_job_match", "on"),
    ("cert_in_shanghai", "on"),
]
mutated_typical = st.lists(st.tuples(st.sampled_from(VOCABULARY), values), max_size=4).map(
    lambda extra: [*TYPICAL, *extra]
)


def _encode(items: list[tuple[str, str]]) -> str:
    return urlencode(items, encoding="utf-8", errors="surrogatepass")


encoded = st.one_of(
    pairs.map(_encode),
    st.tuples(pairs, si_rows).map(lambda t: _encode(t[0] + t[1])),
    mutated_typical.map(_encode),
)
# Raw bytes as the server sees them in QUERY_STRING (WSGI hands it over as latin-1 text): broken
# percent-escapes, invalid UTF-8, bare separators.
raw = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.text(st.sampled_from("%=&;+ aé0F\x00"), max_size=80).map(lambda t: t.encode("utf-8").decode("latin-1")),
)
query_strings = st.one_of(encoded, encoded, raw)


def _field_count(query: str) -> int:
    return query.count("&") + query.count(";") + 1


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The reference data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(reference_data, db) -> None:
    """Each test runs in a savepoint inside the module's transaction."""


def get(client, target: Target, query: str):
    headers = dict(target.headers)
    return client.get(target.path, QUERY_STRING=query, headers=headers)


def assert_answer(response, target: Target, query: str) -> None:
    status = response.status_code
    assert status < 500, f"{target} answered {status} to {query[:300]!r}"
    if target.kind == "any":
        return
    if _field_count(query) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
        assert status in (200, 400)  # Django refuses more fields than it parses (TooManyFieldsSent)
        return
    if target.kind == "api":
        assert status in (200, 400), f"{target}: {status} to {query[:300]!r}"
        assert response["Content-Type"].startswith("application/json")
        body = json.loads(response.content)
        if status == 400:
            assert body["errors"] and all(body["errors"].values())
        return
    assert status == 200, f"{target}: {status} to {query[:300]!r}"
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert XSS not in content and ATTR_XSS not in content


# ---------------------------------------------------------------------------------------------
# Properties


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_hostile_query_strings_never_5xx(client, loaded, target: Target) -> None:
    @HYPOTHESIS
    @given(query=query_strings)
    def check(query: str) -> None:
        assert_answer(get(client, target, query), target, query)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("target", OPTIONAL_TARGETS, ids=str)
def test_hostile_query_strings_never_5xx_on_urls_others_add(client, loaded, target: Target) -> None:
    if not _resolves(target.path):
        pytest.skip(f"{target.path} is not in the URLconf yet")

    @HYPOTHESIS
    @given(query=query_strings)
    def check(query: str) -> None:
        assert_answer(get(client, target, query), target, query)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("target", [*TARGETS, *OPTIONAL_TARGETS], ids=str)
def test_hostile_form_bodies_never_5xx(client, loaded, target: Target) -> None:
    """POST bodies (urlencoded, or bytes claimed to be) at every URL: refused or answered, never 5xx."""
    if not _resolves(target.path):
        pytest.skip(f"{target.path} is not in the URLconf yet")

    @HYPOTHESIS
    @given(body=st.one_of(encoded, raw), query=st.one_of(st.just(""), encoded))
    def check(body: str, query: str) -> None:
        response = client.post(
            target.path,
            data=body.encode("utf-8", "surrogatepass"),
            content_type="application/x-www-form-urlencoded",
            QUERY_STRING=query,
            headers=dict(target.headers),
        )
        assert response.status_code < 500, f"{target} answered {response.status_code} to {body[:300]!r}"

    check()


@pytest.mark.django_db
def test_hostile_paths_and_input_on_every_other_route(client, loaded) -> None:
    """Routes nobody listed here (a share POST, a new page) still never answer 5xx."""
    routes = other_routes()
    if not routes:
        pytest.skip("no public routes beyond the listed ones")

    @HYPOTHESIS
    @given(
        path=st.sampled_from(routes).flatmap(route_path), query=query_strings, method=st.sampled_from(["GET", "POST"])
    )
    def check(path: str, query: str, method: str) -> None:
        if method == "GET":
            response = client.get(path, QUERY_STRING=query)
        else:
            response = client.post(path, data=query.encode(), content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, f"{method} {path} answered {response.status_code} to {query[:300]!r}"

    check()


@pytest.mark.django_db
def test_invalid_input_shows_the_same_messages_on_the_fragment_as_the_api(client, loaded) -> None:
    """Whatever the API refuses with messages, the fragment shows those messages (the no-error path)."""
    api, fragment = TARGETS[2], TARGETS[1]

    @HYPOTHESIS
    @given(query=encoded)
    def check(query: str) -> None:
        if not QueryDict(query) or _field_count(query) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
            return  # a blank query is a blank page (and a 400 from the API)
        if "remove_row" in QueryDict(query):
            return  # the page's 删除 button: the page drops that SI row first (renumbering the rest); the API has none
        refused = get(client, api, query)
        if refused.status_code != 400:
            return
        shown = get(client, fragment, query).content.decode()
        # Jinja2 (the live fragments) and Django escape quotes alike in effect, with other entities.
        shown = shown.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        if len(query) > MAX_QUERY_LENGTH:
            assert "查询参数过长" in shown
            return
        for messages in refused.json()["errors"].values():
            for message in messages:
                assert escape(message) in shown, message

    check()


# ---------------------------------------------------------------------------------------------
# Bounds, as a table: each value just outside its range is refused with a message on its field.


def _typical(**changes: str) -> str:
    items = dict(TYPICAL) | changes
    return urlencode(items)


BOUNDS = [
    ("age", "15", "age"),
    ("age", "100", "age"),
    ("age", "9" * 5000, "age"),
    ("age", "35.5", "age"),
    ("education", "phd_from_mars", "education"),
    ("certificate", "0", "certificate"),
    ("certificate", str(2**31), "certificate"),
    ("certificate", "999999", "certificate"),
    ("certificate", "²", "certificate"),
    ("invest_tax", "10000000001", "invest_tax"),
    ("invest_tax", "-1", "invest_tax"),
    ("invest_hires", "1000001", "invest_hires"),
    ("public_service_years", "61", "public_service_years"),
    ("remote_years", "61", "remote_years"),
    ("lingang_years", "61", "lingang_years"),
    ("spouse_years", "81", "spouse_years"),
    ("false_material", "51", "false_material"),
    ("detention", "51", "detention"),
    ("crime", "51", "crime"),
    ("award", "nobel", "award"),
    ("talent", "genius", "talent"),
    ("as_of", "1999-12-31", "as_of"),
    ("as_of", "2101-01-01", "as_of"),
    ("as_of", "2017-12-31", "as_of"),
    ("as_of", "2026-02-30", "as_of"),
    ("si_from", "1979-12", "si"),
    ("si_from", "2101-01", "si"),
    ("si_from", "2021-13", "si"),
    ("si_to", "2020-01", "si"),
    ("si_base", "10000001", "si"),
    ("si_base", "0", "si"),
    ("si_base", "-15000", "si"),
    ("si_base", "²", "si"),
    ("si_base", "9" * 5000, "si"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "error_key"), BOUNDS)
def test_values_out_of_bounds_are_refused_with_a_message(client, loaded, field, value, error_key) -> None:
    response = client.get("/api/score", QUERY_STRING=_typical(**{field: value}))
    assert response.status_code == 400
    assert response.json()["errors"][error_key]
    page = client.get("/", QUERY_STRING=_typical(**{field: value}), headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "还不能计算" in page.content.decode()


@pytest.mark.django_db
def test_the_typical_profile_is_within_bounds(client, loaded) -> None:
    response = client.get("/api/score", QUERY_STRING=_typical())
    assert response.status_code == 200
    assert response.json()["total"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [MAX_PERIODS + 1, 60])
def test_more_than_40_si_periods_are_refused(client, loaded, rows: int) -> None:
    periods = [("si_from", f"{1990 + i // 12}-{i % 12 + 1:02d}") for i in range(rows)]
    query = urlencode([("age", "35"), *periods])
    assert len(query) < MAX_QUERY_LENGTH
    response = client.get("/api/score", QUERY_STRING=query)
    assert response.status_code == 400
    assert f"最多填写 {MAX_PERIODS} 段" in " ".join(response.json()["errors"]["si"])
    page = client.get("/", QUERY_STRING=query)
    assert page.status_code == 200
    assert f"最多填写 {MAX_PERIODS} 段" in page.content.decode()


@pytest.mark.django_db
def test_forty_si_periods_are_accepted(client, loaded) -> None:
    periods = [
        pair
        for i in range(MAX_PERIODS)
        for pair in (("si_from", f"{1990 + i}-01"), ("si_to", f"{1990 + i}-12"), ("si_base", "9000"))
    ]
    response = client.get("/api/score", QUERY_STRING=urlencode([("age", "35"), *periods]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS[:3], ids=str)
def test_query_strings_over_8000_characters_are_refused_with_a_message(client, loaded, target) -> None:
    query = _typical(cert_q="经" * 1000)
    assert len(query) > MAX_QUERY_LENGTH
    response = get(client, target, query)
    text = response.content.decode() if target.kind == "page" else " ".join(response.json()["errors"]["query"])
    assert response.status_code == (200 if target.kind == "page" else 400)
    assert "查询参数过长" in text


@pytest.mark.django_db
def test_too_many_fields_is_a_400_not_a_500(client, loaded) -> None:
    query = "&".join(["a=1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert len(query) < MAX_QUERY_LENGTH
    for target in TARGETS:
        assert get(client, target, query).status_code in (200, 400), target


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/certificates", "/catalogue/", "/catalogue/suggest"])
def test_search_words_longer_than_100_characters_are_refused_or_ignored(client, loaded, path) -> None:
    response = client.get(path, {"q": "经" * 101})
    if path.startswith("/api/"):
        assert response.status_code == 400
        assert response.json()["errors"]["q"]
    else:
        assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "9" * 5000])
def test_api_limit_out_of_range_is_a_400(client, loaded, limit) -> None:
    response = client.get("/api/certificates", {"q": "经济", "limit": limit})
    assert response.status_code == 400
    assert response.json()["errors"]["limit"]


# ---------------------------------------------------------------------------------------------
# Hostile data from staff, hostile search words


SCRIPT_NAME = "<script>alert(1)</script>"


@pytest.fixture
def script_certificate(loaded):
    from catalogue.models import Certificate, Kind, Tier

    return Certificate.objects.create(
        kind=Kind.TITLE,
        series="<b>经济</b>",
        level="中级",
        tier=Tier.INTERMEDIATE,
        name=SCRIPT_NAME,
        note='<img src=x onerror="alert(2)">',
    )


def _assert_escaped(content: str, where: str) -> None:
    assert SCRIPT_NAME not in content, where
    assert "<b>经济</b>" not in content, where
    assert 'onerror="alert(2)"' not in content, where
    assert escape(SCRIPT_NAME) in content, where


@pytest.mark.django_db
def test_a_certificate_named_like_a_script_is_escaped_on_every_page(client, script_certificate) -> None:
    pk = script_certificate.pk
    pages = {
        "catalogue": client.get("/catalogue/", {"q": "script"}),
        "catalogue fragment": client.get("/catalogue/", {"q": "script"}, headers={"HX-Request": "true"}),
        "suggestions": client.get("/catalogue/suggest", {"q": "script"}),
        "simulator": client.get("/", {"age": "35", "certificate": pk, "cert_job_match": "on"}),
        "simulator search": client.get("/", {"age": "35", "q": "script", "cert_q": "script", "cert_search": "1"}),
        "fragment": client.get("/", {"age": "35", "certificate": pk}, headers={"HX-Request": "true"}),
        "certificate": client.get("/certificate", {"certificate": pk}),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        _assert_escaped(response.content.decode(), where)


@pytest.mark.django_db
def test_a_certificate_named_like_a_script_is_escaped_in_the_json_apis(client, script_certificate) -> None:
    """The JSON decodes to the name staff typed, but its text never holds the tag (like json_script)."""
    escaped = "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"
    responses = {
        "/api/certificates": client.get("/api/certificates", {"q": "script"}),
        "/api/score": client.get("/api/score", {"age": "35", "certificate": script_certificate.pk}),
    }
    for where, response in responses.items():
        assert response.status_code == 200, where
        assert response["Content-Type"] == "application/json", where
        assert response["X-Content-Type-Options"] == "nosniff", where
        text = response.content.decode()
        assert SCRIPT_NAME not in text and "<b>" not in text and "<img" not in text, where
        assert escaped in text, where
    assert [entry["name"] for entry in responses["/api/certificates"].json()] == [SCRIPT_NAME]
    assert SCRIPT_NAME in json.dumps(responses["/api/score"].json(), ensure_ascii=False)


SQL_WORDS = [
    "' OR '1'='1",
    "经济' OR 1=1 --",
    '"; DROP TABLE catalogue_certificate; --',
    "%",
    "_",
    "%经济%",
    "\\",
    "' UNION SELECT name, password FROM auth_user --",
    "1; SELECT pg_sleep(10)",
    "*",
]


@pytest.mark.django_db
@pytest.mark.parametrize("q", SQL_WORDS)
def test_sql_metacharacters_in_search_are_plain_text(client, loaded, q) -> None:
    from catalogue.models import Certificate

    before = Certificate.objects.count()
    everything = client.get("/api/certificates", {"q": "", "limit": 100}).json()
    response = client.get("/api/certificates", {"q": q, "limit": 100})
    assert response.status_code == 200
    found = response.json()
    # A wildcard or an injected OR would match (nearly) everything; a literal match of these finds nothing.
    assert len(found) < len(everything)
    assert all(q.strip().lower() in json.dumps(entry, ensure_ascii=False).lower() for entry in found)
    assert client.get("/catalogue/", {"q": q}).status_code == 200
    assert client.get("/catalogue/suggest", {"q": q}).status_code == 200
    assert client.get("/", {"age": "35", "q": q, "cert_q": q, "cert_search": "1"}).status_code == 200
    assert Certificate.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["\x00", "经济\x00", "a\x00b"])
def test_nul_bytes_in_search_words_never_reach_the_database(client, loaded, word) -> None:
    """PostgreSQL refuses NUL in text parameters with an error; every search path must stop it first."""
    search = {"age": "35", "q": word, "cert_q": word, "cert_search": "1"}
    assert client.get("/", search).status_code == 200
    assert client.get("/catalogue/", {"q": word}).status_code == 200
    assert client.get("/catalogue/suggest", {"q": word}).status_code == 200
    assert client.get("/api/certificates", {"q": word}).status_code in (200, 400)
    assert client.get("/certificate", {"certificate": "1", "q": word}).status_code == 200
