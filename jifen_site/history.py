"""The admin's history pages in words: each change as 字段：旧值 → 新值 with the choices' and
booleans' Chinese labels, and why it was made (the import's file name, the bulk action)."""

from __future__ import annotations

from typing import Any

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
