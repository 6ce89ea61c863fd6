"""Roster mode's JSON API: POST /api/roster stores a roster, GET /api/roster/<id> reads its progress and
rows."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from calculator import roster
from calculator.models import Roster
from calculator.views.roster import accept, private
from jifen_site.http import JsonResponse


@csrf_exempt
@require_POST
@private
def api_upload(request: HttpRequest) -> JsonResponse:
    """POST /api/roster (multipart: file, optional as_of) -> 202 with the roster's id and address."""
    form = roster.UploadForm(request.POST, request.FILES)
    accepted = accept(request, form)
    if not isinstance(accepted, Roster):
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=accepted, json_dumps_params={"ensure_ascii": False})
    body = {
        "id": accepted.slug,
        "url": request.build_absolute_uri(accepted.get_absolute_url()),
        "status": accepted.progress().status,
        "total": accepted.total,
    }
    return JsonResponse(body, status=202, json_dumps_params={"ensure_ascii": False})


@require_GET
@private
def api_detail(request: HttpRequest, slug: str) -> JsonResponse:
    """GET /api/roster/<id>[?after=<line>] -> the status, the progress, the summary and the rows scored so far
    after that file line, a page at a time (`next` is the address of the following page, or null)."""
    found = roster.find(slug)
    if found is None or found.gone:
        message = "找不到这份名单。" if found is None else "这份名单已删除。"
        return JsonResponse({"errors": {"id": [message]}}, status=404 if found is None else 410)
    after = (request.GET.get("after") or "0").strip()
    if not after.isascii() or not after.isdigit() or len(after) > 9:
        message = "after 须是文件中的行号（非负整数），即上一页最后一行的 row；第一页不带 after。"
        return JsonResponse({"errors": {"after": [message]}}, status=400, json_dumps_params={"ensure_ascii": False})
    body = roster.as_json(found, request.build_absolute_uri("/")[:-1], int(after))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
