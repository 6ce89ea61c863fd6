"""The result download: the input columns as uploaded plus the results, one row per roster row, in file
order (written by `jifen_site.spreadsheets.xlsx_bytes` or `csv_bytes`, every cell through `safe_text`)."""

from __future__ import annotations

from calculator.models import Roster
from calculator.roster.results import row_view

RESULT_HEADERS = ("行号", "总分", "差距", "状态", "最早达标月份", "最佳单项改变", "该项达标月份", "错误", "模拟器链接")


def download_table(roster: Roster, base_url: str) -> tuple[list[str], list[list[object]]]:
    """The input columns as uploaded plus the results, one row per roster row, in file order."""
    names = [name for name, _ in roster.columns]
    headers = [header for _, header in roster.columns] + list(RESULT_HEADERS)
    out = []
    for row in roster.rows.order_by("line").iterator(chunk_size=2000):
        view = row_view(row)
        out.append(
            [row.cells.get(name, "") for name in names]
            + [
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
        )
    return headers, out
