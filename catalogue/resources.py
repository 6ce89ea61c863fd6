"""CSV/XLSX import and export of the catalogue (django-import-export), keyed by the natural keys.

Columns are headed by the fields' Chinese labels (名称, 计分档, …); the codes (name, tier, …) are accepted
too. Every cell is read strictly: text is trimmed, choices take their code or label, 启用 takes 是/否
(or yes/no, 1/0), 排序 left blank keeps an entry where it is; anything else is refused with a Chinese
message naming the row and the column.

An import is all or nothing, and it never holds the database for long. The preview only reads: it
checks every row (including the same entry twice in one file) and writes nothing. Confirming checks the
file again, and only when every row passes writes it, one short transaction per row, so that the public
site keeps answering (and saving shared results) while a large file is imported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from import_export import fields, resources, widgets
from import_export.resources import Diff
from import_export.results import Result, RowResult

from catalogue.models import Certificate, Trade
from jifen_site.spreadsheets import plain_text

COMMON_FIELDS = ("aliases", "status", "note", "source", "active", "position")
SQLITE_STRETCH, SQLITE_BREAK = 0.25, 0.12  # seconds of writing, then of leaving the database to others
PREVIEW_ROWS = 50  # rows (and errors) the preview shows; the summary counts all of them

YES = {"是", "yes", "y", "true", "1", "启用", "对"}
NO = {"否", "no", "n", "false", "0", "停用", "不"}


class ImportRefused(Exception):
    """The file as a whole cannot be imported (its columns); the message says why, in Chinese."""


class TextWidget(widgets.CharWidget):
    """Text as typed, without the spaces around it; the apostrophe our exports put before `=…` dropped."""

    def clean(self, value, row=None, **kwargs) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into an XLSX text column (系列 2024)
        return plain_text(str(value).strip())


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, by its code (title) or its label (专业技术职称)."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.by_text = {code.lower(): code for code, _ in choices} | {label: code for code, label in choices}
        self.options = "、".join(f"{code}（{label}）" for code, label in choices)

    def clean(self, value, row=None, **kwargs) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(f"不能为空：请填写 {self.options} 之一。")
        code = self.by_text.get(text) or self.by_text.get(text.lower())
        if code is None:
            raise ValueError(f"“{text}”不是可选的值：请填写 {self.options} 之一。")
        return code

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    """是/否 (also yes/no, true/false, 1/0, 启用/停用); blank or anything else is refused, never guessed."""

    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text.endswith(".0"):  # 1.0 from an XLSX number cell
            text = text[:-2]
        if text in YES:
            return True
        if text in NO:
            return False
        shown = f"“{value}”" if text else "空白"
        raise ValueError(f"{shown}无法识别：请填写 是 或 否。")

    def render(self, value, obj=None, **kwargs) -> str:
        return "是" if value else "否"


class PositionWidget(widgets.Widget):
    """A positive whole number; blank or 0 is None, which keeps an entry's place (a new one goes last)."""

    def clean(self, value, row=None, **kwargs) -> int | None:
        text = "" if value is None else str(value).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if text in ("", "0"):
            return None
        if not text.isdigit():
            raise ValueError(f"“{value}”不是正整数：请填写 1、2、3……，或留空保持原来的顺序。")
        return int(text)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


def column(model: type[Model], name: str) -> fields.Field:
    """The column of a model field, headed by its Chinese label, read by the widget its type needs."""
    model_field = model._meta.get_field(name)
    label = str(model_field.verbose_name)
    if name == "active":
        return fields.Field(attribute=name, column_name=label, widget=YesNoWidget())
    if name == "position":
        return fields.Field(attribute=name, column_name=label, widget=PositionWidget(), saves_null_values=False)
    if model_field.choices:
        return fields.Field(attribute=name, column_name=label, widget=ChoiceWidget(list(model_field.choices)))
    return fields.Field(attribute=name, column_name=label, widget=TextWidget())


DIFF_TAGS = {
    diff_match_patch.DIFF_DELETE: "del",
    diff_match_patch.DIFF_EQUAL: "span",
    diff_match_patch.DIFF_INSERT: "ins",
}


class PlainDiff(Diff):
    """The preview's cell diffs as <del>/<ins> without the library's inline styles, which the admin's
    Content-Security-Policy refuses (static/css/admin.css colours them)."""

    def as_html(self) -> list[str]:
        cells = []
        for old, new in zip(self.left, self.right, strict=True):
            changes = diff_match_patch().diff_main("" if old != new and self.new else force_str(old), force_str(new))
            cells.append(
                format_html_join("", "<{}>{}</{}>", ((DIFF_TAGS[op], text, DIFF_TAGS[op]) for op, text in changes))
            )
        return cells


