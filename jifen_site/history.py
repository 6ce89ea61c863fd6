"""The admin's history pages in words: each change as 字段：旧值 → 新值 with the choices' and
booleans' Chinese labels, and why it was made (the import's file name, the bulk action)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "（空）"


class ReadableChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "是" if value else "否"
        if value in (None, ""):
            return EMPTY
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page shows old → new in Chinese."""

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record) -> ReadableChanges:
        return ReadableChanges(self.model, historical_record)


class RetireAdmin(HistoryAdmin):
    """Rows that are retired, never deleted (the catalogue, the checklist's texts): bulk 启用/停用, each
    change saved one by one so it gets its history record and bumps the data stamp; only a superuser
    may still delete (e.g. a typo just added)."""

    actions = ["activate", "retire"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description="启用所选条目", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=True, reason="批量启用")

    @admin.action(description="停用所选条目（不删除）", permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=False, reason="批量停用")

    def _set_active(self, request: HttpRequest, queryset: QuerySet, active: bool, reason: str) -> None:
        # One save() per row, not QuerySet.update(): each change gets its history record and signals.
        changed = 0
        for row in queryset.exclude(active=active):
            row.active = active
            row._change_reason = reason
            row.save()
            changed += 1
        self.message_user(request, f"{reason}：{changed} 条。", messages.SUCCESS)
