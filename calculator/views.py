"""The simulator page and its fragments, the score and advice APIs, the rules page and sharing.

The views are thin; what only a page shows (options, period rows for redisplay, the wage thresholds,
the no-JavaScript certificate search, the actions' links) is built by the helpers below them, from one
`Simulation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from calculator import certificates, labels, models, periods, preparation, sharing, vocabulary
from calculator import policy as policies
from calculator.actions import Action, Advice, advise
from calculator.breakdown import Breakdown
from calculator.cache import cached
from calculator.forms import MAX_QUERY_LENGTH, ProfileForm
from calculator.scoring import AverageWage, Policy, Profile, age_line, base_multiples, month_label, month_of, wage_for
from calculator.simulation import Simulation, simulate
from jifen_site.http import JsonResponse
from jifen_site.links import url as url_of

TOO_LONG = "查询参数过长，请减少社保缴费期间的数量后重试。"
NO_DATES = "按目前情况推算期内达不到标准分值，也没有填写居住证到期月份：没有可以加入日历的日期。"
FRAGMENT_CACHE_SIZE = 1000  # about 15 KB each: at most ~15 MB per process
SEARCH_LIMIT = 30
# Fields whose message the result fragment refreshes out of band (the ones always on the page).
LIVE_ERROR_FIELDS = frozenset(
    {"age", "education", "certificate", "as_of", "invest_tax", "invest_hires", "public_service_years",
     "remote_years", "lingang_years", "spouse_years", "award", "talent", "false_material", "detention", "crime",
     "permit_expires"}
)  # fmt: skip


def _too_long(request: HttpRequest) -> bool:
    return len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH


@require_GET
def simulator(request: HttpRequest) -> HttpResponse:
    """The form at `/`; with HX-Request only the result fragment (and its out-of-band parts)."""
    if request.htmx:
        response = _cached_fragment(request) if settings.JIFEN_FRAGMENT_CACHE else _result_fragment(request)
    else:
        sim = simulate(_page_data(request))
        context = {**page_context(request, sim), **advice_context(sim)}
        context["result_html"] = fragment_html("calculator/_result.jinja", context, request)
        context["si_counts_html"] = fragment_html("calculator/_si_counts.jinja", context, request)
        response = render(request, "calculator/simulator.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def certificate_detail(request: HttpRequest) -> HttpResponse:
    """The picked certificate with the conditions that apply to it (swapped in by the picker)."""
    sim = simulate(request.GET)
    context = {"form": sim.form, "policy": sim.policy, "certificate": _picked(sim, request.GET)}
    return render(request, "calculator/_certificate.html", context)


@require_GET
def api_score(request: HttpRequest) -> JsonResponse:
    """GET /api/score?<vocabulary> -> the result as JSON, or 400 with Chinese messages per field."""
    sim = None if _too_long(request) else simulate(request.GET)
    found = preparation.checklist_of(sim) if sim is not None else None
    if sim is None or found is None:
        return _errors(request, sim)
    return JsonResponse(preparation.score_json(sim, found), json_dumps_params={"ensure_ascii": False})


def _errors(request: HttpRequest, sim: Simulation | None) -> JsonResponse:
    """400 with Chinese messages per field. Without a bound form (an empty query is a blank page but,
    for the API, a request without the required fields) the query is validated here."""
    if sim is None:
        return JsonResponse({"errors": {"query": [f"查询参数过长（最多 {MAX_QUERY_LENGTH} 个字符）。"]}}, status=400)
    form = sim.form if sim.form.is_bound else ProfileForm(QueryDict(), policy=sim.policy)
    return JsonResponse({"errors": form.errors_json()}, status=400)


@require_GET
def advice_fragment(request: HttpRequest) -> HttpResponse:
    """The path to 120 under the result, loaded after it so that typing stays fast."""
    sim = simulate(QueryDict() if _too_long(request) else request.GET, explained=False)
    context = {"policy": sim.policy, **advice_context(sim)}
    return render(request, "calculator/_advice.jinja", context, using="jinja2")


@require_GET
def api_advice(request: HttpRequest) -> JsonResponse:
    """GET /api/advice?<vocabulary> -> the projection series, the earliest month and ranked actions."""
    sim = None if _too_long(request) else simulate(request.GET, explained=False)
    if sim is None or sim.result is None:
        return _errors(request, sim)
    return JsonResponse(advice_json(sim, advice_context(sim)), json_dumps_params={"ensure_ascii": False})


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """GET /calendar.ics?<vocabulary> -> 加入日历: the earliest month at the standard score and the
    居住证 reminder; 400 with Chinese messages when the inputs are invalid or give neither date."""
    sim = None if _too_long(request) else simulate(request.GET)
    if sim is None or not sim.valid:
        return _errors(request, sim)
    ics = preparation.calendar_file(sim)
    if ics is None:
        return JsonResponse({"errors": {"calendar": [NO_DATES]}}, status=400)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jifen.ics"'
    return response


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """/rules/: the edition in force and the average wages, from the same Policy the engine reads."""
    return render(request, "calculator/rules.html", rules_context(policies.today()))


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
    return render(request, "calculator/shared.html", {"page": shared_page(request, snapshot)})


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


# ---------------------------------------------------------------------------------------------
# The simulator page


def fragment_html(name: str, context: dict, request: HttpRequest | None = None) -> SafeString:
    """A Jinja2 fragment (autoescaped) rendered for a Django template page to place as it is."""
    return mark_safe(render_to_string(name, context, request, using="jinja2"))  # noqa: S308


def _page_data(request: HttpRequest) -> QueryDict:
    """The page's query, with the no-JavaScript 删除 button applied (SI row `remove_row` left out)."""
    if _too_long(request):
        return QueryDict()
    data = request.GET
    index = periods.digits(data.get("remove_row", ""), 3)
    if index is None:
        return data
    kept = data.copy()
    for key in (*vocabulary.SI_FIELDS, "remove_row"):
        kept.pop(key, None)
    for key, value in periods.without_row(data, index):
        kept.appendlist(key, value)
    return kept


