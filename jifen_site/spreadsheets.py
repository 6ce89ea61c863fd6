"""Cells written to CSV or XLSX for people to open in a spreadsheet program: never a formula.

Every export of the site (the catalogue, the roster results) writes its text cells through `safe_text`,
so that a value typed by anyone (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`) is shown as text and never
evaluated. In XLSX the cell is also stored as a string, not a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """`value` unchanged unless it is text a spreadsheet would run; then the same text behind an
    apostrophe, the spreadsheet's own "this is text" mark. Numbers and None pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_text(cell) -> None:
    """Mark an openpyxl cell holding text as a string cell, so that no spreadsheet reads it as a formula."""
    if isinstance(cell.value, str):
        cell.value = safe_text(cell.value)
        cell.data_type = "s"


class UnreadableText(ValueError):
    """The bytes are in none of the encodings a spreadsheet program here saves CSV in."""


CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 with or without BOM; GB18030 (a superset of GBK and GB2312)
UNREADABLE = "无法识别文件的编码：请在 Excel 中“另存为”CSV UTF-8（逗号分隔），或上传 XLSX 文件。"


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file, as Excel on a Chinese Windows or any other program saves it."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableText(UNREADABLE)
