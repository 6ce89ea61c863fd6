"""Catalogue import and export in the admin: cells that never run as formulas, files of bounded size,
cells read strictly with Chinese messages naming the row and column, a preview of bounded size."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, User

from catalogue.models import Certificate, Kind, Tier, Trade

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalogue/certificate/import/"
CONFIRM_URL = "/admin/catalogue/certificate/process_import/"
EXPORT_URL = "/admin/catalogue/certificate/export/"
CODES = ["kind", "series", "name", "level", "tier", "registration", "aliases", "status", "note", "source", "active"]
LABELS = ["类别", "系列", "名称", "等级", "计分档", "注册要求", "别名", "核实状态", "说明", "来源", "启用", "排序"]
HOSTILE = {
    "name": '=HYPERLINK("http://x","点我")',
    "note": "=1+1",
    "source": "+cmd|' /C calc'!A0",
    "aliases": "@SUM(1+1)",
}


@pytest.fixture
def maintainer(client) -> User:
    user = User.objects.create_user("wei", is_staff=True)
    user.groups.add(Group.objects.get(name="目录维护"))
    client.force_login(user)
    return user


def certificate_row(name: str = "经济师", **cells: str) -> dict[str, str]:
    row = {
        "kind": "title",
        "series": "经济",
        "name": name,
        "level": "中级",
        "tier": "intermediate",
        "registration": "n/a",
        "aliases": "",
        "status": "confirmed",
        "note": "",
        "source": "test",
        "active": "1",
    }
    return row | cells


def csv_file(rows: list[dict[str, str]], headers: list[str] | None = None, encoding: str = "utf-8") -> io.BytesIO:
    headers = headers or list(rows[0]) if rows else headers or CODES
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row.values())
    upload = io.BytesIO(out.getvalue().encode(encoding))
    upload.name = "目录.csv"
    return upload


def preview(client, upload: io.BytesIO, format_index: str = "0"):
    response = client.post(IMPORT_URL, {"format": format_index, "import_file": upload})
    assert response.status_code == 200
    return response, response.content.decode()


def confirm(client, html: str):
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html))
    assert "import_file_name" in fields, "no confirm form: " + re.sub(r"\s+", " ", html)[-1500:]
    return client.post(CONFIRM_URL, fields)


def import_rows(client, rows: list[dict[str, str]], **kwargs):
    _, html = preview(client, csv_file(rows, **kwargs))
    return confirm(client, html)


def make_certificate(**fields) -> Certificate:
    defaults = {"kind": Kind.TITLE, "series": "经济", "name": "经济师", "level": "中级", "tier": Tier.INTERMEDIATE}
    return Certificate.objects.create(**{**defaults, **fields})


def export(client, format_index: str) -> bytes:
    fields = {f"certificateresource_{name}": "on" for name in [*CODES, "position"]}
    response = client.post(EXPORT_URL, {"format": format_index, "resource": "0", **fields})
    assert response.status_code == 200, response.content.decode()[-800:]
    return response.content


# --- 1. Formula injection ------------------------------------------------------------------------


def test_hostile_text_is_imported_as_text(client, maintainer) -> None:
    response = import_rows(client, [certificate_row(**HOSTILE)])
    assert response.status_code == 302
    entry = Certificate.objects.get()
    assert (entry.name, entry.note, entry.source, entry.aliases) == (
        HOSTILE["name"],
        HOSTILE["note"],
        HOSTILE["source"],
        HOSTILE["aliases"],
    )


def test_csv_export_never_starts_a_cell_with_a_formula_and_opens_in_chinese_excel(client, maintainer) -> None:
    make_certificate(**HOSTILE)
    data = export(client, "0")
    assert data.startswith(b"\xef\xbb\xbf"), "Excel on a Chinese Windows needs the BOM to read UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == LABELS
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + HOSTILE["name"] in cells and "'" + HOSTILE["source"] in cells


def test_xlsx_export_has_no_formula_cells(client, maintainer) -> None:
    make_certificate(**HOSTILE)
    book = openpyxl.load_workbook(io.BytesIO(export(client, "1")))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert [cell.value for cell in cells[: len(LABELS)]] == LABELS
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert "'" + HOSTILE["note"] in [cell.value for cell in cells]


@pytest.mark.parametrize("format_index", ["0", "1"])
def test_an_export_imported_again_changes_nothing(client, maintainer, format_index: str) -> None:
    make_certificate(**HOSTILE)
    upload = io.BytesIO(export(client, format_index))
    upload.name = "导出.csv" if format_index == "0" else "导出.xlsx"
    _, html = preview(client, upload, format_index)
    assert "不变 1 行" in html
    confirm(client, html)
    assert Certificate.objects.get().note == HOSTILE["note"]


# --- 2. Bounded imports ----------------------------------------------------------------------------


def test_a_file_above_the_byte_limit_is_refused_before_it_is_read(client, maintainer, settings) -> None:
    settings.JIFEN_IMPORT_MAX_BYTES = 1000
    rows = [certificate_row(f"经济师{i}") for i in range(40)]
    response, html = preview(client, csv_file(rows))
    assert "文件太大" in html and "一次最多导入 1 KB" in html
    assert "import_file_name" not in html
    assert not Certificate.objects.exists()


def test_a_file_above_the_row_limit_is_refused(client, maintainer, settings) -> None:
    settings.JIFEN_IMPORT_MAX_ROWS = 10
    response, html = preview(client, csv_file([certificate_row(f"经济师{i}") for i in range(11)]))
    assert "文件超过 10 行数据" in html
    assert "import_file_name" not in html


def test_the_preview_of_a_long_file_is_a_summary_and_the_first_rows(client, maintainer) -> None:
    rows = [certificate_row(f"经济师{i:04d}") for i in range(300)]
    response, html = preview(client, csv_file(rows))
    assert "共 300 行，新增 300 行" in html
    assert "前 50 行（共 300 行）" in html
    assert "经济师0049" in html and "经济师0050" not in html
    assert 'name="import_file_name"' in html
    assert not Certificate.objects.exists()  # the preview writes nothing


def test_the_preview_lists_the_first_errors_and_counts_them_all(client, maintainer) -> None:
    rows = [certificate_row(f"经济师{i:04d}", tier="gold") for i in range(120)]
    _, html = preview(client, csv_file(rows))
    assert "有误 120 处" in html and "前 50 处，共 120 处" in html
    assert html.count("“gold”不是可选的值") == 50
    assert "import_file_name" not in html


@pytest.mark.django_db(transaction=True)
def test_confirming_writes_each_row_in_its_own_short_transaction(client, monkeypatch) -> None:
    """The import never holds one write transaction for the whole file: between two rows the connection
    is out of any transaction, so other requests (a share on SQLite) can write meanwhile."""
    from django.db import connection
    from import_export.results import Result

    client.force_login(User.objects.create_superuser("root"))  # groups from migrations are flushed here
    between_rows: list[bool] = []
    original = Result.increment_row_result_total

    def increment(self, row_result) -> None:
        between_rows.append(connection.in_atomic_block)
        original(self, row_result)

    _, html = preview(client, csv_file([certificate_row(f"经济师{i}") for i in range(5)]))
    monkeypatch.setattr(Result, "increment_row_result_total", increment)
    assert confirm(client, html).status_code == 302
    assert Certificate.objects.count() == 5
    assert between_rows == [False] * 10  # the check, then the writes: never inside a transaction


# --- 4. Cells read strictly, messages in Chinese ----------------------------------------------------


@pytest.mark.parametrize(("typed", "active"), [("是", True), ("否", False), ("yes", True), ("NO", False), ("0", False)])
def test_active_takes_yes_and_no_in_chinese_and_english(client, maintainer, typed: str, active: bool) -> None:
    import_rows(client, [certificate_row(active=typed)])
    assert Certificate.objects.get().active is active


def test_active_that_is_neither_is_refused_with_row_and_column(client, maintainer) -> None:
    _, html = preview(client, csv_file([certificate_row(), certificate_row("高级经济师", active="也许")]))
    assert re.search(r"第 3 行</td><td>启用</td><td>“也许”无法识别：请填写 是 或 否", html)
    assert "import_file_name" not in html


def test_the_same_entry_twice_in_one_file_is_refused(client, maintainer) -> None:
    _, html = preview(client, csv_file([certificate_row(note="一"), certificate_row(note="二")]))
    assert "与第 2 行是同一条目" in html and "第 3 行" in html
    assert "import_file_name" not in html


def test_blank_or_zero_position_keeps_the_entry_where_it_is(client, maintainer) -> None:
    first = make_certificate(name="经济师", position=5)
    make_certificate(name="高级经济师", position=9)
    headers = [*CODES, "position"]
    rows = [certificate_row(note="一") | {"position": ""}]
    import_rows(client, rows, headers=headers)
    first.refresh_from_db()
    assert (first.note, first.position) == ("一", 5)
    import_rows(client, [certificate_row(note="二") | {"position": "0"}], headers=headers)
    first.refresh_from_db()
    assert (first.note, first.position) == ("二", 5)


def test_a_bad_position_is_refused(client, maintainer) -> None:
    _, html = preview(client, csv_file([certificate_row() | {"position": "-3"}], headers=[*CODES, "position"]))
    assert "“-3”不是正整数" in html


def test_spaces_around_text_are_trimmed_and_find_the_existing_entry(client, maintainer) -> None:
    make_certificate()
    response = import_rows(client, [certificate_row(" 经济师 ", series=" 经济", note=" 新说明 ")])
    assert response.status_code == 302
    assert Certificate.objects.get().note == "新说明"


def test_a_file_without_the_name_column_says_so_without_a_traceback(client, maintainer) -> None:
    rows = [{key: value for key, value in certificate_row().items() if key != "name"}]
    _, html = preview(client, csv_file(rows))
    assert "缺少必需的列：名称" in html
    assert "Traceback" not in html and "FieldError" not in html and "traceback" not in html


def test_an_unknown_column_is_refused(client, maintainer) -> None:
    rows = [certificate_row() | {"名字": "x"}]
    _, html = preview(client, csv_file(rows))
    assert "不认识的列：名字" in html


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_chinese_encodings_and_chinese_headers(client, maintainer, encoding: str) -> None:
    rows = [dict(zip(LABELS[:-1], certificate_row("高级经济师", note="以考代评").values(), strict=True))]
    response = import_rows(client, rows, encoding=encoding)
    assert response.status_code == 302
    assert Certificate.objects.get().note == "以考代评"


def test_choices_accept_their_chinese_label(client, maintainer) -> None:
    import_rows(client, [certificate_row(kind="专业技术职称", tier=Tier.INTERMEDIATE.label)])
    entry = Certificate.objects.get()
    assert (entry.kind, entry.tier) == ("title", "intermediate")


def test_an_unreadable_file_an_oversized_cell_and_a_header_only_file_get_chinese_messages(client, maintainer) -> None:
    unreadable = io.BytesIO(b"\xff\xfe\x00\xd8\x00,\x81")
    unreadable.name = "x.csv"
    assert "无法识别文件的编码" in preview(client, unreadable)[1]
    huge = csv_file([certificate_row(note="长" * 200_000)])
    assert "超过 5000 个字符" in preview(client, huge)[1]
    header_only = csv_file([], headers=CODES)
    assert "文件只有表头，没有数据行" in preview(client, header_only)[1]


def test_a_trade_import_reads_the_same_way(client, maintainer) -> None:
    upload = csv_file([{"名称": " 焊工 ", "所属目录": "目录", "启用": "是"}])
    upload.name = "工种.csv"
    response = client.post("/admin/catalogue/trade/import/", {"format": "0", "import_file": upload})
    html = response.content.decode()
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html))
    assert client.post("/admin/catalogue/trade/process_import/", fields).status_code == 302
    assert Trade.objects.get().name == "焊工"


def test_export_checkboxes_are_labelled_in_chinese(client, maintainer) -> None:
    html = client.get(EXPORT_URL).content.decode()
    assert ">名称</label>" in html and "Name (" not in html
