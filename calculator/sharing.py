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
from calculator.forms import MAX_QUERY_LENGTH
from calculator.models import SharedResult

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
        result=simulation.snapshot_json(context),
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