@dataclass(frozen=True, slots=True)
class Picked:
    """A catalogue entry as the picker shows it: with its points and conditions in the edition in force."""

    entry: certificates.Entry
    points: int | None
    needs_base_test: bool


def _picked_entry(entry: certificates.Entry, policy: Policy | None) -> Picked:
    if policy is None:
        return Picked(entry, None, False)
    return Picked(entry, policy.tier_points.get(entry.tier), entry.tier in policy.base_test_tiers)


def _picked(sim: Simulation, data: QueryDict) -> Picked | None:
    """The certificate named in `data`, whether or not the rest is valid."""
    entry = sim.form.certificate_entry
    pk = periods.digits(data.get("certificate", "")) if data else None
    if entry is None and pk is not None:
        entry = certificates.entry(pk)
    return _picked_entry(entry, sim.policy) if entry else None


def page_context(request: HttpRequest, sim: Simulation) -> dict:
    """Everything the simulator page and its result fragment show beyond the Simulation itself."""
    form, data = sim.form, request.GET
    rows = list(form.period_rows) if form.is_bound else []
    if data.get("add_row") or not rows:
        rows.append(periods.PeriodRow("", "", ""))
    url = url_of("calculator:simulator")
    advice_url = url_of("calculator:advice")
    return {
        "sim": sim,
        "form": form,
        "policy": sim.policy,
        "result": sim.result,
        "breakdown": Breakdown.of(sim.result) if sim.result else None,
        "checklist": _panel(sim),
        "si_note": preparation.si_note(),
        "as_of": sim.as_of,
        "query": sim.query,
        "url": f"{url}?{sim.query}" if form.is_bound else url,
        "advice_url": f"{advice_url}?{sim.query}",
        "too_long": TOO_LONG if _too_long(request) else "",
        "period_rows": rows,
        "wage": _wage(sim.policy, sim.as_of),
        "certificate": _picked(sim, data),
        "bonuses_open": form.is_bound and form.opens(ProfileForm.BONUSES),
        "deductions_open": form.is_bound and form.opens(ProfileForm.DEDUCTIONS),
        "extras_open": form.is_bound and form.opens(ProfileForm.EXTRAS),
        "inputs": vocabulary.summary(sim.query, form.certificate_entry) if sim.result else [],
        **_certificate_search(data, bool(request.htmx), sim.policy),
    }


def _panel(sim: Simulation) -> preparation.Panel | None:
    found = preparation.checklist_of(sim)
    return preparation.Panel.of(found) if found else None


def _certificate_search(data: QueryDict, htmx: bool, policy: Policy | None) -> dict:
    """The no-JavaScript picker: the search box submits the form and a select lists the matches."""
    query = (data.get("q") or "").strip()[:50]
    if htmx or not query or (data.get("certificate") and not data.get("cert_search")):
        return {"cert_matches": [], "query_missed": ""}
    matches = [_picked_entry(entry, policy) for entry in certificates.search(query, SEARCH_LIMIT)]
    return {"cert_matches": matches, "query_missed": "" if matches else query}


@dataclass(frozen=True, slots=True)
class Threshold:
    multiple: Decimal
    amount: Decimal  # multiple × average, exact

    @property
    def multiple_text(self) -> str:
        return decimal_text(self.multiple)

    @property
    def amount_text(self) -> str:
        return decimal_text(self.amount)


@dataclass(frozen=True, slots=True)
class Wage:
    """The average wage in force for the evaluation month, with the policy's thresholds in yuan."""

    wage: AverageWage
    provisional: bool
    thresholds: tuple[Threshold, ...]

    @property
    def start(self) -> str:
        return month_label(self.wage.start)

    @property
    def end(self) -> str:
        return month_label(self.wage.end)


