"""Accepting an upload: the form, the file read into the recognised cells of each row, the rows stored in
chunks and one task enqueued per chunk (`calculator.tasks.score_chunk`). The file itself is not kept;
what was not read is said in the roster's notices, never dropped silently."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from calculator import sharing
from calculator.models import Roster, RosterChunk
from calculator.roster import sheets
from calculator.roster.cells import cell_text
from calculator.roster.columns import BY_NAME, column_for

SLUG_BYTES = 16  # 22 URL-safe characters
CHUNK_ROWS = 500  # at most, per task
MIN_CHUNK_ROWS = 50
CHUNKS_WANTED = 16  # a small roster still spreads over the workers
MAX_NOTICES = 20


class RosterRefused(Exception):
    """The roster was not accepted; the message says why, in Chinese."""

    def __init__(self, message: str, status: int = 400, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


class UploadForm(forms.Form):
    file = forms.FileField(
        label="名单文件（XLSX 或 CSV）",
        error_messages={
            "required": "请选择要上传的名单文件（XLSX 或 CSV）。",
            "empty": "这个文件是空的：请选择填好的名单。",
            "invalid": "请选择要上传的名单文件（XLSX 或 CSV）。",
        },
    )
    as_of = forms.DateField(
        label="评估日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="留空为今天；名单中的 as_of（评估日期）列可为某一行另设日期。",
        error_messages={"invalid": "请按 YYYY-MM-DD 填写评估日期，例如 2026-11-25。"},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = settings.JIFEN_ROSTER_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件太大：最多 {limit // (1024 * 1024)} MB。请分成几个文件上传。")
        return upload

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data.get("as_of") or timezone.localdate()
        if not (date(2000, 1, 1) <= as_of <= date(2100, 12, 31)):
            raise forms.ValidationError("评估日期请填写 2000 年到 2100 年之间的日期。")
        return as_of


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column of the file holds which vocabulary name, and what was not read (said, never dropped)."""

    columns: tuple[tuple[int, str, str], ...]  # (index in the row, vocabulary name, header as uploaded)
    notices: tuple[str, ...]


def layout(headers: tuple[str, ...]) -> Layout:
    columns, notices, seen = [], [], {}
    for index, header in enumerate(headers):
        if not header:
            continue
        name = column_for(header)
        if name is None:
            notices.append(f"第 {index + 1} 列“{header[:30]}”不是名单的列，未读取（本站不需要姓名、证件号或电话）。")
        elif name in seen:
            raise RosterRefused(f"“{seen[name]}”和“{header[:30]}”是同一列（{name}），请只保留一列。")
        else:
            seen[name] = header[:30]
            columns.append((index, name, header[:60]))
    if not columns:
        raise RosterRefused("第 1 行没有可识别的列名：请使用下载的模板，或用模板中的列名作表头。")
    if "age" not in seen and "birth" not in seen:
        age, birth = BY_NAME["age"].header, BY_NAME["birth"].header
        raise RosterRefused(f"缺少“{age}”或“{birth}”列：每一行都需要其中之一。")
    return Layout(tuple(columns), tuple(notices))


def accept(upload: UploadedFile, as_of: date, client: str) -> Roster:
    """Read the file, store its rows in chunks and enqueue them; the file itself is not kept."""
    _check_rate(client)  # cheap early refusal; the check that counts is the locked one in _store
    try:
        table = sheets.read(upload.read(), settings.JIFEN_ROSTER_MAX_ROWS)
    except sheets.Unreadable as error:
        raise RosterRefused(error.message) from error
    found = layout(table.headers)
    notices = list(found.notices)
    rows = []
    for line, values in table.rows:
        cells = {}
        for index, name, _ in found.columns:
            text = cell_text(values[index], name) if index < len(values) else ""
            if text:
                cells[name] = text
        if len(values) > len(table.headers) and any(cell_text(v, "") for v in values[len(table.headers) :]):
            notices.append(f"第 {line} 行在表头以外的列还有内容，未读取：请把它放在有列名的列中。")
        rows.append((line, cells))
    if len(notices) > MAX_NOTICES:
        notices = [*notices[:MAX_NOTICES], f"……另有 {len(notices) - MAX_NOTICES} 条类似提示。"]
    return _store(rows, found, notices, as_of, client)


def _check_rate(client: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    if Roster.objects.created_by(client, since).count() >= settings.JIFEN_ROSTER_RATE:
        raise RosterRefused(
            f"上传太频繁了：每小时最多测算 {settings.JIFEN_ROSTER_RATE} 份名单，请稍后再试。", status=429
        )


def _store(rows: list, found: Layout, notices: list[str], as_of: date, client: str) -> Roster:
    from calculator.tasks import score_chunk

    size = max(MIN_CHUNK_ROWS, min(CHUNK_ROWS, math.ceil(len(rows) / CHUNKS_WANTED)))
    with transaction.atomic():
        sharing.lock_client(client)  # the count and the insert as one, however many uploads arrive at once
        _check_rate(client)
        now = timezone.now()
        roster = Roster.objects.create(
            slug=secrets.token_urlsafe(SLUG_BYTES),
            created_at=now,
            expires_at=now + timedelta(hours=settings.JIFEN_ROSTER_HOURS),
            client=client,
            as_of=as_of,
            total=len(rows),
            columns=[[name, header] for _, name, header in found.columns],
            notices=notices,
        )
        chunks = RosterChunk.objects.bulk_create(
            RosterChunk(roster=roster, number=n, size=len(part), inputs=part)
            for n, part in enumerate(rows[i : i + size] for i in range(0, len(rows), size))
        )
    ids = [chunk.pk for chunk in chunks] or list(roster.chunks.values_list("pk", flat=True))
    with transaction.atomic():
        for pk in ids:
            score_chunk.enqueue(pk)
    return roster
