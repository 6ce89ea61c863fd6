"""Sharing: the POST that stores a snapshot and answers with its short link, /r/<slug> and the shared
page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from calculator import models, preparation, sharing, vocabulary
from calculator.breakdown import Breakdown
from jifen_site import layout


@require_POST
def share(request: HttpRequest) -> HttpResponse:
    """Store a snapshot of the posted inputs' result and answer with its short link."""
    query = request.POST.get("query", "")
    try:
        shared = sharing.create(query, sharing.client_key(request))
    except sharing.ShareRefused as refused:
        if request.htmx:  # htmx swaps 2xx only: the message goes where the button was
            context = {"query": query[:8000], "share_error": refused.message}
            return render(request, "calculator/_share.jinja", context, using="jinja2")
        context = {"message": refused.message, "query": query[:8000]}
        return render(request, "calculator/share_refused.html", context, status=refused.status)
    if not request.htmx:
        return redirect(shared.get_absolute_url() + "?new=1", permanent=False)
    context = {
        "url": request.build_absolute_uri(shared.get_absolute_url()),
        "path": shared.get_absolute_url(),
        "days": settings.JIFEN_SHARE_DAYS,
    }
    return render(request, "calculator/_share_link.html", context)


@require_GET
def shared(request: HttpRequest, slug: str) -> HttpResponse:
    """/r/<slug>: the stored result, read-only, and today's result when it differs."""
    snapshot = sharing.find(slug[:32])
    again = {"again": "calculator:simulator", "again_label": "重新模拟打分"}
    if snapshot is None:
        context = {"heading": "找不到这个分享链接", "message": "链接可能抄错了。分享链接由 12 个字母、数字和符号组成。"}
        return render(request, "calculator/gone.html", {**context, **again}, status=404)
    if snapshot.revoked or snapshot.expired:
        message = "这个分享链接已被撤销。" if snapshot.revoked else "这个分享链接已过期，结果不再保存。"
        context = {"heading": "分享链接已失效", "message": message}
        return render(request, "calculator/gone.html", {**context, **again}, status=410)
    return HttpResponse(layout.page("calculator/shared.html", shared_page(request, snapshot), request))


@dataclass(frozen=True, slots=True)
class SharedPage:
    """The shared page's head blocks and body, for shared.html to place in base.html's blocks."""

    title: SafeString
    description: SafeString
    meta: SafeString
    body: SafeString


def shared_page(request: HttpRequest, snapshot: models.SharedResult) -> SharedPage:
    """The page rendered (autoescaped) by one Jinja2 template: its top-level blocks of {% set %} are
    the head's, its output the body."""
    context = {
        "breakdown": Breakdown.stored(snapshot.result),
        "checklist": preparation.Panel.stored(snapshot.result),
        "created": timezone.localtime(snapshot.created_at),
        "inputs": vocabulary.summary(snapshot.query, sharing.stored_certificate(snapshot)),
        "query": snapshot.query,
        "share_url": request.build_absolute_uri(snapshot.get_absolute_url()),
        "new": bool(request.GET.get("new")),
        **sharing.compare(snapshot),
    }
    page = engines["jinja2"].env.get_template("calculator/_shared.jinja").make_module(context)
    parts = (page.title, page.description, page.meta, page)
    return SharedPage(*(mark_safe(str(part)) for part in parts))  # noqa: S308
