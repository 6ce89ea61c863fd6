"""The SI periods' one owner: every way the site writes a list of social-insurance periods, parsed and
formatted here and nowhere else.

Two encodings:
- the query string: repeated `si_from`/`si_to`/`si_base` triples, plus `si_max` holding the indexes of
  the rows ticked 封顶 (the form, a bookmarked URL, the API, share links, the advice's links);
- one spreadsheet cell: `2019-07~2023-06:12000; 2023-07~:max` (the roster upload and download). Periods
  are separated by `;`, `；` or a line break; an open period is `YYYY-MM~` or `YYYY-MM~至今`; the base is
  yuan or `max`/`封顶`.
Both give the same `Parsed` value, with the rows as entered (for redisplay) and a Chinese message per
problem that says what to type instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from calculator.scoring import SIPeriod, month_index, month_label

MAX_PERIODS = 40
MAX_BASE = 10_000_000
MIN_YEAR, MAX_YEAR = 1980, 2100  # SI months: Shanghai's contribution records start after 1980
MIN_BIRTH_YEAR = 1900  # a birth month may be earlier (an applicant born in the 1970s)
MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
CEILING_WORDS = frozenset({"max", "封顶", "上限"})
OPEN_WORDS = frozenset({"", "至今", "今", "now"})
FIELDS = ("si_from", "si_to", "si_base")
CELL_SEPARATORS = re.compile(r"[;\n\r]+")
CELL_PERIOD = re.compile(r"^(?P<start>[^~]*)~(?P<end>[^:]*):(?P<base>.*)$")

TOO_MANY = f"社保缴费期间最多填写 {MAX_PERIODS} 段，请合并相邻且基数相同的期间。"
CELL_SHAPE = "格式应为 起始月~结束月:基数，例如 2019-07~2023-06:12000；仍在缴纳写 2023-07~至今:12000。"


def digits(text: str, most: int = 9) -> int | None:
    """`text` as an int when it is 1 to `most` ASCII digits, else None. (str.isdigit() also accepts
    '²', which int() refuses, and int() refuses more than 4300 digits: neither may reach int().)"""
    if text.isascii() and text.isdigit() and len(text) <= most:
        return int(text)
    return None


def parse_month(text: str, *, earliest: int = MIN_YEAR) -> int | None:
    """'2024-07' -> month index, or None when it is not a month between `earliest` (1980 for the SI
    periods; MIN_BIRTH_YEAR for a birth month) and 2100."""
    found = MONTH_RE.match(text or "")
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (earliest <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return month_index(year, month)


def at_ceiling(base_text: str) -> bool:
    return base_text.strip().lower() in CEILING_WORDS


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One SI row as entered, for redisplay, with its errors."""

    si_from: str
    si_to: str
    si_base: str
    errors: tuple[str, ...] = ()
    invalid: frozenset[str] = frozenset()  # the names of the inputs the errors are about

    @property
    def from_value(self) -> str:
        """The start month for `<input type="month">`: only a valid month (an invalid one is quoted in
        the row's error message instead)."""
        return self.si_from if parse_month(self.si_from) is not None else ""

    @property
    def to_value(self) -> str:
        return self.si_to if parse_month(self.si_to) is not None else ""

    @property
    def at_ceiling(self) -> bool:
        return at_ceiling(self.si_base)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The periods that are valid, every non-empty row as entered, and one message per problem."""

    rows: tuple[PeriodRow, ...] = ()
    periods: tuple[SIPeriod, ...] = ()
    errors: tuple[str, ...] = ()  # "第 2 段：……", or TOO_MANY


# How to say "paid at the ceiling", where the row was entered: the form ticks a box, a spreadsheet cell writes a word.
CEILING_BOX = "按上限缴纳请勾选“封顶”。"
CEILING_WORD = "按上限缴纳写 max 或“封顶”。"


def _row(
    start_text: str, end_text: str, base_text: str, ceiling: str = CEILING_BOX
) -> tuple[PeriodRow, SIPeriod | None]:
    errors, invalid = [], set()
    start = parse_month(start_text)
    end = parse_month(end_text) if end_text else None
    if start is None:
        errors.append(f"起始月“{start_text[:20]}”无效：请按 YYYY-MM 填写，例如 2021-07。")
        invalid.add("si_from")
    if end_text and end is None:
        errors.append(f"结束月“{end_text[:20]}”无效：请按 YYYY-MM 填写；仍在缴纳请留空（至今）。")
        invalid.add("si_to")
    if start is not None and end is not None and end < start:
        errors.append("结束月早于起始月，请检查。")
        invalid.add("si_to")
    base: int | None = None
    if not at_ceiling(base_text):
        base = digits(base_text.replace(",", "").replace("，", "").replace("元", "").strip())
        if base is None or not (1 <= base <= MAX_BASE):
            base = None
            errors.append(f"月缴费基数请填写以元为单位的整数，例如 15000；{ceiling}")
            invalid.add("si_base")
    row = PeriodRow(start_text, end_text, base_text, tuple(errors), frozenset(invalid))
    return row, (None if errors else SIPeriod(start, end, base))  # type: ignore[arg-type]


def _collect(triples: Iterable[tuple[str, str, str]], ceiling: str = CEILING_BOX) -> Parsed:
    rows, periods, messages = [], [], []
    for start_text, end_text, base_text in triples:
        if not (start_text or end_text or base_text):
            continue  # an empty row the user has not filled in yet
        row, period = _row(start_text, end_text, base_text, ceiling)
        rows.append(row)
        messages.extend(f"第 {len(rows)} 段：{e}" for e in row.errors)
        if period is not None:
            periods.append(period)
    return Parsed(tuple(rows), tuple(periods), tuple(messages))


def values(data: Mapping, key: str) -> list[str]:
    """Every value of `key` in a QueryDict or a dict of lists (or of single values), as text."""
    if hasattr(data, "getlist"):
        return [str(v) for v in data.getlist(key)]
    value = data.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def query_triples(data: Mapping) -> list[tuple[str, str, str]]:
    """The SI rows of a query string as (from, to, base) text, 封顶 rows with base "max", trimmed."""
    froms, tos, bases = (values(data, key) for key in FIELDS)
    at_max = set(values(data, "si_max"))

    def at(values: list[str], i: int) -> str:
        return values[i].strip() if i < len(values) else ""

    return [
        (at(froms, i), at(tos, i), "max" if str(i) in at_max else at(bases, i))
        for i in range(max(len(froms), len(tos), len(bases)))
    ]


def from_query(data: Mapping) -> Parsed:
    """The periods of `si_from`/`si_to`/`si_base` (+ `si_max`) in a QueryDict or a dict of lists."""
    triples = query_triples(data)
    if len(triples) > MAX_PERIODS:
        return Parsed(errors=(TOO_MANY,))
    return _collect(triples)


def query_pairs(triples: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(key, value) pairs of the query string for rows of text, empty rows left out."""
    pairs: list[tuple[str, str]] = []
    for row in triples:
        if any(row):
            pairs.extend(zip(FIELDS, row, strict=True))
    return pairs


