"""The /rules/ page: the same Policy, laid out as RULES.md's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from calculator import labels, models
from calculator import policy as policies
from calculator.cache import cached
from calculator.scoring import (
    AverageWage,
    Policy,
    Profile,
    age_line,
    base_multiples,
    decimal_text,
    month_of,
)
from calculator.wages import Threshold, WagePeriod, thresholds


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """/rules/: the edition in force and the average wages, from the same Policy the engine reads."""
    return render(request, "calculator/rules.html", rules_context(policies.today()))


@dataclass(frozen=True, slots=True)
class WageRow(WagePeriod):
    wage: AverageWage
    confidence: str
    thresholds: tuple[Threshold, ...]


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
        "indicator": labels.INDICATOR,
        "year_rate": labels.YEAR_RATE,
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
            WageRow(wage, confidence.get(wage.start, ""), thresholds(policy, wage)) for wage in policy.averages
        ),
    }
