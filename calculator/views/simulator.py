"""The simulator page at `/`: the form, its result fragment (cached per process) and the certificate
picker; what only the page shows (options, period rows for redisplay, the no-JavaScript certificate
search) is built by the helpers below the views."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from calculator import certificates, periods, preparation, vocabulary, wages
from calculator.breakdown import Breakdown
from calculator.cache import cached
from calculator.forms import ProfileForm
from calculator.scoring import Policy
from calculator.simulation import Simulation, simulate
from calculator.views.advice import advice_context
from calculator.views.api import too_long
from jifen_site.links import url as url_of

TOO_LONG = "查询参数过长，请减少社保缴费期间的数量后重试。"
FRAGMENT_CACHE_SIZE = 1000  # about 15 KB each: at most ~15 MB per process
SEARCH_LIMIT = 30
# Fields whose message the result fragment refreshes out of band (the ones always on the page).
LIVE_ERROR_FIELDS = frozenset(
    {"age", "education", "certificate", "as_of", "invest_tax", "invest_hires", "public_service_years",
     "remote_years", "lingang_years", "spouse_years", "award", "talent", "false_material", "detention", "crime",
     "permit_expires"}
)  # fmt: skip


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


def fragment_html(name: str, context: dict, request: HttpRequest | None = None) -> SafeString:
    """A Jinja2 fragment (autoescaped) rendered for a Django template page to place as it is."""
    return mark_safe(render_to_string(name, context, request, using="jinja2"))  # noqa: S308


def _page_data(request: HttpRequest) -> QueryDict:
    """The page's query, with the no-JavaScript 删除 button applied (SI row `remove_row` left out)."""
    if too_long(request):
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


def result_context(request: HttpRequest, sim: Simulation) -> dict:
    """What the result fragment shows beyond the Simulation itself (on every keystroke: nothing more)."""
    form = sim.form
    url = url_of("calculator:simulator")
    return {
        "form": form,
        "policy": sim.policy,
        "result": sim.result,
        "breakdown": Breakdown.of(sim.result) if sim.result else None,
        "checklist": _panel(sim),
        "query": sim.query,
        "url": f"{url}?{sim.query}" if form.is_bound else url,
        "advice_url": f"{url_of('calculator:advice')}?{sim.query}",
        "too_long": TOO_LONG if too_long(request) else "",
        "wage": wages.in_force(sim.policy, sim.as_of),
        "inputs": vocabulary.summary(sim.data, form.certificate_entry, form.period_rows) if sim.result else [],
    }


def page_context(request: HttpRequest, sim: Simulation) -> dict:
    """The result's context and what only the whole page shows: the form's period rows, the picked
    certificate, which folded groups open, the no-JavaScript certificate search."""
    form, data = sim.form, request.GET
    rows = list(form.period_rows) if form.is_bound else []
    if data.get("add_row") or not rows:
        rows.append(periods.PeriodRow("", "", ""))
    return {
        **result_context(request, sim),
        "sim": sim,
        "si_note": preparation.si_note(),
        "as_of": sim.as_of,
        "period_rows": rows,
        "certificate": _picked(sim, data),
        "bonuses_open": form.is_bound and form.opens(ProfileForm.BONUSES),
        "deductions_open": form.is_bound and form.opens(ProfileForm.DEDUCTIONS),
        "extras_open": form.is_bound and form.opens(ProfileForm.EXTRAS),
        **_certificate_search(data, sim.policy),
    }


def _panel(sim: Simulation) -> preparation.Panel | None:
    found = preparation.checklist_of(sim)
    return preparation.Panel.of(found) if found else None


def _certificate_search(data: QueryDict, policy: Policy | None) -> dict:
    """The no-JavaScript picker: the search box submits the form and a select lists the matches."""
    query = (data.get("q") or "").strip()[:50]
    if not query or (data.get("certificate") and not data.get("cert_search")):
        return {"cert_matches": [], "query_missed": ""}
    matches = [_picked_entry(entry, policy) for entry in certificates.search(query, SEARCH_LIMIT)]
    return {"cert_matches": matches, "query_missed": "" if matches else query}


def _result_fragment(request: HttpRequest) -> HttpResponse:
    sim = simulate(_page_data(request))
    context = result_context(request, sim)
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
