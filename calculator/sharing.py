"""Shared results: a snapshot behind an unguessable short link, immutable, expiring, rate-limited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from calculator import simulation
from calculator.forms import CEILING_WORDS, MAX_QUERY_LENGTH
from calculator.models import SharedResult
from calculator.scoring import AWARD_LABELS, EDUCATION_LABELS, TALENT_LABELS

SLUG_BYTES = 9  # 12 URL-safe characters


class ShareRefused(Exception):
    """The snapshot was not stored; the message says why, in Chinese."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def client_key(request: HttpRequest) -> str:
    """A salted hash of the client address: enough to rate-limit, never the address itself."""
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def create(query: str, client: str) -> SharedResult:
    """Score `query` now and store everything the link will show, copied."""
    if len(query) > MAX_QUERY_LENGTH:
        raise ShareRefused(f"输入过长（最多 {MAX_QUERY_LENGTH} 个字符），无法分享。")
    since = timezone.now() - timedelta(hours=1)
    if SharedResult.objects.created_by(client, since).count() >= settings.JIFEN_SHARE_RATE:
        raise ShareRefused(
            f"分享太频繁了：每小时最多生成 {settings.JIFEN_SHARE_RATE} 个分享链接，请稍后再试。", status=429
        )
    context = simulation.run(QueryDict(query))
    if not context["valid"]:
        raise ShareRefused("输入有误，无法分享：" + "；".join(_messages(context["form"])))
    now = timezone.now()
    return SharedResult.objects.create(
        slug=secrets.token_urlsafe(SLUG_BYTES),
        query=context["query"],
        result=context["result"].as_dict(),
        certificate=context["certificate"],
        created_at=now,
        expires_at=now + timedelta(days=settings.JIFEN_SHARE_DAYS),
        client=client,
    )


def _messages(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    then: int
    now: int


def compare(shared: SharedResult) -> dict:
    """The same inputs scored by today's rules, catalogue and averages (on the snapshot's evaluation
    date): the new total and the lines that changed, or nothing when all is the same."""
    data = QueryDict(shared.query, mutable=True)
    data["as_of"] = shared.result["as_of"]
    context = simulation.run(data)
    if not context["valid"]:
        return {"current": None, "current_problem": "；".join(_messages(context["form"]))}
    current = context["result"].as_dict()
    before = {line["code"]: line for line in shared.result["lines"]}
    changes = [
        Change(line["label"], before[line["code"]]["points"], line["points"])
        for line in current["lines"]
        if line["code"] in before and line["points"] != before[line["code"]]["points"]
    ]
    differs = current["total"] != shared.result["total"] or bool(changes)
    return {"current": current if differs else None, "changes": changes}


def inputs_summary(query: str, certificate: dict | None) -> list[tuple[str, str]]:
    """What the applicant entered, in words, for the shared and printed page."""
    data = QueryDict(query)
    rows: list[tuple[str, str]] = []
    if data.get("birth"):
        rows.append(("出生年月", data["birth"]))
    if data.get("age"):
        rows.append(("年龄", f"{data['age']} 周岁"))
    rows.append(("最高学历", EDUCATION_LABELS.get(data.get("education", "none"), "大专以下")))
    if certificate:
        rows.append(("证书", f"{certificate['name']}（{certificate['series']} · {certificate['level']}）"))
    periods = []
    for start, end, base in zip(data.getlist("si_from"), data.getlist("si_to"), data.getlist("si_base"), strict=False):
        amount = "封顶" if base.lower() in CEILING_WORDS else f"{base} 元"
        periods.append(f"{start} 至 {end or '至今'}：{amount}")
    rows.append(("社保缴费", "；".join(periods) if periods else "未填写"))
    numbers = {
        "invest_tax": ("年均纳税", "元"),
        "invest_hires": ("年均聘用本市户籍", "人"),
        "public_service_years": ("公共服务领域", "年"),
        "remote_years": ("远郊重点区域", "年"),
        "lingang_years": ("临港新片区", "年"),
        "spouse_years": ("与本市户籍配偶结婚", "年"),
        "false_material": ("虚假材料", "次"),
        "detention": ("行政拘留", "次"),
        "crime": ("一般刑事犯罪", "次"),
    }
    for key, (label, unit) in numbers.items():
        if data.get(key, "0") not in ("", "0"):
            rows.append((label, f"{data[key]} {unit}"))
    flags = {"shortage_major": "紧缺急需专业", "fresh_graduate": "应届高校毕业生"}
    rows.extend((label, "是") for key, label in flags.items() if data.get(key))
    if data.get("award", "none") != "none":
        rows.append(("表彰奖励", AWARD_LABELS.get(data["award"], data["award"])))
    if data.get("talent", "none") != "none":
        rows.append(("人才类别", TALENT_LABELS.get(data["talent"], data["talent"])))
    if data.get("as_of"):
        rows.append(("评估日期", data["as_of"]))
    return rows
