"""Roster files: XLSX and CSV read safely and bounded; the template and the results written formula-safe."""

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from calculator.roster.sheets import Unreadable, check_zip, read
from jifen_site import spreadsheets


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_excel_saves(encoding: str) -> None:
    table = read("工号/备注,最高学历\nA1,大专（高职）\n\nA2,硕士研究生\n".encode(encoding), 100)
    assert table.headers == ("工号/备注", "最高学历")
    assert table.rows == ((2, ("A1", "大专（高职）")), (4, ("A2", "硕士研究生")))


def test_csv_with_tabs_and_a_quoted_line_break() -> None:
    table = read(b'ref\tsi\nA1\t"2019-07~2020-06:9000\n2020-07~:max"\n', 100)
    assert table.rows[0][1][1] == "2019-07~2020-06:9000\n2020-07~:max"


def test_xlsx_rows_keep_their_line_numbers() -> None:
    table = read(xlsx([["ref", "age"], ["A1", 30], [None, None], ["A2", 41]]), 100)
    assert table.headers == ("ref", "age")
    assert [line for line, _ in table.rows] == [2, 4]


def test_a_formula_is_read_as_its_stored_value_never_as_text() -> None:
    data = xlsx([["ref", "age"], ["A1", "=30+5"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>30+5</f><v />", b"<f>30+5</f><v>35</v>")
    assert b"<v>35</v>" in parts[sheet]  # the value Excel stored when it last calculated
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, body in parts.items():
            target.writestr(name, body)
    assert read(out.getvalue(), 100).rows[0][1] == ("A1", 35)


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(Unreadable, match="压缩炸弹"):
        check_zip(out.getvalue())
    with pytest.raises(Unreadable, match="压缩炸弹"):
        read(out.getvalue(), 100)


def test_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(Unreadable, match="不是 Excel 工作簿"):
        read(out.getvalue(), 100)


def test_a_sparse_sheet_with_a_far_cell_is_refused_without_walking_it() -> None:
    book = Workbook()
    book.active["A1"] = "age"
    book.active["A2"] = 30
    book.active["XFD1048576"] = 1
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Unreadable, match="最多 10 行"):
        read(out.getvalue(), 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "表头"),
        (b"ref,age\n", "只有表头"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        (b"PK\x03\x04garbage", "不是有效的 XLSX"),
        (b"ref,age\n" + b"A,30\n" * 11, "最多 10 行"),
        (b"ref,age\n\x00A,30\n", "空字符"),
        ("ref,age\nA,30\n".encode("utf-16"), "无法识别文件的编码"),
    ],
)
def test_unreadable_files_say_why_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(Unreadable, match=message):
        read(data, 10)


def test_results_are_written_formula_safe() -> None:
    rows = [['=HYPERLINK("http://x")', 135, "+cmd|' /C calc'!A0", "-1", "@SUM(A1)", -56]]
    book = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(["ref", "total", "a", "b", "c", "d"], rows)))
    sheet = book.active
    cells = list(sheet[2])
    assert [c.data_type for c in cells[:1] + cells[2:5]] == ["s", "s", "s", "s"]
    assert cells[0].value == '\'=HYPERLINK("http://x")' and cells[1].value == 135 and cells[5].value == -56
    text = spreadsheets.csv_bytes(["ref"], [[rows[0][0]], ["@SUM(A1)"]])
    assert text.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[1:] == [['\'=HYPERLINK("http://x")'], ["'@SUM(A1)"]]
