"""One simulation as the pages and the API see it: the query string in, the form, policy and result out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse, QueryDict
from django.utils import timezone

from calculator import advice, checklist, reminders
from calculator import policy as policy_data
from calculator.forms import ProfileForm, canonical_query, inputs_summary
from calculator.periods import PeriodRow, digits
from calculator.scoring import (
    AWARD_LABELS,
    DISCLAIMER,
    EDUCATION_LABELS,
    TALENT_LABELS,
    TIER_LABELS,
    AverageWage,
    Policy,
    Result,
    month_label,
    month_of,
    score,
    wage_for,
)

ERROR_FIELDS = (
    "age", "education", "certificate", "as_of", "invest_tax", "invest_hires", "public_service_years",
    "remote_years", "lingang_years", "spouse_years", "award", "talent", "false_material", "detention", "crime",
    "permit_expires",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    points: int | None
    selected: bool


FRAGMENT_CACHE_SIZE = 1000  # about 15 KB each: at most ~15 MB per process


def cached_fragment(request, render_fragment) -> HttpResponse:
    """The result fragment for this exact request, rendered once per process for as long as the
    policy and catalogue are unchanged (the cache lives under the data stamp) and the day is the same
    (`as_of` defaults to today). Recomputing is pure, so identical inputs need not be scored twice.
    The fragment carries no per-user data: the share form's CSRF token comes from `<body>`'s header."""
    fragments: dict = policy_data.cached("simulator.fragments", dict)
    key = (request.scheme, request.get_host(), timezone.localdate(), request.META.get("QUERY_STRING", ""))
    hit = fragments.get(key)
    if hit is None:
        response = render_fragment(request)
        if response.status_code == 200:
            if len(fragments) >= FRAGMENT_CACHE_SIZE:
                fragments.clear()
            fragments[key] = (response.content, response.get("HX-Replace-Url"))
        return response
    content, replace_url = hit
    response = HttpResponse(content)
    if replace_url:
        response["HX-Replace-Url"] = replace_url
    return response


def catalogue_entries() -> dict[int, dict]:
    """Every catalogue entry (active or not) by id, as the form and the page need it; cached per
    process until staff change the catalogue or the policy."""
    return policy_data.cached("catalogue.entries", _build_entries)


def _build_entries() -> dict[int, dict]:
    from catalogue.models import Certificate

    points = policy_data.tier_points() or {}
    return {cert.pk: _entry(cert, points) for cert in Certificate.objects.all()}


def _entry(cert, points: dict[str, int]) -> dict:
    """The catalogue API's shape of an entry, plus what the picker shows beside it."""
    return {
        **cert.as_json(points),
        "tier_label": TIER_LABELS.get(cert.tier, cert.tier),
        "needs_base_test": cert.needs_base_test,
    }


def catalogue_entry(pk: int) -> dict | None:
    return catalogue_entries().get(pk)


def search_catalogue(query: str, limit: int = 30) -> list[dict]:
    """Active entries matching `query`, best first (the no-JavaScript picker)."""
    from catalogue.models import Certificate

    entries = catalogue_entries()
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text; no form field cleaned this one
    return [entries[c.pk] for c in Certificate.objects.active().search(query)[:limit] if c.pk in entries]