class CatalogueResource(resources.ModelResource):
    """Columns by label, strict cells, one check of the whole file before one short write per row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        model = self._meta.model
        for name in self._meta.fields:
            self.fields[name] = column(model, name)
        self._first_rows: dict[tuple, int] = {}
        self._stretch_start = time.monotonic()

    def get_diff_class(self) -> type[Diff]:
        return PlainDiff

    def labels(self) -> dict[str, str]:
        """Field name -> column label, in export order."""
        return {name: self.fields[name].column_name for name in self._meta.fields}

    # -- Reading the file --------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        """Headers by code become headers by label; a missing key column or an unknown one stops it all."""
        labels = self.labels()
        known = set(labels.values())
        headers = [labels.get(str(header).strip(), str(header).strip()) for header in dataset.headers]
        unknown = [header for header in headers if header not in known]
        missing = [labels[name] for name in self._meta.import_id_fields if labels[name] not in headers]
        accepted = "、".join(f"{label}（{code}）" for code, label in labels.items())
        if missing:
            raise ImportRefused(f"缺少必需的列：{'、'.join(missing)}。第一行应为列名，可用的列：{accepted}。")
        if unknown:
            raise ImportRefused(f"不认识的列：{'、'.join(unknown)}。可用的列：{accepted}。")
        if len(set(headers)) != len(headers):
            raise ImportRefused("有重复的列名：每一列只能出现一次。")
        dataset.headers = headers
        self._first_rows = {}

    def import_row(self, row, instance_loader, **kwargs) -> RowResult:
        if not any(str(value).strip() for value in row.values() if value is not None):
            skipped = self.get_row_result_class()()
            skipped.import_type = RowResult.IMPORT_TYPE_SKIP
            return skipped
        if kwargs.get("dry_run"):
            result = super().import_row(row, instance_loader, **kwargs)
            if kwargs["row_number"] > PREVIEW_ROWS:
                result.diff = None  # the preview shows only the first rows; keep memory flat
            return result
        with transaction.atomic():
            result = super().import_row(row, instance_loader, **kwargs)
        self._make_way()
        return result

    def _make_way(self) -> None:
        """On SQLite one writer holds the whole database: after each stretch of rows, leave it free
        long enough for a waiting writer (a share; SQLite retries a busy lock about every 100 ms) to
        get in, so that it waits a fraction of a second rather than for the whole import."""
        if connection.vendor != "sqlite":
            return  # PostgreSQL locks rows; a share never waits for the catalogue
        now = time.monotonic()
        if now - self._stretch_start >= SQLITE_STRETCH:
            time.sleep(SQLITE_BREAK)
            self._stretch_start = time.monotonic()

    def import_instance(self, instance, row, **kwargs) -> None:
        """Also refuses a second row for an entry already given earlier in the same file."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        key_field = self._meta.import_id_fields[-1]
        if not errors.keys() & set(self._meta.import_id_fields):
            key = tuple(getattr(instance, name) for name in self._meta.import_id_fields)
            first = self._first_rows.setdefault(key, kwargs["row_number"])
            if first != kwargs["row_number"]:
                errors[key_field] = [f"与第 {first + 1} 行是同一条目：同一文件中每个条目只能出现一次。"]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        file_name = kwargs.get("file_name")
        if file_name:
            instance._change_reason = f"导入文件 {file_name}"

    # -- Checking, then writing ---------------------------------------------------------------------

    def import_data(
        self,
        dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = True,
        **kwargs,
    ) -> Result:
        """Check every row without writing (no transaction); then, unless it is a preview or a row
        failed, write the rows, each in its own transaction (see import_row)."""
        checked = self.import_data_inner(dataset, True, raise_errors, False, collect_failed_rows, **kwargs)
        if dry_run or checked.has_errors() or checked.has_validation_errors():
            return checked
        self._stretch_start = time.monotonic()
        return self.import_data_inner(dataset, False, raise_errors, False, collect_failed_rows, **kwargs)

    def handle_import_error(self, result: Result, error: Exception, raise_errors: bool = False) -> None:
        if isinstance(error, ImportRefused):
            result.append_base_error(self.get_error_result_class()(error))
            return
        super().handle_import_error(result, error, raise_errors)


class CertificateResource(CatalogueResource):
    class Meta:
        model = Certificate
        import_id_fields = ("kind", "series", "name")
        fields = ("kind", "series", "name", "level", "tier", "registration", *COMMON_FIELDS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class TradeResource(CatalogueResource):
    class Meta:
        model = Trade
        import_id_fields = ("name",)
        fields = ("name", "listing", *COMMON_FIELDS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


# -- What the preview shows ---------------------------------------------------------------------------

IMPORT_TYPES = {
    RowResult.IMPORT_TYPE_NEW: "新增",
    RowResult.IMPORT_TYPE_UPDATE: "更新",
    RowResult.IMPORT_TYPE_SKIP: "不变",
    RowResult.IMPORT_TYPE_DELETE: "删除",
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # the row in the spreadsheet (the header is row 1)
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """A preview of any size in a page of bounded size: counts, the first rows, the first problems."""

    total: int
    counts: dict[str, int]
    problems: list[RowProblem]
    problem_count: int
    file_errors: list[str]
    rows: list[RowResult]
    shown: int

    @property
    def ok(self) -> bool:
        return not self.problem_count and not self.file_errors


def summarise(result: Result, labels: dict[str, str], limit: int = PREVIEW_ROWS) -> ImportSummary:
    problems = [
        RowProblem(invalid.number + 1, labels.get(name, "（整行）" if name == "__all__" else name), str(message))
        for invalid in result.invalid_rows
        for name, messages in invalid.error_dict.items()
        for message in messages
    ]
    problems += [
        RowProblem(number + 1, "（整行）", _error_text(error.error))
        for number, errors in result.row_errors()
        for error in errors
    ]
    problems.sort(key=lambda problem: problem.line)
    rows = result.valid_rows()[:limit]
    return ImportSummary(
        total=result.total_rows,
        counts={label: result.totals[code] for code, label in IMPORT_TYPES.items() if result.totals[code]},
        problems=problems[:limit],
        problem_count=len(problems),
        file_errors=[_error_text(error.error) for error in result.base_errors],
        rows=rows,
        shown=len(rows),
    )


def _error_text(error: Exception) -> str:
    """Our own refusals speak Chinese; anything else is named without a traceback."""
    if isinstance(error, ImportRefused | ValidationError | ValueError):
        return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return f"无法写入这一行（{type(error).__name__}）：请检查这一行的内容，或把文件交给管理员。"
