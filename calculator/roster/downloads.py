"""The result download: the input columns as uploaded plus the results, one row per roster row, in file
order (written by `jifen_site.spreadsheets.xlsx_bytes` or `csv_bytes`, every cell through `safe_text`);
a row that could not be scored is there too, with its inputs and the reason in its 错误 column."""

from __future__ import annotations

import heapq

from calculator.models import Roster, RosterRow
from calculator.roster.results import UNSCORED_ROW, row_view, unscored

RESULT_HEADERS = ("行号", "总分", "差距", "状态", "最早达标月份", "最佳单项改变", "该项达标月份", "错误", "模拟器链接")


def download_table(roster: Roster, base_url: str) -> tuple[list[str], list[list[object]]]:
    """The input columns as uploaded plus the results, one row per roster row, in file order."""
    names = [name for name, _ in roster.columns]
    headers = [header for _, header in roster.columns] + list(RESULT_HEADERS)
    out = []
    scored = ((row.line, row) for row in roster.rows.order_by("line").iterator(chunk_size=2000))
    for line, row in heapq.merge(scored, unscored(roster), key=lambda pair: pair[0]):
        if isinstance(row, RosterRow):
            out.append([row.cells.get(name, "") for name in names] + _results(row, base_url))
        else:  # the cells of a row no worker could score
            out.append(
                [row.get(name, "") for name in names] + [line, None, None, "未计算", "", "", "", UNSCORED_ROW, ""]
            )
    return headers, out


def _results(row: RosterRow, base_url: str) -> list[object]:
    view = row_view(row)
    return [
        row.line,
        row.total,
        row.margin,
        view.status_label,
        view.earliest,
        row.best_action,
        view.best_month,
        "；".join(f"{header}：{message}" for header, message in view.errors),
        base_url + view.url,
    ]