def run(data: QueryDict, *, too_long: bool = False, htmx: bool = True) -> dict:
    """Validate the vocabulary in `data`, score it with the edition in force, and say everything the
    page shows. An empty query is a blank form, not an error. Without JavaScript, `add_row`,
    `remove_row` and `q` buttons of the form are honoured here."""
    data = _without_removed_row(data)
    bound = bool(data) or too_long
    form = ProfileForm(data if bound else None, certificates=catalogue_entry)
    valid = bound and form.is_valid()
    as_of = form.cleaned_data.get("as_of") if bound and hasattr(form, "cleaned_data") else None
    as_of = as_of or timezone.localdate()
    policy = _policy_or_error(form, as_of)
    result: Result | None = None
    found: checklist.Checklist | None = None
    if valid and policy is not None and not form.errors:
        result = score(form.to_profile(), policy, as_of)
        found = checklist_of(form, policy, as_of, result)
    else:
        valid = False
    if too_long:
        form.add_error(None, "查询参数过长，请减少社保缴费期间的数量后重试。")
    query = canonical_query(data) if bound else ""
    rows = form.period_rows if bound else []
    if data.get("add_row") or not rows:
        rows = [*rows, PeriodRow("", "", "")]
    return {
        "form": form,
        "bound": bound,
        "valid": valid,
        "result": result,
        "policy": policy,
        "as_of": as_of,
        "url": "/?" + query if bound else "/",
        "query": query,
        "period_rows": rows,
        "wage": _wage_context(policy, as_of),
        "education_options": _options(EDUCATION_LABELS, policy.education_points if policy else {}, form, "education"),
        "award_options": _options(AWARD_LABELS, policy.award_points if policy else {}, form, "award"),
        "talent_options": _options(TALENT_LABELS, _talent_points(policy), form, "talent"),
        "certificate": form.certificate_entry or _entry_for(data),
        "tier_points": dict(policy.tier_points) if policy else {},
        "tier_labels": TIER_LABELS,
        "error_fields": ERROR_FIELDS,
        "field_errors": {name: errors for name, errors in form.errors.items() if name != "__all__"},
        **_certificate_search(data, htmx),
        **(_result_context(result) if result else {}),
        "checklist": found,
        **(materials_context(found.as_dict()) if found else {}),
        "si_note": si_note(),
        "inputs": inputs_summary(query, form.certificate_entry) if result else [],
    }


def _result_context(result: Result) -> dict:
    return breakdown_context(result.as_dict())


def breakdown_context(result: dict) -> dict:
    """What the result panel shows beyond the numbers, from a result's JSON shape (a live result or a
    shared snapshot): bar geometry, groups with subtotals, the averages used, the disclaimer."""
    scale = max(result["threshold"] * 1.5, result["total"], 1)
    groups = (("basic", "基础指标"), ("bonus", "加分指标"), ("deduction", "减分指标"))
    return {
        "shortfall": -result["margin"],
        "bar": {
            "width": f"{max(result['total'], 0) / scale * 100:.1f}",
            "threshold": f"{result['threshold'] / scale * 100:.1f}",
        },
        "subtotals": result["subtotals"],
        "groups": [
            {
                "code": code,
                "title": title,
                "subtotal": result["subtotals"][code],
                "lines": [line for line in result["lines"] if line["group"] == code],
            }
            for code, title in groups
        ],
        "averages_used": result["averages_used"],
        "edition": result["policy"]["edition"],
        "effective_from": result["policy"]["effective_from"],
        "evaluated_on": result["as_of"],
        "disclaimer": DISCLAIMER,
    }


# ---------------------------------------------------------------------------------------------
# What to prepare


def checklist_texts() -> checklist.Texts:
    """The materials, checks and filing steps staff keep, cached until any of them (or the policy) is saved."""
    from calculator.models import checklist_texts as load

    return policy_data.cached("checklist.texts", load)


def checklist_of(form: ProfileForm, policy: Policy, as_of: date, result: Result) -> checklist.Checklist:
    """The materials and pre-flight checks for a valid form. The projection runs only when a check
    needs one of its months (a 居住证 expiry, or a title with the base test)."""
    profile, extras = form.to_profile(), form.to_extras()
    timing = checklist.Timing(month_of(as_of))
    if checklist.needs_timing(profile, extras, policy):
        reached = advice.project(profile, policy, as_of).reached if extras.permit_expires is not None else None
        timing = checklist.Timing(month_of(as_of), reached, advice.base_test_month(profile, policy, as_of))
    return checklist.evaluate(profile, result, extras, checklist_texts(), timing, policy)


def materials_context(shape: dict, *, si_table: bool = True) -> dict:
    """What the checklist panel shows, from its JSON shape (a live result or a shared snapshot): the
    materials grouped in their order, the checks, the filing steps. Beside a SI table the back_pay
    check is shown under it (`si_note`) instead of among the others."""
    groups: dict[str, list[dict]] = {}
    for item in shape.get("materials", []):
        groups.setdefault(item["group"], []).append(item)
    return {
        "material_groups": list(groups.items()),
        "checks": [check for check in shape.get("checks", []) if not si_table or check["code"] != "back_pay"],
        "steps": shape.get("steps", []),
        "has_checklist": "materials" in shape,
    }


