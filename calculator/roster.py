"""Roster mode: an employer's roster accepted, split into chunks for the workers, scored, summarised,
shown, downloaded and deleted.

The upload request only reads the file (nothing of it is kept but the recognised cells), stores the
rows in chunks and enqueues one task per chunk (`calculator.tasks.score_chunk`); workers score the
chunks in parallel, each in two short write transactions. The roster's status and progress come from
its chunks. Rows and results live `JIFEN_ROSTER_HOURS` hours, or until 删除.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from calculator import cache, labels, projection, roster_chart, roster_columns, roster_sheets, sharing
from calculator import policy as policy_data
from calculator.models import Progress, Roster, RosterChunk, RosterRow, RosterStatus, RowStatus
from calculator.roster_columns import COLUMNS, cell_text, column_for, header_of, row_input
from calculator.roster_scoring import RowOutcome, certificate_ids, score_row
from calculator.scoring import month_label

logger = logging.getLogger(__name__)

SLUG_BYTES = 16  # 22 URL-safe characters
CHUNK_ROWS = 500  # at most, per task
MIN_CHUNK_ROWS = 50
CHUNKS_WANTED = 16  # a small roster still spreads over the workers
PROGRESS_EVERY = 100  # rows between progress writes inside a chunk
PAGE_ROWS = 50
ERRORS_SHOWN = 200
MAX_NOTICES = 20
ROW_FAILED = "这一行无法计算（程序出错，已记录）：请检查这一行的输入，或在模拟器中打开它。"


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


# ---------------------------------------------------------------------------------------------
# Accepting an upload


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
        age, birth = roster_columns.BY_NAME["age"].header, roster_columns.BY_NAME["birth"].header
        raise RosterRefused(f"缺少“{age}”或“{birth}”列：每一行都需要其中之一。")
    return Layout(tuple(columns), tuple(notices))


def accept(upload: UploadedFile, as_of: date, client: str) -> Roster:
    """Read the file, store its rows in chunks and enqueue them; the file itself is not kept."""
    _check_rate(client)  # cheap early refusal; the check that counts is the locked one in _store
    try:
        table = roster_sheets.read(upload.read(), settings.JIFEN_ROSTER_MAX_ROWS)
    except roster_sheets.Unreadable as error:
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


# ---------------------------------------------------------------------------------------------
# The work of one chunk (run by a worker)


def score_chunk(chunk_id: int) -> int:
    """Score the rows of one chunk and store them; returns the rows written. A chunk already taken or
    deleted (the roster's 删除) is skipped."""
    claimed = RosterChunk.objects.filter(pk=chunk_id, status=RosterStatus.QUEUED).update(
        status=RosterStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return 0
    chunk = RosterChunk.objects.select_related("roster").get(pk=chunk_id)
    try:
        rows = _score_rows(chunk)
        with transaction.atomic():
            if not RosterChunk.objects.filter(pk=chunk_id).update(
                status=RosterStatus.DONE, done=len(rows), finished_at=timezone.now(), inputs=[]
            ):
                return 0  # deleted meanwhile
            RosterRow.objects.filter(chunk_id=chunk_id).delete()
            RosterRow.objects.bulk_create(rows, batch_size=500)
    except Exception:
        RosterChunk.objects.filter(pk=chunk_id).update(status=RosterStatus.FAILED, finished_at=timezone.now())
        raise
    return len(rows)


def resume_stalled(roster: Roster) -> int:
    """Put back in the queue the chunks a worker took but never finished (it was killed, or its machine
    restarted), so that the roster completes; returns how many. A chunk's rows are written in one
    transaction at its end, so scoring it again from the start is safe."""
    from calculator.tasks import score_chunk

    cutoff = timezone.now() - timedelta(seconds=settings.JIFEN_ROSTER_STALL_SECONDS)
    stalled = roster.chunks.filter(status=RosterStatus.RUNNING, started_at__lt=cutoff).values_list("pk", "started_at")
    resumed = 0
    for pk, started in stalled:
        # Only if still that run: another request may have resumed it, or the worker finished meanwhile.
        if RosterChunk.objects.filter(pk=pk, status=RosterStatus.RUNNING, started_at=started).update(
            status=RosterStatus.QUEUED, started_at=None, done=0
        ):
            logger.warning("roster %s: chunk %s stalled since %s; queued again", roster.pk, pk, started)
            score_chunk.enqueue(pk)
            resumed += 1
    return resumed


def current_progress(roster: Roster) -> Progress:
    """The roster's progress, after sending chunks whose worker was lost back to the queue."""
    progress = roster.progress()
    if not progress.finished and resume_stalled(roster):
        progress = roster.progress()
    return progress


def _score_rows(chunk: RosterChunk) -> list[RosterRow]:
    roster = chunk.roster
    out = []
    with cache.snapshot():  # one data stamp for the whole chunk
        for count, (line, cells) in enumerate(chunk.inputs, start=1):
            row = row_input(cells, roster.as_of, certificate_ids)
            try:
                outcome = score_row(row)
            except Exception:
                logger.exception("roster row failed: roster %s line %s", roster.pk, line)
                outcome = RowOutcome(query="", errors=(("ref", ROW_FAILED),))
            out.append(_row(roster, chunk, line, row.ref, cells, outcome))
            if count % PROGRESS_EVERY == 0 and count < len(chunk.inputs):
                RosterChunk.objects.filter(pk=chunk.pk).update(done=count)
    return out


def _row(roster: Roster, chunk: RosterChunk, line: int, ref: str, cells: dict, outcome: RowOutcome) -> RosterRow:
    headers = dict(roster.columns)
    return RosterRow(
        roster=roster,
        chunk=chunk,
        line=line,
        ref=ref,
        cells=cells,
        query=outcome.query,
        errors=[[header_of(name, headers), message] for name, message in outcome.errors],
        status=outcome.status,
        total=outcome.total,
        margin=outcome.margin,
        eligible=outcome.eligible,
        passed=outcome.passed,
        earliest=outcome.earliest,
        best_action=outcome.best_action[:200],
        best_month=outcome.best_month,
    )


# ---------------------------------------------------------------------------------------------
# Reading a roster back


def find(slug: str) -> Roster | None:
    return Roster.objects.filter(slug=slug[:32]).first()


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    now: int
    soon: int
    later: int
    never: int
    errors: int
    threshold: int

    @property
    def scored(self) -> int:
        return self.rows - self.errors


def summary(roster: Roster) -> Summary:
    counts = roster.rows.counts()
    return Summary(
        rows=roster.total,
        now=counts.get(RowStatus.NOW, 0),
        soon=counts.get(RowStatus.SOON, 0),
        later=counts.get(RowStatus.LATER, 0),
        never=counts.get(RowStatus.NEVER, 0),
        errors=counts.get(RowStatus.ERROR, 0),
        threshold=threshold(roster.as_of),
    )


def threshold(as_of: date) -> int | None:
    """The standard score of the edition in force on the roster's date (else today's; rows may use their
    own date), None before staff have entered any edition."""
    for day in (as_of, timezone.localdate()):
        try:
            return policy_data.get_policy(day).threshold
        except policy_data.NoPolicy:
            continue
    return None


def chart(roster: Roster) -> roster_chart.Chart:
    """Employees reaching the threshold per coming quarter, as things are."""
    start = roster.as_of.year * 12 + roster.as_of.month - 1
    return roster_chart.quarters(roster.rows.reaching_by_month(), start, projection.HORIZON)


SORTS = {
    "row": ("line",),
    "-row": ("-line",),
    "total": (F("total").asc(nulls_last=True), "line"),
    "-total": (F("total").desc(nulls_last=True), "line"),
    "margin": (F("margin").asc(nulls_last=True), "line"),
    "-margin": (F("margin").desc(nulls_last=True), "line"),
    "earliest": (F("passed").desc(), F("earliest").asc(nulls_last=True), "line"),
    "-earliest": (F("earliest").desc(nulls_last=True), "line"),
}


@dataclass(frozen=True, slots=True)
class RowView:
    line: int
    ref: str
    total: int | None
    margin: int | None
    status: str
    status_label: str
    eligible: bool | None
    earliest: str
    best_action: str
    best_month: str
    url: str
    errors: tuple[tuple[str, str], ...]


def row_view(row: RosterRow) -> RowView:
    return RowView(
        line=row.line,
        ref=row.ref,
        total=row.total,
        margin=row.margin,
        status=row.status,
        status_label="不符合申请条件" if row.eligible is False else RowStatus(row.status).label,
        eligible=row.eligible,
        earliest=month_label(row.earliest) if row.earliest is not None else "",
        best_action=row.best_action,
        best_month=month_label(row.best_month) if row.best_month is not None else "",
        url=simulator_url(row.query),
        errors=tuple((header, message) for header, message in row.errors),
    )


@dataclass(frozen=True, slots=True)
class SortLink:
    query: str  # the query string that sorts by this column (the other way when it is the current one)
    direction: str  # aria-sort of the column header: ascending, descending or ""


def sort_links(sort: str, status: str) -> dict[str, SortLink]:
    links = {}
    for key in ("row", "total", "margin", "earliest"):
        direction = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        following = f"-{key}" if direction == "ascending" else key
        links[key] = SortLink(list_query(following, status), direction)
    return links


def list_query(sort: str, status: str) -> str:
    """The query string of the table's view (for its sort links, filter and pages)."""
    return urlencode({"sort": sort, **({"status": status} if status in RowStatus.values else {})})


def simulator_url(query: str) -> str:
    return reverse("calculator:simulator") + ("?" + query if query else "")


def rows(roster: Roster, sort: str, status: str) -> QuerySet[RosterRow]:
    return roster.rows.with_status(status).order_by(*SORTS.get(sort, SORTS["row"]))


def page(roster: Roster, sort: str, status: str, number: str | int) -> tuple[Page, list[RowView]]:
    found = Paginator(rows(roster, sort, status), PAGE_ROWS).get_page(number)
    return found, [row_view(row) for row in found.object_list]


def errors(roster: Roster) -> tuple[list[tuple[int, str, str]], int]:
    """(line, column, message) of the first rows with errors, and how many rows have errors."""
    listed = []
    for line, messages in roster.rows.with_errors().order_by("line").values_list("line", "errors")[:ERRORS_SHOWN]:
        listed.extend((line, header, message) for header, message in messages)
    return listed, roster.rows.with_errors().count()


def as_json(roster: Roster, base_url: str) -> dict:
    """The JSON shape of /api/roster/<id>: every row scored so far, in file order."""
    progress = current_progress(roster)
    found = summary(roster)
    return {
        "id": roster.slug,
        "status": progress.status,
        "done": progress.done,
        "total": progress.total,
        "as_of": roster.as_of.isoformat(),
        "summary": {
            "rows": found.rows,
            "now": found.now,
            "within_12_months": found.soon,
            "within_10_years": found.later,
            "not_within_10_years": found.never,
            "errors": found.errors,
        },
        "notices": roster.notices,
        "rows": [_row_json(row, base_url) for row in roster.rows.order_by("line").iterator(chunk_size=2000)],
    }


def _row_json(row: RosterRow, base_url: str) -> dict:
    view = row_view(row)
    best = {"title": row.best_action, "month": view.best_month} if row.best_action else None
    errors: dict[str, list[str]] = {}
    for header, message in view.errors:
        errors.setdefault(header, []).append(message)
    body = {"row": row.line, "ref": row.ref, "url": base_url + view.url}
    if errors:
        return body | {"status": row.status, "errors": errors}
    return body | {
        "status": row.status,
        "total": row.total,
        "margin": row.margin,
        "eligible": row.eligible,
        "passed": row.passed,
        "earliest": view.earliest or None,
        "best_action": best,
        "errors": {},
    }


# ---------------------------------------------------------------------------------------------
# Downloads

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


# ---------------------------------------------------------------------------------------------
# The template


def template() -> bytes:
    """The XLSX template, its notes stating the rules in force today."""
    columns = [
        roster_sheets.TemplateColumn(
            header=column.header,
            name=column.name,
            help=column.help,
            example=column.example,
            choices=tuple(column.choices.values()) if column.choices else ("是", "否") if column.kind == "flag" else (),
            text=column.kind in ("ref", "month", "date", "si", "certificate"),
        )
        for column in roster_columns.stating(policy_data.in_force(timezone.localdate()))
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
    return roster_sheets.template(columns, examples, notes)


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


# ---------------------------------------------------------------------------------------------
# Deleting


def delete(roster: Roster) -> None:
    """删除: the rows and results go at once; the empty record stays until it expires, so that the
    hourly upload limit still counts it."""
    with transaction.atomic():
        roster.chunks.all().delete()
        Roster.objects.filter(pk=roster.pk).update(deleted_at=timezone.now(), columns=[], notices=[])


def purge() -> int:
    """Delete every roster past its time, with its rows, and the queue's records of its finished
    tasks (run from cron); returns how many rosters."""
    from django_tasks_db.models import DBTaskResult

    from calculator.tasks import score_chunk

    cutoff = timezone.now() - timedelta(hours=settings.JIFEN_ROSTER_HOURS)
    DBTaskResult.objects.finished().filter(task_path=score_chunk.module_path, finished_at__lt=cutoff).delete()
    _, by_model = Roster.objects.expired().delete()
    return by_model.get(Roster._meta.label, 0)
