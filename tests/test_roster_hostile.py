"""Hostile uploads: whatever file arrives, the roster API answers 202 or a 4xx with Chinese messages,
and an accepted roster's pages and downloads answer 200. Never a 5xx."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from calculator.models import Roster
from calculator.roster.columns import COLUMNS

HYPOTHESIS = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
NASTY = [
    "", " ", "是", "否", "max", "封顶", "至今", "-1", "1e9", "9" * 400, "2021-13", "1979-12", "2021-07",
    "2019-07~2023-06:12000", "2023-07~:max；2020-01~2019-01:1", "~:", ";;;", "=1+1", "@SUM(A1)", "+cmd",
    '<script>alert("x")</script>', "\u202e\ufeff", "𝟑𝟓", "经济师", "大专（高职）", "bachelor_degree", "\t", "\r\n",
]  # fmt: skip
headers = st.lists(st.sampled_from([c.header for c in COLUMNS] + [c.name for c in COLUMNS] + ["姓名", ""]), max_size=8)
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), st.integers(-(10**12), 10**12), st.floats())
tables = st.tuples(headers, st.lists(st.lists(cells, max_size=9), max_size=6))


def as_csv(table: tuple, encoding: str) -> bytes:
    head, rows = table
    lines = [",".join(head)] + [",".join(str(v).replace(",", "，").replace("\n", " ") for v in row) for row in rows]
    return "\n".join(lines).encode(encoding, "replace")


def as_xlsx(table: tuple) -> bytes:
    head, rows = table
    book = Workbook()
    book.active.append(head)
    for row in rows:
        book.active.append([v if not isinstance(v, str) else "".join(c for c in v if c.isprintable()) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


uploads = st.one_of(
    st.binary(max_size=400),
    tables.map(lambda t: as_csv(t, "utf-8-sig")),
    tables.map(lambda t: as_csv(t, "gb18030")),
    tables.map(as_xlsx),
)


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JIFEN_ROSTER_RATE = 10_000


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_rows")
def test_hostile_uploads_never_5xx(client) -> None:
    @HYPOTHESIS
    @given(data=uploads, as_of=st.sampled_from(["", "2026-11-15", "1999-01-01", "2017-06-30", "x"]))
    def check(data: bytes, as_of: str) -> None:
        response = client.post("/api/roster", {"file": SimpleUploadedFile("f.csv", data), "as_of": as_of})
        assert response.status_code in (202, 400), response.content[:300]
        body = response.json()
        if response.status_code == 400:
            assert body["errors"] and all(body["errors"].values())
            return
        roster = Roster.objects.get(slug=body["id"])
        for url in ("", "?sort=-earliest&status=error", "result.xlsx", "result.csv"):
            assert client.get(roster.get_absolute_url() + url).status_code == 200
        assert client.get(f"/api/roster/{roster.slug}").json()["status"] == "done"

    check()
