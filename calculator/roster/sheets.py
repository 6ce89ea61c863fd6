"""Roster files: an uploaded XLSX or CSV read into rows of values (and the content types of the files a
roster sends back).

Reading is bounded before anything is parsed: the upload's size, and for XLSX the zip's declared
unpacked size (a zip bomb is refused from its directory alone). XLSX is read by openpyxl in read-only
mode, which streams the sheet and parses XML through defusedxml; formulas come as their stored values.
(python-calamine would read faster, but it allocates the whole rectangle between the first and last
cell, so a 2 KB file with cells in A1 and XFD1048576 takes the process down.) CSV is decoded by
`jifen_site.spreadsheets.decode_csv`. (`spreadsheets.read_xlsx` and `read_csv` serve the catalogue
import: they read formulas as their text, refuse a cell outside the headers and keep no line numbers;
a roster reads the stored values, says what it left unread and reports errors by line.)
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jifen_site.spreadsheets import UnreadableText, decode_csv

MAX_UNPACKED = 200 * 1024 * 1024  # bytes a roster XLSX may unpack to, whatever its size
MAX_RATIO = 100  # ... and at most this many times its packed size
MAX_MEMBERS = 2000
ROSTER_SHEET = "名单"
NOTES_SHEET = "说明"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
NUL_TEXT = "文件中含有空字符（可能是 UTF-16 编码的“Unicode 文本”）：请在 Excel 中另存为 CSV UTF-8 后上传。"
ZIP_BOMB = "这个 XLSX 文件解压后的大小与文件大小极不相称（疑似压缩炸弹），已拒绝：请另存为普通的 XLSX 或 CSV。"


class Unreadable(ValueError):
    """The file cannot be read as a roster; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]  # row 1, as text
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (line in the file, values) of the non-empty rows


def too_many(max_rows: int) -> str:
    return f"名单最多 {max_rows:,} 行（不含表头）：请分成几个文件上传。"


def read(data: bytes, max_rows: int) -> Table:
    """The first row and the non-empty rows of an XLSX (by its content, not its name) or CSV file."""
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_rows(data), max_rows)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8 后上传。")
    try:
        text = decode_csv(data)
    except UnreadableText as error:
        raise Unreadable(str(error)) from error
    if "\x00" in text:
        raise Unreadable(NUL_TEXT)
    return _table(_csv_rows(text), max_rows)


def _table(rows: Iterator[Sequence[object]], max_rows: int) -> Table:
    """Row 1 as the headers, then every non-empty row with its line number; too many is refused before
    the rest of the file is read (blank lines count towards a bound too, so that a sheet of a million
    empty rows is not walked to its end)."""
    header = next(rows, None)
    if header is None or not any(_filled(v) for v in header):
        raise Unreadable("第 1 行应是表头（列名），但它是空的：请使用下载的模板。")
    body: list[tuple[int, tuple[object, ...]]] = []
    for line, values in enumerate(rows, start=2):
        if any(_filled(v) for v in values):
            body.append((line, tuple(values)))
            if len(body) > max_rows:
                raise Unreadable(too_many(max_rows))
        elif line > 2 * max_rows + 1000:
            raise Unreadable(too_many(max_rows))
    if not body:
        raise Unreadable("文件里只有表头，没有员工的行。")
    return Table(tuple("" if v is None else str(v).strip() for v in header), tuple(body))


def _filled(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _xlsx_rows(data: bytes) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook

    check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book[ROSTER_SHEET] if ROSTER_SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Unreadable("无法读取这个 XLSX 文件：请在 Excel 中打开并重新保存，或另存为 CSV UTF-8 后上传。") from error
    return _guarded(rows, book)


def _guarded(rows: Iterator, book) -> Iterator[Sequence[object]]:
    try:
        yield from rows
    except Unreadable:
        raise
    except Exception as error:
        raise Unreadable("这个 XLSX 文件的工作表已损坏，无法读完：请在 Excel 中打开并重新保存后上传。") from error
    finally:
        book.close()


def check_zip(data: bytes) -> None:
    """Refuse an XLSX whose directory declares an unpacked size out of proportion (a zip bomb), or that
    is not a workbook at all, before any of it is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Unreadable("文件已损坏，不是有效的 XLSX 文件。") from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > min(MAX_UNPACKED, MAX_RATIO * len(data)):
        raise Unreadable(ZIP_BOMB)
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise Unreadable("这个压缩文件不是 Excel 工作簿：请上传 XLSX 或 CSV 文件。")


def _csv_rows(text: str) -> Iterator[Sequence[object]]:
    first = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        message = f"CSV 文件第 {reader.line_num} 行无法读取（{error}）：请在 Excel 中另存为 CSV UTF-8。"
        raise Unreadable(message) from error