def decimal_text(value: Decimal) -> str:
    """Exact, without trailing zeros: 9947.20 -> '9947.2', 12434.00 -> '12434'."""
    return f"{value.normalize():f}"


def _thresholds(policy: Policy, wage: AverageWage) -> tuple[Threshold, ...]:
    return tuple(Threshold(m, m * wage.average) for m in base_multiples(policy))


def _wage(policy: Policy | None, as_of: date) -> Wage | None:
    if policy is None:
        return None
    wage, provisional = wage_for(month_of(as_of), policy.averages)
    return Wage(wage, provisional, _thresholds(policy, wage)) if wage else None


def _result_fragment(request: HttpRequest) -> HttpResponse:
    sim = simulate(_page_data(request))
    context = page_context(request, sim)
    context["live_errors"] = _live_errors(sim.form)
    response = render(request, "calculator/_result.jinja", context, using="jinja2")
    if sim.valid:
        response["HX-Replace-Url"] = f"{url_of('calculator:simulator')}?{sim.query}"
    return response


def _live_errors(form: ProfileForm) -> list[tuple[str, str]]:
    """(field, its messages) for the fields whose message the fragment refreshes out of band."""
    errors = form.errors if form.is_bound else {}
    return [(name, " ".join(errors.get(name, ()))) for name in form.fields if name in LIVE_ERROR_FIELDS]


def _cached_fragment(request: HttpRequest) -> HttpResponse:
    """The result fragment for this exact request, rendered once per process for as long as the
    policy and catalogue are unchanged (the cache lives under the data stamp) and the day is the same
    (`as_of` defaults to today). Recomputing is pure, so identical inputs need not be scored twice.
    The fragment carries no per-user data: the share form's CSRF token comes from `<body>`'s header."""
    fragments: dict = cached("simulator.fragments", dict)
    key = (request.scheme, request.get_host(), timezone.localdate(), request.META.get("QUERY_STRING", ""))
    hit = fragments.get(key)
    if hit is None:
        response = _result_fragment(request)
        if len(fragments) >= FRAGMENT_CACHE_SIZE:
            fragments.clear()
        fragments[key] = (response.content, response.get("HX-Replace-Url"))
        return response
    content, replace_url = hit
    response = HttpResponse(content)
    if replace_url:
        response["HX-Replace-Url"] = replace_url
    return response


# ---------------------------------------------------------------------------------------------
# The path to 120


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


# ---------------------------------------------------------------------------------------------
# The /rules/ page: the same Policy, laid out as RULES.md's tables


@dataclass(frozen=True, slots=True)
class WageRow:
    wage: AverageWage
    confidence: str
    thresholds: tuple[Threshold, ...]

    @property
    def start(self) -> str:
        return month_label(self.wage.start)

    @property
    def end(self) -> str:
        return month_label(self.wage.end)


def _confidence() -> dict[int, str]:
    rows = models.AverageWage.objects.values_list("start", "confidence")
    return {month_of(start): confidence for start, confidence in rows}


def age_table(policy: Policy) -> tuple[tuple[int, int], ...]:
    """(age, points) for every valid age, computed by the engine itself."""
    rule = policy.age
    return tuple((age, age_line(Profile(age=age), policy).points) for age in range(rule.min_age, rule.max_age + 1))


def rules_context(as_of: date) -> dict:
    """Template context of /rules/: the Policy in force and its tables, or the reason there is none."""
    try:
        policy = policies.get_policy(as_of)
    except policies.NoPolicy as exc:
        return {"as_of": as_of, "policy": None, "problem": str(exc)}
    confidence = cached("calculator.average_wage_confidence", _confidence)
    false_material = policy.deductions["false_material"]
    return {
        "as_of": as_of,
        "policy": policy,
        "ages": age_table(policy),
        "education": [(labels.EDUCATION.get(c, c), p) for c, p in policy.education_points.items()],
        "tiers": [(labels.TIER.get(c, c), p, c in policy.base_test_tiers) for c, p in policy.tier_points.items()],
        "awards": [(labels.AWARD.get(c, c), p) for c, p in policy.award_points.items() if c != "none"],
        "deductions": [
            (label, policy.deductions[code].points, policy.deductions[code].window_years)
            for code, label in labels.DEDUCTION.items()
        ],
        "base_tiers": [(t.points, decimal_text(t.multiple), t.window, t.months) for t in policy.base_tiers],
        "base_tier_max": max((t.points for t in policy.base_tiers), default=0),
        "base_test_multiple": decimal_text(policy.base_test_multiple),
        "false_material": -false_material.points,
        "false_material_years": false_material.window_years,
        "education_max": max(policy.education_points.values(), default=0),
        "tier_max": max(policy.tier_points.values(), default=0),
        "award_max": max(policy.award_points.values(), default=0),
        "multiples": [decimal_text(m) for m in base_multiples(policy)],
        "wages": tuple(
            WageRow(wage, confidence.get(wage.start, ""), _thresholds(policy, wage)) for wage in policy.averages
        ),
    }
