"""One roster row: the vocabulary -> a profile -> the score, the earliest month at the threshold and the
best single change. Everything a row reports comes from `ProfileForm`, `scoring.score` and
`advice.outlook`, the same code the simulator and its path to 120 run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from calculator import advice, simulation
from calculator import policy as policy_data
from calculator.forms import ProfileForm, canonical_query
from calculator.models.roster import SOON_MONTHS, RowStatus
from calculator.roster_columns import RowInput, form_errors
from calculator.scoring import Policy, month_of

NO_POLICY = "这个日期没有生效的积分办法，请选择 2018-01-01 以后的日期。"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    query: str  # the vocabulary's canonical query: opens the simulator with exactly this row's inputs
    errors: tuple[tuple[str, str], ...] = ()  # (vocabulary name, message); then nothing below is set
    status: str = RowStatus.ERROR
    total: int | None = None
    margin: int | None = None
    eligible: bool | None = None
    passed: bool = False
    earliest: int | None = None  # month index
    best_action: str = ""
    best_month: int | None = None


def score_row(row: RowInput) -> RowOutcome:
    """Validate, score and project one row (the per-row path of every roster)."""
    form = ProfileForm(row.data, certificates=simulation.catalogue_entry)
    valid = form.is_valid()
    query = canonical_query(row.data)
    errors = [*row.errors, *form_errors(form.errors_json())]
    as_of: date | None = form.cleaned_data.get("as_of") if valid else None
    policy = _policy(as_of) if as_of is not None else None
    if valid and policy is None:
        errors.append(("as_of", NO_POLICY))
    if errors or policy is None or as_of is None:
        return RowOutcome(query, tuple(dict.fromkeys(errors)))
    look = advice.outlook(form.to_profile(), policy, as_of)
    now, start = look.now, month_of(as_of)
    if now.passed:
        status = RowStatus.NOW
    elif look.reached is None:
        status = RowStatus.NEVER
    elif look.reached - start <= SOON_MONTHS:
        status = RowStatus.SOON
    else:
        status = RowStatus.LATER
    best = look.best
    return RowOutcome(
        query=query,
        status=status,
        total=now.total,
        margin=now.margin,
        eligible=now.eligible,
        passed=now.passed,
        earliest=look.reached,
        best_action=best.title if best else "",
        best_month=best.month_reached if best else None,
    )


def _policy(as_of: date) -> Policy | None:
    try:
        return policy_data.get_policy(as_of)
    except policy_data.NoPolicy:
        return None


def certificate_ids(text: str) -> list[int]:
    """Catalogue ids whose exact name or alias is `text` (active entries first, retired ones only when
    no active entry has that name)."""
    from catalogue.models import normalise

    found = policy_data.cached("roster.certificate_names", _certificate_names).get(normalise(text), [])
    active = [pk for pk, is_active in found if is_active]
    return active or [pk for pk, _ in found]


def _certificate_names() -> dict[str, list[tuple[int, bool]]]:
    from catalogue.models import Certificate

    names: dict[str, list[tuple[int, bool]]] = {}
    rows = Certificate.objects.order_by("position", "pk").values_list("pk", "active", "search_name", "search_aliases")
    for pk, active, name, aliases in rows:
        for key in dict.fromkeys([name, *aliases.split("\n")]):
            if key:
                names.setdefault(key, []).append((pk, active))
    return names
