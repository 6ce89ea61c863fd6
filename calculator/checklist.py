"""What to prepare and what could sink the application: the materials checklist and the pre-flight checks.

Pure, like scoring.py: no Django here. The texts come from the database (staff edit them; see
calculator/models/materials.py) as frozen `Texts`; this module decides only *when* each applies, from
the applicant's profile, the scored result, the inputs that never change the score (`Extras`) and the
two months of the projection (`Timing`). A new kind of condition is a code change here.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from calculator import labels
from calculator.scoring import Policy, Profile, Result, month_cn

# ---------------------------------------------------------------------------------------------
# The closed vocabularies: their labels are calculator/labels.py's (the models' choices read them there)

UNCONFIRMED = "C"  # shown with a 待核实 tag (labels.STRENGTH)

# The values a check's message may name, as {name}; a message whose value is unknown uses its fallback.
CHECK_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "permit_expiry": frozenset({"expires", "earliest"}),
    "base_test": frozenset({"month", "multiple", "months", "window"}),
}

DEGREES = frozenset({"bachelor_degree", "master", "doctor"})
PERMIT_SOON = 3  # months: a 居住证 expiring within this many months (or already expired) is flagged


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True, slots=True)
class Extras:
    """The optional answers that never change the score; they only add checks, materials and reminders."""

    foreign_degree: bool = False
    agent_paid: bool = False
    tax_mismatch: bool = False
    archive_outside: bool = False
    permit_expires: int | None = None  # month index of the 居住证's expiry


@dataclass(frozen=True, slots=True)
class Timing:
    """Two months of the projection "如果保持现状" (calculator/projection.py): the earliest month at the
    standard score, and the month the title's base test would first hold; None: not within its horizon."""

    start: int  # the evaluation month
    reached: int | None = None
    base_test: int | None = None


@dataclass(frozen=True, slots=True)
class MaterialText:
    key: str
    group: str
    item: str
    form: str
    provider: str  # applicant, employer, system
    provider_text: str  # shown; labels.PROVIDER[provider] when staff left it empty
    condition: str
    strength: str


@dataclass(frozen=True, slots=True)
class CheckText:
    code: str
    message: str
    fallback: str  # used when a value the message names is not known
    strength: str


@dataclass(frozen=True, slots=True)
class StepText:
    key: str
    text: str
    strength: str


@dataclass(frozen=True, slots=True)
class Texts:
    """Every active text, in display order."""

    materials: tuple[MaterialText, ...] = ()
    checks: tuple[CheckText, ...] = ()
    steps: tuple[StepText, ...] = ()


# ---------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    group: str
    item: str
    form: str
    provider: str
    provider_label: str
    confirmed: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "group": labels.MATERIAL_GROUP.get(self.group, self.group),
            "item": self.item,
            "form": self.form,
            "provider": self.provider,
            "provider_label": self.provider_label,
            "confirmed": self.confirmed,
        }


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    message: str
    confirmed: bool

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "confirmed": self.confirmed}


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[Item, ...]  # 通用 first, then one group per indicator, in the order of the 办法
    checks: tuple[Check, ...]
    steps: tuple[StepText, ...]

    def as_dict(self) -> dict:
        """The `materials` and `checks` of /api/score (and the `steps` a shared link stores)."""
        return {
            "materials": [item.as_dict() for item in self.items],
            "checks": [check.as_dict() for check in self.checks],
            "steps": [step.text for step in self.steps],
        }


# ---------------------------------------------------------------------------------------------
# When an item applies


def _education_counted(profile: Profile, result: Result) -> bool:
    """学历与职称二选一: the education line is the one counted, and it is 大专 or above."""
    return result.line("education").counted and profile.education != "none"


def _counted(result: Result, *codes: str) -> bool:
    return any(result.line(code).counted and result.line(code).points > 0 for code in codes)


Condition = Callable[[Profile, Result, Extras], bool]

CONDITIONS: Mapping[str, Condition] = {
    "always": lambda p, r, x: True,
    "education_college": lambda p, r, x: _education_counted(p, r),
    "education_degree": lambda p, r, x: _education_counted(p, r) and p.education in DEGREES,
    "foreign_degree": lambda p, r, x: x.foreign_degree,
    "certificate": lambda p, r, x: p.certificate is not None,
    "certificate_registration": lambda p, r, x: p.certificate is not None and p.certificate.needs_registration,
    "certificate_outside": lambda p, r, x: p.certificate is not None and not p.certificate.in_shanghai,
    "spouse": lambda p, r, x: p.spouse_years > 0,
    "fresh_graduate": lambda p, r, x: p.fresh_graduate,
    "investment": lambda p, r, x: p.invest_tax > 0 or p.invest_hires > 0,
    "key_area": lambda p, r, x: _counted(r, "public_service", "key_area"),
    "award": lambda p, r, x: _counted(r, "award"),
    "talent": lambda p, r, x: _counted(r, "talent"),
    "agent_paid": lambda p, r, x: x.agent_paid,
    "tax_mismatch": lambda p, r, x: x.tax_mismatch,
    "archive_outside": lambda p, r, x: x.archive_outside,
    "permit_expires": lambda p, r, x: x.permit_expires is not None,
}
assert set(CONDITIONS) == set(labels.CONDITION)


