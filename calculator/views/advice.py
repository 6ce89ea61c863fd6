"""The path to 120 under the result, /api/advice and 加入日历 (calendar.ics): the projection and the
ranked actions, each with the link that opens the simulator with it."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from calculator import certificates, preparation, vocabulary
from calculator.actions import Action, Advice, advise
from calculator.scoring import month_label
from calculator.simulation import Simulation, simulate
from calculator.views.api import errors, too_long
from jifen_site.http import JsonResponse
from jifen_site.links import url as url_of

NO_DATES = "按目前情况推算期内达不到标准分值，也没有填写居住证到期月份：没有可以加入日历的日期。"


@require_GET
def advice_fragment(request: HttpRequest) -> HttpResponse:
    """The path to 120 under the result, loaded after it so that typing stays fast."""
    sim = simulate(QueryDict() if too_long(request) else request.GET, scored=False)
    context = {"policy": sim.policy, **advice_context(sim)}
    return render(request, "calculator/_advice.jinja", context, using="jinja2")


@require_GET
def api_advice(request: HttpRequest) -> JsonResponse:
    """GET /api/advice?<vocabulary> -> the projection series, the earliest month and ranked actions."""
    sim = None if too_long(request) else simulate(request.GET, scored=False)
    if sim is None or not sim.valid:
        return errors(request, sim)
    return JsonResponse(advice_json(sim, advice_context(sim)), json_dumps_params={"ensure_ascii": False})


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """GET /calendar.ics?<vocabulary> -> 加入日历: the earliest month at the standard score and the
    居住证 reminder; 400 with Chinese messages when the inputs are invalid or give neither date."""
    sim = None if too_long(request) else simulate(request.GET)
    if sim is None or not sim.valid:
        return errors(request, sim)
    ics = preparation.calendar_file(sim)
    if ics is None:
        return JsonResponse({"errors": {"calendar": [NO_DATES]}}, status=400)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jifen.ics"'
    return response


@dataclass(frozen=True, slots=True)
class ActionLink:
    action: Action
    query: str  # the current inputs with the action's changes

    @property
    def url(self) -> str:
        return f"{url_of('calculator:simulator')}?{self.query}"

    @property
    def reached(self) -> str | None:
        return month_label(self.action.month_reached) if self.action.month_reached is not None else None


def action_query(action: Action, query: str) -> str:
    """The current inputs with the action's parameters replaced; a certificate it obtains becomes a
    representative catalogue entry of its tier."""
    params = action.query
    if action.certificate_tier:
        entry = certificates.representatives().get(action.certificate_tier)
        if entry is not None:
            params["certificate"] = [str(entry)]
    return vocabulary.with_params(query, params)


def advice_context(sim: Simulation) -> dict:
    """The projection and the ranked actions, each with the link that opens the simulator with it."""
    if sim.profile is None or sim.policy is None:
        return {"advice": None}
    advice: Advice = advise(sim.profile, sim.policy, sim.as_of)
    links = [ActionLink(action, action_query(action, sim.query)) for action in advice.actions]
    calendar = preparation.calendar_dates(sim, advice.projection.reached)
    return {"advice": advice, "actions": links, "projection": advice.projection, "calendar": calendar}


def advice_json(sim: Simulation, context: dict) -> dict:
    """The JSON shape of /api/advice."""
    projection, advice = context["projection"], context["advice"]

    def label(month: int | None) -> str | None:
        return month_label(month) if month is not None else None

    return {
        "as_of": sim.as_of.isoformat(),
        "threshold": projection.threshold,
        "projection": {
            "series": [
                {"month": month_label(p.month), "total": p.total, "passed": p.passed} for p in projection.series
            ],
            "earliest_month": label(projection.reached),
            "lost_month": label(projection.lost),
            "summary": projection.summary,
            "assumptions": list(projection.notes),
        },
        "actions": [
            {
                "title": link.action.title,
                "kinds": list(link.action.kinds),
                "changes": link.action.query
                | ({"certificate_tier": [link.action.certificate_tier]} if link.action.certificate_tier else {}),
                "query": link.query,
                "url": link.url,
                "total": link.action.total_now,
                "gain": link.action.gain,
                "month": link.reached,
                "total_at_month": link.action.total_at_reached,
                "conditions": list(link.action.conditions),
            }
            for link in context["actions"]
        ],
        "notes": list(advice.notes),
    }
