"""The blank roster to download and fill in (the template): the sheet with its headers, two examples and
drop-downs, and the notes sheet stating the rules in force today. Every cell written goes through
`spreadsheets.safe_text`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from calculator import labels
from calculator import policy as policy_data
from calculator.roster.columns import COLUMNS, stating
from calculator.roster.sheets import NOTES_SHEET, ROSTER_SHEET
from jifen_site.spreadsheets import safe_text, xlsx_text


def template() -> bytes:
    """The XLSX template, its notes stating the rules in force today."""
    columns = [
        TemplateColumn(
            header=column.header,
            name=column.name,
            help=column.help,
            example=column.example,
            choices=tuple(column.choices.values()) if column.choices else ("是", "否") if column.kind == "flag" else (),
            text=column.kind in ("ref", "month", "date", "si", "certificate"),
        )
        for column in stating(policy_data.in_force(timezone.localdate()))
    ]
    examples = [[EXAMPLES[0].get(c.name, "") for c in COLUMNS], [EXAMPLES[1].get(c.name, "") for c in COLUMNS]]
    limit = settings.JIFEN_ROSTER_MAX_ROWS
    notes = [
        "上海居住证积分 · 单位批量测算模板",
        "每行一名员工，第 1 行是表头；列的顺序不限，不需要的列可以删除（“年龄”和“出生年月”至少保留一列）。",
        "“名单”工作表中的两行是示例：上传前请删除，否则它们也会被计算。",
        "不需要、也请不要填写姓名、身份证号、手机号等个人信息：用工号或备注区分员工。",
        f"每个文件最多 {limit:,} 行、{settings.JIFEN_ROSTER_MAX_BYTES // (1024 * 1024)} MB；"
        f"上传后的数据在 {settings.JIFEN_ROSTER_HOURS} 小时后自动删除，也可随时在结果页删除。",
        "可以保存为 XLSX，或 CSV（UTF-8 或 GB18030 编码）。公式按保存的计算结果读取。",
    ]
    return workbook(columns, examples, notes)


EXAMPLES = (
    {
        "ref": "示例1（上传前删除）",
        "birth": "1990-05",
        "education": labels.EDUCATION["bachelor_degree"],
        "si": "2019-07~2023-06:12000; 2023-07~至今:15000",
    },
    {
        "ref": "示例2（上传前删除）",
        "age": "38",
        "education": labels.EDUCATION["junior_college"],
        "certificate": "经济师",
        "cert_job_match": "是",
        "cert_in_shanghai": "是",
        "si": "2016-03~至今:max",
        "spouse_years": "3",
    },
)


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    header: str
    name: str
    help: str
    example: str
    choices: tuple[str, ...] = ()  # a drop-down list
    text: bool = False  # keep what is typed as text (Excel would turn 1990-05 into a date)


def workbook(columns: Sequence[TemplateColumn], examples: Sequence[Sequence[str]], notes: Sequence[str]) -> bytes:
    """The roster template: the sheet to fill in (headers, examples, drop-downs) and the notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = ROSTER_SHEET
    _append(sheet, [c.header for c in columns])
    for row in examples:
        _append(sheet, row)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(40, len(column.header) * 2 + 2))
        sheet.cell(1, index).font = Font(bold=True)
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, len(examples) + 2):
                sheet.cell(row, index).number_format = "@"
        if column.choices:
            listed = ",".join(choice.replace(",", "，") for choice in column.choices)
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            validation.error = "请从下拉列表中选择。"
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}20001")
    sheet.freeze_panes = "A2"
    about = book.create_sheet(NOTES_SHEET)
    for note in notes:
        _append(about, [note])
    _append(about, [])
    _append(about, ["列名", "字段名", "说明", "示例"])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        _append(about, [column.header, column.name, column.help, column.example])
    for letter, width in zip("ABCD", (24, 22, 70, 36), strict=True):
        about.column_dimensions[letter].width = width
    return _save(book)


def _append(sheet, values: Sequence[object]) -> None:
    sheet.append([safe_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        xlsx_text(cell)


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
