"""/api/score, and what the JSON entry points share: the query's length limit, checked before anything
is read, and the 400 with Chinese messages per field."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.views.decorators.http import require_GET

from calculator import preparation
from calculator.forms import MAX_QUERY_LENGTH, ProfileForm
from calculator.simulation import Simulation, simulate
from jifen_site.http import JsonResponse


def too_long(request: HttpRequest) -> bool:
    return len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH


@require_GET
def api_score(request: HttpRequest) -> JsonResponse:
    """GET /api/score?<vocabulary> -> the result as JSON, or 400 with Chinese messages per field."""
    sim = None if too_long(request) else simulate(request.GET)
    found = preparation.checklist_of(sim) if sim is not None else None
    if sim is None or found is None:
        return errors(request, sim)
    return JsonResponse(preparation.score_json(sim, found), json_dumps_params={"ensure_ascii": False})


def errors(request: HttpRequest, sim: Simulation | None) -> JsonResponse:
    """400 with Chinese messages per field. Without a bound form (an empty query is a blank page but,
    for the API, a request without the required fields) the query is validated here."""
    if sim is None:
        return JsonResponse({"errors": {"query": [f"查询参数过长（最多 {MAX_QUERY_LENGTH} 个字符）。"]}}, status=400)
    form = sim.form if sim.form.is_bound else ProfileForm(QueryDict(), policy=sim.policy)
    return JsonResponse({"errors": form.errors_json()}, status=400)