def score_json(context: dict) -> dict:
    """The JSON shape of /api/score: the result, its materials and its pre-flight checks."""
    shape = context["checklist"].as_dict()
    return {**context["result"].as_dict(), "materials": shape["materials"], "checks": shape["checks"]}


def snapshot_json(context: dict) -> dict:
    """What a shared link stores: the /api/score shape and the filing steps, as they were."""
    return {**score_json(context), "steps": context["checklist"].as_dict()["steps"]}


def si_note() -> str:
    """The back_pay check, shown under the SI table whatever the answers."""
    return next((c.message for c in checklist_texts().checks if c.code == "back_pay"), "")


def calendar_file(data: QueryDict) -> tuple[bytes | None, dict]:
    """The .ics of the earliest month at the standard score and the 居住证 reminder, or None with the
    run's context when the inputs are invalid or give neither date."""
    context = run(data)
    if not context["valid"]:
        return None, context
    form, policy, as_of = context["form"], context["policy"], context["as_of"]
    profile, extras = form.to_profile(), form.to_extras()
    reached = advice.project(profile, policy, as_of).reached
    if reached is None and extras.permit_expires is None:
        return None, context
    day = advice.date_at(as_of, reached) if reached is not None else None
    ics = reminders.calendar(reached=day, permit_expires=extras.permit_expires, threshold=policy.threshold)
    return ics, context


def _certificate_search(data: QueryDict, htmx: bool) -> dict:
    """The no-JavaScript picker: the search box submits the form and a select lists the matches."""
    query = (data.get("q") or "").strip()[:50] if data else ""
    if htmx or not query or (data.get("certificate") and not data.get("cert_search")):
        return {"cert_matches": [], "query_missed": ""}
    matches = search_catalogue(query, limit=30)
    return {"cert_matches": matches, "query_missed": "" if matches else query}


def _without_removed_row(data: QueryDict) -> QueryDict:
    """The no-JavaScript 删除 button: the same query without SI row `remove_row`."""
    raw = data.get("remove_row", "") if data else ""
    index = digits(raw, 3)
    if index is None:
        return data
    copy = data.copy()
    for key in ("si_from", "si_to", "si_base"):
        values = copy.getlist(key)
        copy.setlist(key, values[:index] + values[index + 1 :])
    shifted = []
    for value in copy.getlist("si_max"):
        row = digits(value, 3)
        if row is not None and row != index:
            shifted.append(str(row - 1 if row > index else row))
    copy.setlist("si_max", shifted)
    del copy["remove_row"]
    return copy


def certificate_context(data: QueryDict) -> dict:
    """The certificate block for the id in `data`, with the conditions that apply to it."""
    policy = _safe_policy(timezone.localdate())
    return {
        "certificate": _entry_for(data),
        "form": ProfileForm(data, certificates=catalogue_entry),
        "tier_points": dict(policy.tier_points) if policy else {},
        "tier_labels": TIER_LABELS,
        "policy": policy,
    }


def _policy_or_error(form: ProfileForm, as_of: date) -> Policy | None:
    policy = _safe_policy(as_of)
    if policy is None and form.is_bound and "as_of" not in form.errors:
        form.add_error("as_of", "这个日期没有生效的积分办法，请选择 2018-01-01 以后的日期。")
    return policy


def _safe_policy(as_of: date) -> Policy | None:
    try:
        return policy_data.get_policy(as_of)
    except policy_data.NoPolicy:
        return None


def _entry_for(data: QueryDict) -> dict | None:
    """The catalogue entry named by `certificate` in `data`, whether or not the rest is valid."""
    pk = digits(data.get("certificate", "")) if data else None
    return catalogue_entry(pk) if pk is not None else None


def _options(labels: dict, points: dict, form: ProfileForm, field: str) -> list[Option]:
    current = form.data.get(field, "none") if form.is_bound else "none"
    return [Option(code, label, points.get(code), code == current) for code, label in labels.items()]


def _talent_points(policy: Policy | None) -> dict[str, int]:
    return {code: policy.talent_points for code in TALENT_LABELS if code != "none"} if policy else {}


