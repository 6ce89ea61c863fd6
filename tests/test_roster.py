"""Roster mode through its pages and API: upload, results equal to /api/score, errors per row and column,
downloads, limits, rate limit, expiry, 删除, privacy headers. Tasks run immediately here; the worker's own
code path is tested in test_roster_worker.py."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from calculator.models import PolicyEdition, Roster, RosterRow
from tests.factories import roster_file, roster_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]

AS_OF = "2026-11-15"
GOOD = [
    {"ref": "A001", "birth": "1990-05", "education": "大学本科 + 学士学位",
     "si": "2019-07~2023-06:12000; 2023-07~至今:15000"},
    {"ref": "A002", "age": "38", "education": "大专（高职）", "certificate": "经济师", "cert_job_match": "是",
     "cert_in_shanghai": "是", "si": "2016-03~至今:max"},
    {"ref": "A003", "age": "30", "education": "junior_college", "si": "2023-01~至今:9000"},
]  # fmt: skip
BAD = [
    {"ref": "B001", "age": "15", "education": "大专（高职）", "si": "2023-01~至今:9000"},
    {"ref": "B002", "age": "30", "education": "研究生", "si": "2023-13~至今:9000", "fresh_graduate": "也许"},
]


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def table_rows(html: str) -> list[str]:
    return html.split('id="roster-table"')[1].split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]


def upload(client, data: bytes, name: str = "roster.xlsx", api: bool = True, **meta):
    url = "/api/roster" if api else "/roster/"
    return client.post(url, {"file": SimpleUploadedFile(name, data), "as_of": AS_OF}, **meta)


def uploaded(client, rows: list[dict], kind: str = "xlsx") -> Roster:
    response = upload(client, roster_file(rows, kind))
    assert response.status_code == 202, response.content.decode()
    return Roster.objects.get(slug=response.json()["id"])


@pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-utf8", "gb18030"])
def test_every_total_equals_the_score_api_for_the_rows_inputs(client, kind: str) -> None:
    roster = uploaded(client, GOOD + BAD, kind)
    body = client.get(f"/api/roster/{roster.slug}").json()
    assert body["status"] == "done" and body["done"] == body["total"] == 5
    scored = [row for row in body["rows"] if not row["errors"]]
    assert [row["ref"] for row in scored] == ["A001", "A002", "A003"]
    for row in scored:
        query = row["url"].split("?", 1)[1]
        assert QueryDict(query)["as_of"] == AS_OF
        api = client.get("/api/score?" + query).json()
        assert (row["total"], row["passed"], row["eligible"]) == (api["total"], api["passed"], api["eligible"])
        assert row["margin"] == api["margin"]
        assert row["earliest"] is None or len(row["earliest"]) == 7


def test_bad_rows_say_row_column_and_the_vocabularys_message(client) -> None:
    roster = uploaded(client, GOOD + BAD)
    rows = {row["ref"]: row for row in client.get(f"/api/roster/{roster.slug}").json()["rows"]}
    assert rows["B001"]["row"] == 5 and "total" not in rows["B001"]
    assert list(rows["B001"]["errors"]) == ["年龄（周岁）"]
    assert rows["B001"]["errors"]["年龄（周岁）"][0].startswith("年龄须满 16 周岁：请填写")
    b002 = rows["B002"]["errors"]
    assert b002["最高学历"] == [
        "“研究生”无法识别：请填写其中之一：“大专以下”、“大专（高职）”、“大学本科（无学士学位）”、"
        "“大学本科 + 学士学位”、“硕士研究生”、“博士研究生”（也可填代码）。"
    ]
    assert any("起始月“2023-13”无效" in message for message in b002["社保缴费期间"])
    assert "“也许”无法识别" in b002["全日制应届高校毕业生"][0]
    html = client.get(roster.get_absolute_url()).content.decode()
    assert "有错误的行（2 行）" in html and "“研究生”无法识别" in html and "<td>最高学历</td>" in html


def test_the_result_page_summary_chart_table_and_downloads(client) -> None:
    roster = uploaded(client, GOOD + BAD)
    response = client.get(roster.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "名单测算结果" in html and "<svg" in html and "图表的数据（按季度）" in html
    assert 'href="/?' in html and "打开" in html
    assert 'name="robots" content="noindex, nofollow"' in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    book = load_workbook(io.BytesIO(client.get(f"/roster/{roster.slug}/result.xlsx").content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号/备注", "出生年月", "年龄（周岁）") and "总分" in rows[0] and "模拟器链接" in rows[0]
    total_at = rows[0].index("总分")
    totals = {row[0]: row[total_at] for row in rows[1:]}
    api = {r["ref"]: r.get("total") for r in client.get(f"/api/roster/{roster.slug}").json()["rows"]}
    assert totals == api
    csv_body = client.get(f"/roster/{roster.slug}/result.csv")
    assert csv_body.content.startswith(b"\xef\xbb\xbf") and "A002" in csv_body.content.decode("utf-8-sig")


def test_the_summary_says_the_horizons_the_rows_were_sorted_by(client, monkeypatch) -> None:
    roster = uploaded(client, GOOD + BAD)
    monkeypatch.setattr("calculator.views.roster.SOON_MONTHS", 9)
    monkeypatch.setattr("calculator.views.roster.HORIZON_YEARS", 7)
    html = client.get(roster.get_absolute_url()).content.decode()
    assert "9 个月内达到" in html and "1 到 7 年内达到" in html and "7 年内达不到（含不符合申请条件）" in html
    assert "今后 7 年按季度统计" in html
    summary = html.split('<ul class="roster-summary">', 1)[1].split("</ul>", 1)[0]
    assert "10 年" not in summary and "12 个月" not in summary


def test_a_formula_typed_in_a_cell_is_neutralised_in_both_downloads(client) -> None:
    roster = uploaded(client, [{**GOOD[0], "ref": '=HYPERLINK("http://evil","x")'}], "csv")
    book = load_workbook(io.BytesIO(client.get(f"/roster/{roster.slug}/result.xlsx").content))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil","x")'
    text = client.get(f"/roster/{roster.slug}/result.csv").content.decode("utf-8-sig")
    assert "\n\"'=HYPERLINK(" in text


def test_sort_filter_and_pages_work_without_javascript(client, settings) -> None:
    roster = uploaded(client, roster_rows(120, timezone.localdate(), seed=5))
    by_total = client.get(roster.get_absolute_url() + "?sort=-total").content.decode()
    totals = list(RosterRow.objects.filter(roster=roster, total__isnull=False).values_list("total", flat=True))
    assert f'<td class="num total-cell">{max(totals)}</td>' in table_rows(by_total)[0]
    assert 'aria-sort="descending"' in by_total and "第 1 / 3 页" in by_total
    second = client.get(roster.get_absolute_url() + "?sort=row&page=2").content.decode()
    assert '<td class="num">52</td>' in table_rows(second)[0]
    passed = client.get(roster.get_absolute_url() + "?status=now").content.decode()
    assert "status-later" not in passed and "status-now" in passed
    assert client.get(roster.get_absolute_url() + "?sort=nonsense&page=zz&status=<b>").status_code == 200


def test_the_page_flow_without_javascript(client) -> None:
    response = upload(client, roster_file(GOOD), api=False)
    roster = Roster.objects.get()
    assert response.status_code == 302 and response["Location"] == roster.get_absolute_url()
    assert len(roster.slug) >= 20
    assert "名单测算结果" in client.get(response["Location"]).content.decode()


def test_progress_while_queued_then_htmx_is_told_to_reload(client, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    roster = uploaded(client, GOOD)
    page = client.get(roster.get_absolute_url()).content.decode()
    assert "正在测算名单" in page and '<noscript><meta http-equiv="refresh"' in page
    assert 'data-hx-trigger="every 1s"' in page and "已完成 <strong>0</strong> / 3 行" in page
    fragment = client.get(f"/roster/{roster.slug}/progress", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in fragment and "<progress" in fragment.content.decode()
    from calculator import roster as roster_mode

    for chunk in roster.chunks.all():
        roster_mode.score_chunk(chunk.pk)
    assert client.get(f"/roster/{roster.slug}/progress")["HX-Refresh"] == "true"
    assert "名单测算结果" in client.get(roster.get_absolute_url()).content.decode()


def test_the_template_downloads_with_notes_and_drop_downs_and_scores_as_is(client) -> None:
    response = client.get("/roster/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["名单", "说明"]
    headers = [cell.value for cell in book["名单"][1]]
    assert headers[:4] == ["工号/备注", "出生年月", "年龄（周岁）", "最高学历"]
    assert book["名单"].data_validations.dataValidation
    notes = "\n".join(str(cell.value) for row in book["说明"].iter_rows() for cell in row if cell.value)
    assert "不需要、也请不要填写姓名" in notes and "cert_job_match" in notes
    roster = Roster.objects.get(slug=upload(client, response.content, "template.xlsx").json()["id"])
    assert roster.total == 2 and not RosterRow.objects.filter(roster=roster, status="error").exists()


def test_the_threshold_shown_is_the_policys(client) -> None:
    PolicyEdition.objects.update(threshold=130)
    roster = uploaded(client, GOOD)
    html = client.get(roster.get_absolute_url()).content.decode()
    assert "标准分值 130 分" in html and "现在已达到 130 分" in html
    assert "已达到 130 分" in client.get("/roster/").content.decode()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (roster_file([{"ref": "A", "education": "大专（高职）"}]), 400, "缺少“年龄（周岁）”或“出生年月”列"),
        (b"name,phone\nZhang,123\n", 400, "没有可识别的列名"),
        (roster_file([{"age": "30"}, {"age": "31"}, {"age": "32"}, {"age": "33"}]), 400, "名单最多 3 行"),
        ("年龄,age\n30,30\n".encode(), 400, "是同一列"),
        (b"", 400, "这个文件是空的"),
    ],
)
def test_refused_uploads_say_why(client, settings, data: bytes, status: int, message: str) -> None:
    settings.JIFEN_ROSTER_MAX_ROWS = 3
    response = upload(client, data, "roster.csv")
    assert response.status_code == status
    assert message in response.json()["errors"]["file"][0]
    page = upload(client, data, "roster.csv", api=False)
    assert page.status_code == status and message in page.content.decode()
    assert not Roster.objects.exists()


def test_a_file_over_the_size_limit(client, settings) -> None:
    settings.JIFEN_ROSTER_MAX_BYTES = 1024 * 1024
    response = upload(client, b"age\n" + b"30\n" * 400_000, "big.csv")
    assert response.status_code == 400 and "文件太大：最多 1 MB" in response.json()["errors"]["file"][0]


def test_unknown_columns_are_not_read_and_the_page_says_so(client) -> None:
    data = "工号/备注,姓名,年龄\nA1,张三,30\n".encode()
    roster = Roster.objects.get(slug=upload(client, data, "r.csv").json()["id"])
    assert "姓名" in roster.notices[0] and "张三" not in str(RosterRow.objects.get().cells)
    assert "第 2 列“姓名”不是名单的列，未读取" in client.get(roster.get_absolute_url()).content.decode()


def test_rosters_are_rate_limited_per_client(client, settings) -> None:
    settings.JIFEN_ROSTER_RATE = 2
    data = roster_file(GOOD[:1])
    assert [upload(client, data).status_code for _ in range(2)] == [202, 202]
    refused = upload(client, data)
    assert refused.status_code == 429 and "每小时最多测算 2 份名单" in refused.json()["errors"]["file"][0]
    other = upload(client, data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 202


def test_delete_removes_the_rows_at_once_and_the_limit_still_counts_it(client, settings) -> None:
    settings.JIFEN_ROSTER_RATE = 1
    roster = uploaded(client, GOOD)
    response = client.post(f"/roster/{roster.slug}/delete")
    assert response.status_code == 302
    assert not RosterRow.objects.exists() and not roster.chunks.exists()
    gone = client.get(roster.get_absolute_url())
    assert gone.status_code == 410 and "已按你的要求删除" in gone.content.decode()
    assert client.get(f"/roster/{roster.slug}/result.csv").status_code == 410
    assert client.get(f"/api/roster/{roster.slug}").status_code == 410
    assert upload(client, roster_file(GOOD)).status_code == 429


def test_expired_rosters_are_gone_and_purged(client) -> None:
    roster = uploaded(client, GOOD)
    Roster.objects.filter(pk=roster.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(roster.get_absolute_url()).status_code == 410
    keep = uploaded(client, GOOD)
    out = io.StringIO()
    call_command("purge_rosters", stdout=out)
    assert "deleted 1 expired roster(s)" in out.getvalue()
    assert list(Roster.objects.all()) == [keep] and RosterRow.objects.filter(roster=keep).count() == 3
    assert client.get(roster.get_absolute_url()).status_code == 404


def test_an_unknown_roster_is_404(client) -> None:
    assert client.get("/roster/not-a-roster/").status_code == 404
    assert client.get("/api/roster/not-a-roster").status_code == 404


def test_the_upload_page_works_without_javascript_and_says_what_is_not_needed(client) -> None:
    html = client.get("/roster/").content.decode()
    assert 'enctype="multipart/form-data"' in html and '<label for="id_file">' in html
    assert "不需要、也请不要填写姓名、身份证号或手机号" in html
    assert 'href="/roster/template.xlsx"' in html and "单位批量测算" in html
    assert 'aria-current="page">单位批量测算' in html


def test_a_chunk_whose_worker_was_lost_is_queued_again_and_the_roster_completes(client, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    from calculator import roster as roster_mode
    from calculator.models import RosterChunk, RosterStatus

    roster = uploaded(client, GOOD)
    chunk = roster.chunks.get()
    queued = len(default_task_backend.results)
    # A worker took the chunk and died with it: RUNNING, never finished.
    long_ago = timezone.now() - timedelta(seconds=settings.JIFEN_ROSTER_STALL_SECONDS + 1)
    RosterChunk.objects.filter(pk=chunk.pk).update(status=RosterStatus.RUNNING, started_at=long_ago, done=2)
    fragment = client.get(f"/roster/{roster.slug}/progress", headers={"HX-Request": "true"})
    chunk.refresh_from_db()
    assert chunk.status == RosterStatus.QUEUED and chunk.done == 0 and chunk.started_at is None
    assert len(default_task_backend.results) == queued + 1  # enqueued once more
    assert "HX-Refresh" not in fragment
    # Polling again does not queue it twice; a chunk running for less than the limit is left alone.
    client.get(f"/api/roster/{roster.slug}")
    assert len(default_task_backend.results) == queued + 1
    RosterChunk.objects.filter(pk=chunk.pk).update(status=RosterStatus.RUNNING, started_at=timezone.now())
    client.get(roster.get_absolute_url())
    assert RosterChunk.objects.get(pk=chunk.pk).status == RosterStatus.RUNNING
    RosterChunk.objects.filter(pk=chunk.pk).update(status=RosterStatus.QUEUED, started_at=None)
    assert roster_mode.score_chunk(chunk.pk) == 3
    assert client.get(f"/api/roster/{roster.slug}").json()["status"] == "done"


class WorkerKilled(BaseException):
    """A worker taken down by its chunk (out of memory, a segfault), seen from inside: nothing catches it,
    so the chunk stays RUNNING."""


def test_a_chunk_that_keeps_killing_its_worker_is_failed_and_its_rows_are_listed(
    client, settings, monkeypatch, caplog
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.JIFEN_ROSTER_MAX_ATTEMPTS = 3
    from django_tasks import default_task_backend

    from calculator import roster as roster_mode
    from calculator.models import RosterChunk, RosterStatus

    roster = uploaded(client, GOOD)
    chunk = roster.chunks.get()
    queued = len(default_task_backend.results)

    def kills_its_worker(chunk: RosterChunk) -> list:
        raise WorkerKilled

    monkeypatch.setattr("calculator.roster.chunks._score_rows", kills_its_worker)
    long_ago = timezone.now() - timedelta(seconds=settings.JIFEN_ROSTER_STALL_SECONDS + 1)
    for attempt in (1, 2, 3):
        with pytest.raises(WorkerKilled):
            roster_mode.score_chunk(chunk.pk)
        chunk.refresh_from_db()
        assert chunk.status == RosterStatus.RUNNING and chunk.attempts == attempt  # counted when claimed
        RosterChunk.objects.filter(pk=chunk.pk).update(started_at=long_ago)
        fragment = client.get(f"/roster/{roster.slug}/progress", headers={"HX-Request": "true"})
        chunk.refresh_from_db()
        if attempt < 3:  # below the limit: queued again
            assert chunk.status == RosterStatus.QUEUED and "HX-Refresh" not in fragment
            assert len(default_task_backend.results) == queued + attempt
    # At the limit: failed, not queued a third time, and the roster is finished.
    assert chunk.status == RosterStatus.FAILED and chunk.finished_at is not None and chunk.attempts == 3
    assert len(default_task_backend.results) == queued + 2
    assert fragment["HX-Refresh"] == "true"
    assert "after 3 attempts; failed" in caplog.text
    html = client.get(roster.get_absolute_url()).content.decode()
    assert "名单测算结果" in html and "第 2–4 行（共 3 行）没能计算" in html and "重新上传" in html
    assert '<span class="count">3</span> 行没能计算' in html
    body = client.get(f"/api/roster/{roster.slug}").json()
    assert body["status"] == "failed" and body["rows"] == [] and body["unscored"] == [2, 3, 4]
    download = client.get(f"/roster/{roster.slug}/result.csv").content.decode("utf-8-sig")
    assert [line for line in download.splitlines() if "A00" in line and "未计算" in line and "没能计算" in line]
    assert download.count("未计算") == 3


def test_a_stalled_chunk_below_the_attempts_limit_is_queued_again_and_then_completes(client, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.JIFEN_ROSTER_MAX_ATTEMPTS = 3
    from calculator import roster as roster_mode
    from calculator.models import RosterChunk, RosterStatus

    roster = uploaded(client, GOOD)
    chunk = roster.chunks.get()
    long_ago = timezone.now() - timedelta(seconds=settings.JIFEN_ROSTER_STALL_SECONDS + 1)
    RosterChunk.objects.filter(pk=chunk.pk).update(status=RosterStatus.RUNNING, started_at=long_ago, attempts=2)
    client.get(f"/roster/{roster.slug}/progress")
    chunk.refresh_from_db()
    assert chunk.status == RosterStatus.QUEUED and chunk.attempts == 2
    assert roster_mode.score_chunk(chunk.pk) == 3
    chunk.refresh_from_db()
    assert chunk.status == RosterStatus.DONE and chunk.attempts == 3
    html = client.get(roster.get_absolute_url()).content.decode()
    assert "没能计算" not in html and "部分行没能算完" not in html
    assert client.get(f"/api/roster/{roster.slug}").json()["unscored"] == []


def test_the_api_reads_a_roster_a_page_at_a_time(client, monkeypatch) -> None:
    """A large roster comes back in pages: following `next` from the first page gives every row once, in
    file order, exactly as the rows the roster holds; a bad `after` is a 400 naming the parameter."""
    roster = uploaded(client, GOOD + BAD)
    monkeypatch.setattr("calculator.roster.results.API_ROWS", 2)
    url, pages, lines = f"/api/roster/{roster.slug}", 0, []
    while url:
        body = client.get(url).json()
        assert len(body["rows"]) <= 2 and body["summary"]["rows"] == 5
        lines += [row["row"] for row in body["rows"]]
        url, pages = body["next"] and body["next"].removeprefix("http://testserver"), pages + 1
    assert pages == 3
    assert lines == sorted(RosterRow.objects.filter(roster=roster).values_list("line", flat=True))
    for bad in ("-1", "two", "１", "9" * 12):
        response = client.get(f"/api/roster/{roster.slug}?after={bad}")
        assert response.status_code == 400 and "after" in response.json()["errors"], bad
