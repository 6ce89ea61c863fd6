"""Cells written to CSV or XLSX for people to open in a spreadsheet program: never a formula.

Every export of the site (the catalogue, the roster results) writes its text cells through `safe_text`,
so that a value typed by anyone (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`) is shown as text and never
evaluated. In XLSX the cell is also stored as a string, not a formula.

Uploaded tables are read here too: CSV in the encodings Excel saves (`decode_csv`), XLSX formulas as their
text, both with bounds on rows and cell length and Chinese messages (`TableRefused`) for what is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


def plain_text(value: object) -> object:
    """The inverse of `safe_text` for a cell read back from a file: `'=1+1` (as the site exported it)
    is the text `=1+1` again, so an export imported unchanged changes nothing."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class TableRefused(ValueError):
    """An uploaded table the site will not read (too many rows, a cell too long, no data), in Chinese."""


Table = tuple[list[str], list[list[object]]]


def read_csv(data: bytes, max_rows: int, max_cell: int) -> Table:
    """Headers and rows of an uploaded CSV file (any encoding `decode_csv` reads), at most `max_rows`
    rows of cells of at most `max_cell` characters; blank lines are dropped."""
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        return _bounded(reader, max_rows, max_cell)
    except csv.Error as error:
        if "field larger" in str(error):  # the csv module's own cap (128 KiB), far above max_cell
            raise TableRefused(f"第 {reader.line_num} 行有单元格超过 {max_cell} 个字符，请缩短后再上传。") from error
        message = f"第 {reader.line_num} 行无法按 CSV 读取（引号不成对？）：请在 Excel 中重新保存后再上传。"
        raise TableRefused(message) from error


def read_xlsx(data: bytes, max_rows: int, max_cell: int) -> Table:
    """Headers and rows of the first sheet of an uploaded XLSX file, bounded like `read_csv`.
    A formula cell is read as its text (`=1+1`), never as its computed value."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # zipfile, XML and openpyxl errors alike: not an XLSX file
        raise TableRefused("无法读取这个 XLSX 文件：请确认它是 Excel 工作簿（.xlsx），或另存为 CSV 后上传。") from error
    try:
        return _bounded(book.active.iter_rows(values_only=True), max_rows, max_cell)
    finally:
        book.close()


def _bounded(rows: Iterable[Iterable[object]], max_rows: int, max_cell: int) -> Table:
    headers: list[str] | None = None
    body: list[list[object]] = []
    for number, row in enumerate(rows, start=1):
        cells = ["" if cell is None else cell for cell in row]
        if not any(str(cell).strip() for cell in cells):
            continue
        for column, cell in enumerate(cells, start=1):
            if isinstance(cell, str) and len(cell) > max_cell:
                raise TableRefused(f"第 {number} 行第 {column} 列超过 {max_cell} 个字符，请缩短后再上传。")
        if headers is None:
            headers = [str(cell).strip() for cell in cells]
            continue
        if len(body) == max_rows:
            raise TableRefused(f"文件超过 {max_rows} 行数据，请拆成几个文件分别导入。")
        extra = [cell for cell in cells[len(headers) :] if str(cell).strip()]
        if extra:
            raise TableRefused(f"第 {number} 行比表头多出 {len(cells) - len(headers)} 列：请给每一列写上列名。")
        body.append(cells[: len(headers)] + [""] * (len(headers) - len(cells)))
    if headers is None:
        raise TableRefused("文件是空的：第一行应为表头（列名），下面每行一条数据。")
    if not body:
        raise TableRefused("文件只有表头，没有数据行。")
    return headers, body


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV download: UTF-8 with a BOM (so Excel on a Chinese Windows reads it as UTF-8), every
    text cell through `safe_text`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([safe_text(header) for header in headers])
    writer.writerows([safe_text(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = "Sheet1") -> bytes:
    """An XLSX download whose text cells are string cells through `xlsx_text`: never a formula. The
    sheet is streamed (openpyxl's write-only mode), so tens of thousands of rows take little memory."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in itertools.chain([headers], rows):
        cells = [WriteOnlyCell(sheet, value=_xlsx_value(value)) for value in row]
        for cell in cells:
            xlsx_text(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(cell: object) -> object:
    """Control characters XLSX cannot hold become U+FFFD instead of failing the whole download."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", cell)
    return cell
