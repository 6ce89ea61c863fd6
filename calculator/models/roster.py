"""Rosters: an employer's list of employees scored in the background, kept for a few hours only.

A `Roster` is the upload (no file is kept: only the recognised cells of each row), split into
`RosterChunk`s that workers score in parallel; each chunk writes its `RosterRow`s in one transaction.
The roster's status and progress are derived from its chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone

from calculator.projection import HORIZON

HORIZON_YEARS = HORIZON // 12  # how far a row's earliest month is looked for, in the labels below
SOON_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Progress:
    status: str  # a RosterStatus value
    done: int
    total: int
    started_at: datetime | None  # when the first chunk was picked up

    @property
    def finished(self) -> bool:
        return self.status in (RosterStatus.DONE, RosterStatus.FAILED)

    @property
    def status_label(self) -> str:
        return RosterStatus(self.status).label

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total

    def seconds_left(self, now: datetime) -> int | None:
        """Time left at the pace so far; None before the first rows are done."""
        if self.started_at is None or not self.done or self.finished:
            return None
        elapsed = (now - self.started_at).total_seconds()
        return max(1, round(elapsed / self.done * (self.total - self.done)))


class RosterStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "计算失败"


class RowStatus(models.TextChoices):
    NOW = "now", "已达标"
    SOON = "soon", f"{SOON_MONTHS} 个月内达标"
    LATER = "later", f"1 到 {HORIZON_YEARS} 年内达标"
    NEVER = "never", f"{HORIZON_YEARS} 年内达不到"
    ERROR = "error", "有错误"


class RosterQuerySet(models.QuerySet):
    def live(self) -> RosterQuerySet:
        return self.filter(expires_at__gt=timezone.now(), deleted_at__isnull=True)

    def expired(self) -> RosterQuerySet:
        return self.filter(expires_at__lte=timezone.now())

    def created_by(self, client: str, since: datetime) -> RosterQuerySet:
        return self.filter(client=client, created_at__gte=since)


class Roster(models.Model):
    slug = models.CharField("标识", max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField("上传时间", default=timezone.now, editable=False, db_index=True)
    expires_at = models.DateTimeField("删除时间", editable=False, db_index=True)
    deleted_at = models.DateTimeField("已删除", null=True, blank=True, editable=False)
    client = models.CharField("来源（散列）", max_length=64, editable=False, db_index=True)
    as_of = models.DateField("评估日期", editable=False)
    total = models.PositiveIntegerField("行数", editable=False)
    columns = models.JSONField("列", default=list, editable=False)  # [[vocabulary name, header as uploaded], ...]
    notices = models.JSONField("提示", default=list, editable=False)  # file-level messages, in Chinese

    objects = RosterQuerySet.as_manager()

    class Meta:
        verbose_name = "批量测算"
        verbose_name_plural = "批量测算"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.total} 行"

    def get_absolute_url(self) -> str:
        return reverse("calculator:roster", args=[self.slug])

    @property
    def gone(self) -> bool:
        return self.deleted_at is not None or self.expires_at <= timezone.now()

    def progress(self) -> Progress:
        """Rows done of total and the status, from the chunks (one query)."""
        counts = self.chunks.aggregate(
            done=Sum("done"),
            chunks=Count("pk"),
            finished=Count("pk", filter=Q(status__in=[RosterStatus.DONE, RosterStatus.FAILED])),
            failed=Count("pk", filter=Q(status=RosterStatus.FAILED)),
            started=Count("pk", filter=~Q(status=RosterStatus.QUEUED)),
            first_start=Min("started_at"),
        )
        if counts["chunks"] and counts["finished"] == counts["chunks"]:
            status = RosterStatus.FAILED if counts["failed"] else RosterStatus.DONE
        elif counts["started"]:
            status = RosterStatus.RUNNING
        else:
            status = RosterStatus.QUEUED
        return Progress(status, counts["done"] or 0, self.total, counts["first_start"])


class RosterChunk(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("序号")
    size = models.PositiveIntegerField("行数")
    inputs = models.JSONField("输入", default=list)  # [[line, {name: text}], ...], emptied once scored
    status = models.CharField("状态", max_length=8, choices=RosterStatus.choices, default=RosterStatus.QUEUED)
    done = models.PositiveIntegerField("已完成行数", default=0)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)  # workers that took it, lost ones included
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "批量测算分块"
        verbose_name_plural = "批量测算分块"
        ordering = ["roster", "number"]
        constraints = [models.UniqueConstraint(fields=["roster", "number"], name="roster_chunk_unique_number")]

    def __str__(self) -> str:
        return f"{self.roster_id} #{self.number}"


class RosterRowQuerySet(models.QuerySet):
    def with_status(self, status: str) -> RosterRowQuerySet:
        return self.filter(status=status) if status in RowStatus.values else self

    def with_errors(self) -> RosterRowQuerySet:
        return self.filter(status=RowStatus.ERROR)

    def reaching_by_month(self) -> dict[int, int]:
        """Rows not passing now by the earliest month they pass as things are."""
        rows = self.filter(status__in=[RowStatus.SOON, RowStatus.LATER]).values_list("earliest").annotate(n=Count("pk"))
        return dict(rows)

    def counts(self) -> dict[str, int]:
        return dict(self.values_list("status").annotate(n=Count("pk")).order_by())


class RosterRow(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="rows")
    chunk = models.ForeignKey(RosterChunk, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField("行号")  # in the file; the header is line 1
    ref = models.CharField("工号/备注", max_length=100, blank=True)
    cells = models.JSONField("输入", default=dict)  # {vocabulary name: text as uploaded}
    query = models.TextField("模拟器查询串", blank=True)
    errors = models.JSONField("错误", default=list)  # [[column header, message], ...]
    status = models.CharField("状态", max_length=8, choices=RowStatus.choices)
    total = models.IntegerField("总分", null=True)
    margin = models.IntegerField("差距", null=True)
    eligible = models.BooleanField("符合申请条件", null=True)
    passed = models.BooleanField("达标", default=False)
    earliest = models.IntegerField("最早达标月", null=True)  # month index
    best_action = models.CharField("最佳单项改变", max_length=200, blank=True)
    best_month = models.IntegerField("该项达标月", null=True)  # month index

    objects = RosterRowQuerySet.as_manager()

    class Meta:
        verbose_name = "批量测算行"
        verbose_name_plural = "批量测算行"
        ordering = ["roster", "line"]
        indexes = [
            models.Index(fields=["roster", "line"], name="roster_row_line"),
            models.Index(fields=["roster", "status"], name="roster_row_status"),
        ]

    def __str__(self) -> str:
        return f"{self.roster_id} 第 {self.line} 行"
