"""The files staff upload to and download from the catalogue admin (django-import-export formats).

Both formats read and write through `jifen_site.spreadsheets`: CSV in any encoding Excel saves here and
downloaded with a BOM, XLSX formulas read as text, every exported cell safe from formula evaluation, and
an upload bounded in bytes (`JIFEN_IMPORT_MAX_BYTES`), rows (`JIFEN_IMPORT_MAX_ROWS`) and cell length.
"""

from __future__ import annotations

import tablib
from django import forms
from django.conf import settings
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm

from jifen_site.spreadsheets import Table, csv_bytes, read_csv, read_xlsx, xlsx_bytes

MAX_CELL = 5000  # characters; the longest note or source in the catalogue is a few hundred


def _dataset(table: Table) -> tablib.Dataset:
    headers, rows = table
    return tablib.Dataset(*rows, headers=headers)


class SafeCSV(CSV):
    """CSV read as bytes (so that GBK and GB18030 reach `decode_csv`), written as UTF-8 with a BOM."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes, **kwargs) -> tablib.Dataset:
        return _dataset(read_csv(in_stream, settings.JIFEN_IMPORT_MAX_ROWS, MAX_CELL))

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return csv_bytes(dataset.headers, dataset)


class SafeXLSX(XLSX):
    """XLSX whose formula cells are read as their text and whose exported cells are never formulas."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        return _dataset(read_xlsx(in_stream, settings.JIFEN_IMPORT_MAX_ROWS, MAX_CELL))

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return xlsx_bytes(dataset.headers, dataset, title=dataset.title or "Sheet1")


FORMATS = [SafeCSV, SafeXLSX]


def size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


class BoundedImportForm(ImportForm):
    """The import form, refusing a file above `JIFEN_IMPORT_MAX_BYTES` before anything reads it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.JIFEN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件太大（{size_text(upload.size)}）：一次最多导入 {size_text(limit)}、"
                f"{settings.JIFEN_IMPORT_MAX_ROWS} 行。请拆成几个文件分别导入。"
            )
        return upload


class LabelledExportForm(SelectableFieldsExportForm):
    """The export form, its column checkboxes labelled as the columns are headed (名称, not "Name (名称)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return resource().labels().get(field_name, field_name)
