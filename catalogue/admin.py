from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import CatalogueEntry, Certificate, Trade
from catalogue.resources import CertificateResource, TradeResource

ENTRY_FIELDS = ("aliases", "note", "status", "active")
INTERNAL_FIELDS = ("source", "position")


class CatalogueAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Catalogue entries: import/export (CSV, XLSX) with a preview, history, retire instead of delete."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    actions = ["activate", "retire"]
    list_per_page = 100
    history_list_display = ["active", "status"]

    def has_delete_permission(self, request: HttpRequest, obj: CatalogueEntry | None = None) -> bool:
        """Entries are retired, never deleted; only a superuser may still delete (e.g. a typo just added)."""
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @admin.action(description="启用所选条目", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=True, reason="批量启用")

    @admin.action(description="停用所选条目（不删除）", permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=False, reason="批量停用")

    def _set_active(self, request: HttpRequest, queryset: QuerySet, active: bool, reason: str) -> None:
        # One save() per entry, not QuerySet.update(): each change gets its history record and signals.
        changed = 0
        for entry in queryset.exclude(active=active):
            entry.active = active
            entry._change_reason = reason
            entry.save()
            changed += 1
        self.message_user(request, f"{reason}：{changed} 条。", messages.SUCCESS)


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
