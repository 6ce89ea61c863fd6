from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.results import Result

from catalogue import formats
from catalogue.models import Certificate, Trade
from catalogue.resources import CertificateResource, ImportSummary, TradeResource, summarise
from jifen_site.history import RetireAdmin
from jifen_site.spreadsheets import TableRefused, UnreadableText

ENTRY_FIELDS = ("aliases", "note", "status", "active")
INTERNAL_FIELDS = ("source", "position")


class CatalogueAdmin(ImportExportModelAdmin, RetireAdmin):
    """Catalogue entries: import/export (CSV, XLSX) with a preview, history, retire instead of delete."""

    import_formats = formats.FORMATS
    export_formats = formats.FORMATS
    import_form_class = formats.BoundedImportForm
    export_form_class = formats.LabelledExportForm
    list_per_page = 100

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The preview: a summary, the first rows and the first problems, however long the file."""
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("result") is not None:
            response.context_data["import_summary"] = self._summary(response.context_data["result"])
        return response

    def add_data_read_fail_error_to_form(self, form, error: Exception) -> None:
        if isinstance(error, TableRefused | UnreadableText):
            form.add_error("import_file", str(error))
        else:
            form.add_error("import_file", f"无法读取文件（{type(error).__name__}）：请确认所选格式与文件一致。")

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        summary = self._summary(result)
        if summary.ok:
            return super().process_result(result, request)
        # The file changed between preview and confirm, or a row met a concurrent edit.
        for problem in [*summary.file_errors, *(f"第 {p.line} 行 · {p.column}：{p.message}" for p in summary.problems)]:
            self.message_user(request, f"没有导入：{problem}", messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        counts = "，".join(f"{label} {count} 条" for label, count in self._summary(result).counts.items())
        self.message_user(request, f"导入完成：{counts or '没有变化'}。", messages.SUCCESS)

    def _summary(self, result: Result) -> ImportSummary:
        return summarise(result, self.resource_classes[0]().labels())


@admin.register(Certificate)
class CertificateAdmin(CatalogueAdmin):
    resource_classes = [CertificateResource]
    list_display = ("name", "kind", "series", "level", "tier", "needs_registration", "status", "active")
    list_filter = ("kind", "series", "tier", "active", "needs_registration", "status")
    search_fields = ("name", "aliases", "series", "search_pinyin")
    fieldsets = [
        (None, {"fields": ("kind", "series", "name", "level", "tier", "registration")}),
        ("展示给申请人", {"fields": ENTRY_FIELDS}),
        ("内部", {"fields": INTERNAL_FIELDS}),
    ]


@admin.register(Trade)
class TradeAdmin(CatalogueAdmin):
    resource_classes = [TradeResource]
    list_display = ("name", "listing", "status", "active")
    list_filter = ("listing", "status", "active")
    search_fields = ("name", "aliases", "search_pinyin")
    fieldsets = [
        (None, {"fields": ("name", "listing")}),
        ("展示给申请人", {"fields": ENTRY_FIELDS}),
        ("内部", {"fields": INTERNAL_FIELDS}),
    ]
