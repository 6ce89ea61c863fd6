"""The simulator page and its fragment, the score API and the rules page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from calculator import simulation
from calculator.forms import MAX_QUERY_LENGTH, ProfileForm
from calculator.policy import rules_context


def _too_long(request: HttpRequest) -> bool:
    return len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH


@require_GET
def simulator(request: HttpRequest) -> HttpResponse:
    """The form at `/`; with HX-Request only the result fragment (and its out-of-band parts)."""
    data = QueryDict() if _too_long(request) else request.GET
    if request.htmx:
        context = simulation.run(data, too_long=_too_long(request), htmx=True)
    else:
        context = simulation.advice_context(data) if not _too_long(request) else simulation.run(data, too_long=True)
    template = "calculator/_result.html" if request.htmx else "calculator/simulator.html"
    response = render(request, template, context)
    if request.htmx and context["valid"]:
        response["HX-Replace-Url"] = context["url"]
    patch_vary_headers(response, ["HX-Request"])
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
        return JsonResponse({"errors": {"query": [f"查询参数过长（最多 {MAX_QUERY_LENGTH} 个字符）。"]}}, status=400)
    context = simulation.run(request.GET)
    if not context["valid"]:
        # An empty query is a blank page but, for the API, a request without the required fields.
        form = context["form"] if context["bound"] else ProfileForm(request.GET)
        return JsonResponse({"errors": form.errors_json()}, status=400)
    return JsonResponse(context["result"].as_dict(), json_dumps_params={"ensure_ascii": False})


@require_GET
def advice_fragment(request: HttpRequest) -> HttpResponse:
    """The path to 120 under the result, loaded after it so that typing stays fast."""
    data = QueryDict() if _too_long(request) else request.GET
    return render(request, "calculator/_advice.html", simulation.advice_context(data))


@require_GET
def api_advice(request: HttpRequest) -> JsonResponse:
    """GET /api/advice?<vocabulary> -> the projection series, the earliest month and ranked actions."""
    if _too_long(request):
        return JsonResponse({"errors": {"query": [f"查询参数过长（最多 {MAX_QUERY_LENGTH} 个字符）。"]}}, status=400)
    context = simulation.advice_context(request.GET)
    if context["advice"] is None:
        return JsonResponse({"errors": context["form"].errors_json()}, status=400)
    return JsonResponse(simulation.advice_json(context), json_dumps_params={"ensure_ascii": False})


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """/rules/: the edition in force and the average wages, from the same Policy the engine reads."""
    return render(request, "calculator/rules.html", rules_context())