def _wage_context(policy: Policy | None, as_of: date) -> dict | None:
    """The average wage in force for the evaluation month, with the 0.8x/1x/2x/3x thresholds in yuan."""
    if policy is None:
        return None
    wage: AverageWage | None
    wage, provisional = wage_for(month_of(as_of), policy.averages)
    if wage is None:
        return None
    return {
        "wage": wage,
        "from": month_label(wage.start),
        "to": month_label(wage.end),
        "provisional": provisional,
        "thresholds": [(m.normalize(), (m * wage.average).normalize()) for m in policy_data.multiples(policy)],
    }


# ---------------------------------------------------------------------------------------------
# Path to 120


def advice_context(data: QueryDict, *, htmx: bool = True) -> dict:
    """The projection and the ranked actions for the vocabulary in `data`, each action with the link
    that opens the simulator with exactly its inputs."""
    context = run(data, htmx=htmx)
    if not context["valid"]:
        return {**context, "advice": None}
    form, policy, as_of = context["form"], context["policy"], context["as_of"]
    result = advice.advise(form.to_profile(), policy, as_of)
    base = _query_pairs(context["query"])
    actions = [_action_view(action, base) for action in result.actions]
    dates = result.projection.reached is not None or form.cleaned_data["permit_expires"] is not None
    return {
        **context,
        "advice": result,
        "actions": actions,
        "projection": result.projection,
        "calendar": dates,
        "permit_notice_days": reminders.PERMIT_NOTICE_DAYS,
    }


def representative_certificates() -> dict[str, int]:
    """One active catalogue entry per tier, for "obtain a certificate of this tier" links: the generic
    skill level entries first (they need no registration), else any active entry of the tier."""
    return policy_data.cached("catalogue.representatives", _build_representatives)


def _build_representatives() -> dict[str, int]:
    chosen: dict[str, tuple[int, int]] = {}
    for entry in catalogue_entries().values():
        if not entry["active"] or entry["needs_registration"] or entry["tier"] == "none":
            continue
        rank = (0 if entry["kind"] == "skill" else 1, entry["id"])
        if entry["tier"] not in chosen or rank < chosen[entry["tier"]]:
            chosen[entry["tier"]] = rank
    return {tier: rank[1] for tier, rank in chosen.items()}


def _query_pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def action_query(action: advice.Action, base: list[tuple[str, str]]) -> str:
    """The current inputs with the action's parameters replaced (and its certificate mapped to a
    representative catalogue entry)."""
    from urllib.parse import urlencode

    changes = dict(action.query)
    if action.certificate_tier:
        entry = representative_certificates().get(action.certificate_tier)
        if entry is not None:
            changes["certificate"] = [str(entry)]
    replaced = set(changes)
    if replaced & {"si_from", "si_to", "si_base"}:
        replaced |= {"si_from", "si_to", "si_base", "si_max"}
    pairs = [(k, v) for k, v in base if k not in replaced]
    si = [changes.pop(key, None) for key in ("si_from", "si_to", "si_base")]
    if any(values is not None for values in si):
        froms, tos, bases = (values or [] for values in si)
        for row in zip(froms, tos, bases, strict=False):
            pairs.extend(zip(("si_from", "si_to", "si_base"), row, strict=True))
    for key, values in changes.items():
        pairs.extend((key, value) for value in values)
    return urlencode(pairs)


def _action_view(action: advice.Action, base: list[tuple[str, str]]) -> dict:
    query = action_query(action, base)
    return {
        "action": action,
        "url": "/?" + query,
        "query": query,
        "reached": month_label(action.month_reached) if action.month_reached is not None else None,
    }


def advice_json(context: dict) -> dict:
    """The JSON shape of /api/advice."""
    projection = context["projection"]

    def label(month: int | None) -> str | None:
        return month_label(month) if month is not None else None

    return {
        "as_of": context["as_of"].isoformat(),
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
                "title": view["action"].title,
                "kinds": list(view["action"].kinds),
                "changes": view["action"].query
                | ({"certificate_tier": [view["action"].certificate_tier]} if view["action"].certificate_tier else {}),
                "query": view["query"],
                "url": view["url"],
                "total": view["action"].total_now,
                "gain": view["action"].gain,
                "month": view["reached"],
                "total_at_month": view["action"].total_at_reached,
                "conditions": list(view["action"].conditions),
            }
            for view in context["actions"]
        ],
        "notes": list(context["advice"].notes),
    }