def applies(condition: str, profile: Profile, result: Result, extras: Extras) -> bool:
    """Whether an item with `condition` belongs on this applicant's list (an unknown one never does)."""
    test = CONDITIONS.get(condition)
    return test is not None and test(profile, result, extras)


# ---------------------------------------------------------------------------------------------
# When a check applies, and the values its message may name


def _needs_base_test(profile: Profile, policy: Policy) -> bool:
    claim = profile.certificate
    return claim is not None and claim.active and claim.tier in policy.base_test_tiers


def _base_test_failing(profile: Profile, timing: Timing, policy: Policy) -> bool:
    """第六条(三): a title of a tier that needs the base test, and the test does not hold this month."""
    return _needs_base_test(profile, policy) and timing.base_test != timing.start


def _permit_at_risk(extras: Extras, timing: Timing) -> bool:
    """The 居住证 expires before the earliest month at the standard score, or within PERMIT_SOON months
    (or has expired)."""
    expires = extras.permit_expires
    if expires is None:
        return False
    before_reaching = timing.reached is not None and expires < timing.reached
    return before_reaching or expires <= timing.start + PERMIT_SOON


def _check_applies(code: str, profile: Profile, extras: Extras, timing: Timing, policy: Policy) -> bool:
    claim = profile.certificate
    match code:
        case "agent_paid" | "tax_mismatch" | "foreign_degree" | "archive_outside":
            return bool(getattr(extras, code))
        case "back_pay" | "employer_registered":
            return True
        case "permit_expiry":
            return _permit_at_risk(extras, timing)
        case "registration":
            return claim is not None and claim.needs_registration and not claim.registered
        case "base_test":
            return _base_test_failing(profile, timing, policy)
    return False


def _values(code: str, extras: Extras, timing: Timing, policy: Policy) -> dict[str, str]:
    def month(index: int | None) -> str | None:
        return month_cn(index) if index is not None else None

    values = {
        "permit_expiry": {"expires": month(extras.permit_expires), "earliest": month(timing.reached)},
        "base_test": {
            "month": month(timing.base_test),
            "multiple": f"{policy.base_test_multiple.normalize():f}",
            "months": str(policy.base_test_months),
            "window": str(policy.base_test_window),
        },
    }.get(code, {})
    return {name: value for name, value in values.items() if value is not None}


def placeholders(text: str) -> set[str]:
    """The {names} a message uses (raises ValueError on a malformed brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render(check: CheckText, values: Mapping[str, str]) -> str:
    """The message with its values; the fallback when the message names a value that is not known
    (or cannot be formatted)."""
    for text in (check.message, check.fallback):
        try:
            if text and placeholders(text) <= set(values):
                return text.format_map(values)
        except (ValueError, IndexError, KeyError, AttributeError):
            continue
    return check.fallback or check.message


# ---------------------------------------------------------------------------------------------
# The whole checklist


def evaluate(
    profile: Profile, result: Result, extras: Extras, texts: Texts, timing: Timing, policy: Policy
) -> Checklist:
    """The materials this applicant gathers (grouped: 通用, then each indicator in the order of the
    办法) and the checks that apply to them, each with its message."""
    order = {group: i for i, group in enumerate(labels.MATERIAL_GROUP)}
    chosen = [m for m in texts.materials if applies(m.condition, profile, result, extras)]
    chosen.sort(key=lambda m: order.get(m.group, len(order)))  # stable: staff's order within a group
    items = tuple(
        Item(
            key=m.key,
            group=m.group,
            item=m.item,
            form=m.form,
            provider=m.provider,
            provider_label=m.provider_text or labels.PROVIDER.get(m.provider, m.provider),
            confirmed=m.strength != UNCONFIRMED,
        )
        for m in chosen
    )
    checks = tuple(
        Check(c.code, render(c, _values(c.code, extras, timing, policy)), c.strength != UNCONFIRMED)
        for c in texts.checks
        if _check_applies(c.code, profile, extras, timing, policy)
    )
    return Checklist(items, checks, texts.steps)


def needs_timing(profile: Profile, extras: Extras, policy: Policy) -> bool:
    """Whether the checks need the projection: a permit expiry is given (the earliest month at the
    standard score), or a title needs the base test (the month it would hold). Only then is it run."""
    return extras.permit_expires is not None or _needs_base_test(profile, policy)