def to_query(periods: Iterable[SIPeriod]) -> list[tuple[str, str]]:
    """(key, value) pairs of the query string for validated periods: 封顶 as base "max"."""
    return query_pairs(
        (month_label(p.start), month_label(p.end) if p.end is not None else "", _base_text(p.base)) for p in periods
    )


def without_row(data: Mapping, index: int) -> list[tuple[str, str]]:
    """The SI pairs of `data` with row `index` left out (the no-JavaScript 删除 button)."""
    triples = query_triples(data)
    return query_pairs(triples[:index] + triples[index + 1 :])


def from_cell(text: str) -> Parsed:
    """The periods of one spreadsheet cell: `2019-07~2023-06:12000; 2023-07~至今:max`."""
    normal = unicodedata.normalize("NFKC", text or "")  # ； ： ～ and full-width digits to ASCII
    parts = [part.strip() for part in CELL_SEPARATORS.split(normal) if part.strip()]
    if len(parts) > MAX_PERIODS:
        return Parsed(errors=(TOO_MANY,))
    triples, shape_errors = [], []
    for number, part in enumerate(parts, start=1):
        found = CELL_PERIOD.match(part)
        if found is None:
            shape_errors.append(f"第 {number} 段“{part[:30]}”无法识别：{CELL_SHAPE}")
            continue
        end = found["end"].strip()
        triples.append((found["start"].strip(), "" if end.lower() in OPEN_WORDS else end, found["base"].strip()))
    parsed = _collect(triples, CEILING_WORD)
    if shape_errors:
        return Parsed(parsed.rows, parsed.periods, (*shape_errors, *parsed.errors))
    return parsed


def to_cell(periods: Iterable[SIPeriod]) -> str:
    """One cell for the periods, in the form `from_cell` reads."""
    return "; ".join(
        f"{month_label(p.start)}~{month_label(p.end) if p.end is not None else '至今'}:{_base_text(p.base)}"
        for p in periods
    )


def _base_text(base: int | None) -> str:
    return "max" if base is None else str(base)
