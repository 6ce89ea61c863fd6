"""The simulator page and its fragment, the score API and the rules page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from calculator import sharing, simulation
from calculator.forms import MAX_QUERY_LENGTH, ProfileForm, inputs_summary
from calculator.models import SharedResult
from calculator.policy import rules_context
from jifen_site.http import JsonResponse


def _too_long(request: HttpRequest) -> bool:
    return len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH


@require_GET
def simulator(request: HttpRequest) -> HttpResponse:
    """The form at `/`; with HX-Request only the result fragment (and its out-of-band parts)."""
    if request.htmx:
        if settings.JIFEN_FRAGMENT_CACHE:
            response = simulation.cached_fragment(request, _result_fragment)
        else:
            response = _result_fragment(request)
    elif _too_long(request):
        response = render(request, "calculator/simulator.html", simulation.run(QueryDict(), too_long=True))
    else:
        response = render(request, "calculator/simulator.html", simulation.advice_context(request.GET, htmx=False))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _result_fragment(request: HttpRequest) -> HttpResponse:
    too_long = _too_long(request)
    context = simulation.run(QueryDict() if too_long else request.GET, too_long=too_long, htmx=True)
    response = render(request, "calculator/_result.html", context)
    if context["valid"]:
        response["HX-Replace-Url"] = context["url"]
    return response


@require_GET
def certificate_detail(request: HttpRequest) -> HttpResponse:
    """The picked certificate with the conditions that apply to it (swapped in by the picker)."""
    context = simulation.certificate_context(request.GET)
    return render(request, "calculator/_certificate.html", context)


@require_GET
def api_score(request: HttpRequest) -> JsonResponse:
    """GET /api/score?<vocabulary> -> the result as JSON, or 400 with Chinese messages per field."""
    if _too_long(request):
        return _errors(request, None)
    context = simulation.run(request.GET)
    if not context["valid"]:
        return _errors(request, context["form"] if context["bound"] else None)
    return JsonResponse(simulation.score_json(context), json_dumps_params={"ensure_ascii": False})


def _errors(request: HttpRequest, form: ProfileForm | None) -> JsonResponse:
    """400 with Chinese messages per field. Without a bound form (an empty query is a blank page but,
    for the API, a request without the required fields) the query is validated here."""
    if _too_long(request):
        return JsonResponse({"errors": {"query": [f"查询参数过长（最多 {MAX_QUERY_LENGTH} 个字符）。"]}}, status=400)
    form = form or ProfileForm(request.GET)
    return JsonResponse({"errors": form.errors_json()}, status=400)


@require_GET
def advice_fragment(request: HttpRequest) -> HttpResponse:
    """The path to 120 under the result, loaded after it so that typing stays fast."""
    data = QueryDict() if _too_long(request) else request.GET
    return render(request, "calculator/_advice.html", simulation.advice_context(data))


@require_GET
def api_advice(request: HttpRequest) -> JsonResponse:
    """GET /api/advice?<vocabulary> -> the projection series, the earliest month and ranked actions."""
    if _too_long(request):
        return _errors(request, None)
    context = simulation.advice_context(request.GET)
    if context["advice"] is None:
        return _errors(request, context["form"] if context["bound"] else None)
    return JsonResponse(simulation.advice_json(context), json_dumps_params={"ensure_ascii": False})


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """GET /calendar.ics?<vocabulary> -> 加入日历: the earliest month at the standard score and the
    居住证 reminder; 400 with Chinese messages when the inputs are invalid or give neither date."""
    if _too_long(request):
        return _errors(request, None)
    ics, context = simulation.calendar_file(request.GET)
    if ics is None:
        if not context["valid"]:
            return _errors(request, context["form"] if context["bound"] else None)
        message = "按目前情况推算期内达不到标准分值，也没有填写居住证到期月份：没有可以加入日历的日期。"
        return JsonResponse({"errors": {"calendar": [message]}}, status=400, json_dumps_params={"ensure_ascii": False})
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jifen.ics"'
    return response


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """/rules/: the edition in force and the average wages, from the same Policy the engine reads."""
    return render(request, "calculator/rules.html", rules_context())


@require_POST
def share(request: HttpRequest) -> HttpResponse:
    """Store a snapshot of the posted inputs' result and answer with its short link."""
    query = request.POST.get("query", "")
    try:
        shared = sharing.create(query, sharing.client_key(request))
    except sharing.ShareRefused as refused:
        if request.htmx:  # htmx swaps 2xx only: the message goes where the button was
            return render(request, "calculator/_share.html", {"query": query[:8000], "share_error": refused.message})
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
    snapshot = SharedResult.objects.filter(slug=slug[:32]).first()
    if snapshot is None:
        context = {"heading": "找不到这个分享链接", "message": "链接可能抄错了。分享链接由 12 个字母、数字和符号组成。"}
        return render(request, "calculator/share_gone.html", context, status=404)
    if snapshot.revoked or snapshot.expired:
        message = "这个分享链接已被撤销。" if snapshot.revoked else "这个分享链接已过期，结果不再保存。"
        return render(
            request, "calculator/share_gone.html", {"heading": "分享链接已失效", "message": message}, status=410
        )
    context = {
        "shared": snapshot,
        "result": snapshot.result,
        "created": snapshot.created_at,
        "inputs": inputs_summary(snapshot.query, snapshot.certificate),
        "share_url": request.build_absolute_uri(snapshot.get_absolute_url()),
        "new": bool(request.GET.get("new")),
        **simulation.breakdown_context(snapshot.result),
        **simulation.materials_context(snapshot.result, si_table=False),
        **sharing.compare(snapshot),
    }
    return render(request, "calculator/shared.html", context)
