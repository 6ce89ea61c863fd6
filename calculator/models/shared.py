"""Shared results: a snapshot of one result behind a short link."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from jifen_site.links import url_with


class SharedResultQuerySet(models.QuerySet):
    def live(self) -> SharedResultQuerySet:
        return self.filter(revoked=False, expires_at__gt=timezone.now())

    def expired(self) -> SharedResultQuerySet:
        return self.filter(expires_at__lte=timezone.now())

    def created_by(self, client: str, since: datetime) -> SharedResultQuerySet:
        return self.filter(client=client, created_at__gte=since)


class SharedResult(models.Model):
    """A snapshot behind a short link: the inputs, the result as computed, and the edition,
    certificate and average wages it used, copied so later edits never change what the link shows."""

    slug = models.CharField("链接标识", max_length=32, unique=True, editable=False)
    query = models.TextField("输入（查询串）", editable=False)
    result = models.JSONField("结果", editable=False)
    certificate = models.JSONField("所用证书（当时）", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False, db_index=True)
    expires_at = models.DateTimeField("过期时间", editable=False, db_index=True)
    revoked = models.BooleanField("已撤销", default=False)
    client = models.CharField("来源（散列）", max_length=64, editable=False, db_index=True)

    objects = SharedResultQuerySet.as_manager()

    class Meta:
        verbose_name = "分享的结果"
        verbose_name_plural = "分享的结果"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"/r/{self.slug}（{self.result.get('total')} 分）"

    def get_absolute_url(self) -> str:
        return url_with("calculator:shared", self.slug)

    @property
    def total(self) -> int | None:
        return self.result.get("total")

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
