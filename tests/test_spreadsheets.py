"""Cells that never run as formulas, and CSV text in every encoding Excel saves here."""

import pytest
from openpyxl import Workbook

from jifen_site.spreadsheets import UnreadableText, decode_csv, safe_text, xlsx_text


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)", "\t=1", "\r=1"]
)
def test_text_a_spreadsheet_would_run_is_marked_as_text(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["经济师", "12434", "", None, 120, -30])
def test_other_values_pass_unchanged(value: object) -> None:
    assert safe_text(value) == value


def test_xlsx_cell_is_a_string_not_a_formula() -> None:
    cell = Workbook().active["A1"]
    cell.value = "=1+1"
    xlsx_text(cell)
    assert cell.data_type == "s"
    assert cell.value == "'=1+1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_excel_saves(encoding: str) -> None:
    assert decode_csv("工号,学历\n001,硕士研究生\n".encode(encoding)) == "工号,学历\n001,硕士研究生\n"


def test_unreadable_csv_says_what_to_do_in_chinese() -> None:
    with pytest.raises(UnreadableText, match="CSV UTF-8"):
        decode_csv(b"\xff\xfe\x00\xd8\x00")
