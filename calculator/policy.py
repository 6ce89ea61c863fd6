"""The one loader: database rows of the edition in force -> a frozen scoring.Policy (cached).

Every built value is kept per process and stays valid while the data stamp (`DataVersion`, one row
in the database) is unchanged. Saving or deleting any policy or catalogue row bumps the stamp
(signals wired in CalculatorConfig.ready), so every process notices on its next read. Inside an HTTP
request the stamp is read at most once, so a warm request that needs the policy and the catalogue costs
exactly one query. Nothing here touches the database at import time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from calculator import models, scoring

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")


class NoPolicy(LookupError):
    """No usable policy edition is in force on the evaluation date."""


class IncompletePolicy(NoPolicy):
    """The edition in force lacks a row the scoring needs (a per-year rate or a deduction)."""


# ---------------------------------------------------------------------------------------------
# The stamp and the per-process cache

_scope = threading.local()  # .depth: nesting of snapshot(); .stamp: the stamp read in it, or None
_cache: tuple[int | None, dict[str, Any]] = (None, {})


def current_version() -> int:
    """The data stamp in the database (one query); 0 before anything was ever saved."""
    version = models.DataVersion.objects.values_list("version", flat=True).order_by("pk").first()
    return version or 0


def bump_version() -> None:
    """Mark every process's cached policy and catalogue as stale (call after bulk updates that send
    no signals, e.g. QuerySet.update)."""
    global _cache
    _cache = (None, {})
    _scope.stamp = None
    if not models.DataVersion.objects.update(version=F("version") + 1):
        _, created = models.DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
        if not created:
            models.DataVersion.objects.update(version=F("version") + 1)


def data_changed(**kwargs: Any) -> None:
    """Signal receiver for post_save, post_delete and m2m_changed of policy and catalogue models."""
    bump_version()


@contextmanager
def snapshot() -> Iterator[None]:
    """Within this block the stamp is read at most once: every `cached` value comes from one stamp.
    Each HTTP request runs in one (request_started / request_finished)."""
    _scope.depth = getattr(_scope, "depth", 0) + 1
    if _scope.depth == 1:
        _scope.stamp = None
    try:
        yield
    finally:
        _scope.depth -= 1
        if not _scope.depth:
            _scope.stamp = None


def request_started(**kwargs: Any) -> None:
    _scope.depth = 1
    _scope.stamp = None


def request_finished(**kwargs: Any) -> None:
    _scope.depth = 0
    _scope.stamp = None


def _stamp() -> int:
    if not getattr(_scope, "depth", 0):
        return current_version()
    if _scope.stamp is None:
        _scope.stamp = current_version()
    return _scope.stamp


def cached(key: str, build: Callable[[], T]) -> T:
    """`build()`, kept in this process until the data stamp changes. Use a key per value, e.g.
    "catalogue.lookup"; `build` must read only policy or catalogue data (whatever bumps the stamp)."""
    global _cache
    stamp = _stamp()
    version, values = _cache
    if version != stamp:
        values = {}
        _cache = (stamp, values)
    if key not in values:
        values[key] = build()
    return values[key]


# ---------------------------------------------------------------------------------------------
# Rows -> scoring.Policy


@dataclass(frozen=True, slots=True)
class _Entry:
    effective_from: date
    policy: scoring.Policy | None
    problem: str = ""


def _averages() -> tuple[scoring.AverageWage, ...]:
    return tuple(
        scoring.AverageWage(
            start=scoring.month_of(row.start),
            end=scoring.month_of(row.end),
            average=row.average,
            ceiling=row.ceiling,
            floor=row.floor,
            source=row.source,
        )
        for row in models.AverageWage.objects.order_by("start")
    )


def _year_rate(edition: models.PolicyEdition, code: str) -> scoring.YearRate:
    row = next(r for r in edition.year_rates.all() if r.code == code)
    return scoring.YearRate(points_per_year=row.points_per_year, min_years=row.min_years, cap=row.cap)


def _missing(edition: models.PolicyEdition) -> list[str]:
    have = {r.code for r in edition.year_rates.all()} | {d.code for d in edition.deductions.all()}
    needed = [*models.YearRateCode, *models.DeductionCode]
    return [code.label for code in needed if code.value not in have]


def _build(edition: models.PolicyEdition, averages: tuple[scoring.AverageWage, ...]) -> scoring.Policy:
    return scoring.Policy(
        edition=edition.name,
        document=edition.document,
        effective_from=edition.effective_from,
        threshold=edition.threshold,
        age=scoring.AgeRule(
            min_age=edition.age_min,
            base_from=edition.age_base_from,
            max_age=edition.age_max,
            base_points=edition.age_base_points,
            per_year=edition.age_per_year,
            cap=edition.age_cap,
        ),
        education_points={r.code: r.points for r in edition.education_points.all()},
        tier_points={r.code: r.points for r in edition.tier_points.all()},
        base_test_tiers=frozenset(r.code for r in edition.tier_points.all() if r.needs_base_test),
        base_test_multiple=edition.base_test_multiple,
        base_test_window=edition.base_test_window,
        base_test_months=edition.base_test_months,
        si_years=scoring.YearRate(
            points_per_year=edition.si_points_per_year, min_years=edition.si_min_years, cap=edition.si_cap
        ),
        base_tiers=tuple(
            scoring.BaseTier(points=r.points, multiple=r.multiple, window=r.window, months=r.months)
            for r in sorted(edition.base_tiers.all(), key=lambda r: r.points)
        ),
        shortage_major_points=edition.shortage_major_points,
        investment_tax_step=edition.investment_tax_step,
        investment_hires_step=edition.investment_hires_step,
        investment_points_per_step=edition.investment_points_per_step,
        investment_cap=edition.investment_cap,
        public_service=_year_rate(edition, models.YearRateCode.PUBLIC_SERVICE),
        remote_area=_year_rate(edition, models.YearRateCode.REMOTE_AREA),
        lingang=_year_rate(edition, models.YearRateCode.LINGANG),
        fresh_graduate_points=edition.fresh_graduate_points,
        spouse=_year_rate(edition, models.YearRateCode.SPOUSE),
        # "No award" is worth nothing in every edition; it is not a row staff could edit.
        award_points={"none": 0} | {r.code: r.points for r in edition.award_points.all()},
        talent_points=edition.talent_points,
        deductions={r.code: scoring.Deduction(r.points, r.window_years) for r in edition.deductions.all()},
        eligibility_months=edition.eligibility_months,
        eligibility_window=edition.eligibility_window,
        averages=averages,
    )


def _load() -> tuple[_Entry, ...]:
    """Every edition, oldest first, built (8 queries, whatever the number of editions)."""
    averages = _averages()
    editions = models.PolicyEdition.objects.order_by("effective_from").prefetch_related(
        "education_points", "tier_points", "base_tiers", "year_rates", "award_points", "deductions"
    )
    entries = []
    for edition in editions:
        missing = _missing(edition)
        if missing:
            problem = f"{edition} 缺少以下规则，无法计算：{'、'.join(missing)}。"
            entries.append(_Entry(edition.effective_from, None, problem))
        else:
            entries.append(_Entry(edition.effective_from, _build(edition, averages)))
    return tuple(entries)


def get_policy(as_of: date) -> scoring.Policy:
    """The edition in force on `as_of` (the latest effective on or before it) with every average
    wage; raises NoPolicy when there is none."""
    entries = cached("calculator.policies", _load)
    for entry in reversed(entries):
        if entry.effective_from <= as_of:
            if entry.policy is None:
                raise IncompletePolicy(entry.problem)
            return entry.policy
    raise NoPolicy(f"{as_of} 没有生效的积分办法版本。")


def today() -> date:
    """Today in Shanghai, the default evaluation date."""
    return timezone.localdate(timezone=SHANGHAI)


def tier_points() -> dict[str, int] | None:
    """Points per certificate tier in the edition in force, or None while no policy is loaded."""
    try:
        return dict(get_policy(today()).tier_points)
    except NoPolicy:
        return None


# ---------------------------------------------------------------------------------------------
# The /rules/ page: the same Policy, laid out as RULES.md's tables


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
class WageRow:
    wage: scoring.AverageWage
    confidence: str
    thresholds: tuple[Threshold, ...]

    @property
    def start(self) -> str:
        return scoring.month_label(self.wage.start)

    @property
    def end(self) -> str:
        return scoring.month_label(self.wage.end)


def decimal_text(value: Decimal) -> str:
    """Exact, without trailing zeros: 9947.20 -> '9947.2', 12434.00 -> '12434'."""
    return f"{value.normalize():f}"


def multiples(policy: scoring.Policy) -> tuple[Decimal, ...]:
    """Every multiple of the average wage the edition tests against, ascending (0.8, 1, 2, 3)."""
    found = {tier.multiple.normalize() for tier in policy.base_tiers}
    found.add(policy.base_test_multiple.normalize())
    return tuple(sorted(found))


def wage_rows(policy: scoring.Policy, confidence: dict[int, str]) -> tuple[WageRow, ...]:
    factors = multiples(policy)
    return tuple(
        WageRow(
            wage=wage,
            confidence=confidence.get(wage.start, ""),
            thresholds=tuple(Threshold(m, m * wage.average) for m in factors),
        )
        for wage in policy.averages
    )


def _confidence() -> dict[int, str]:
    rows = models.AverageWage.objects.values_list("start", "confidence")
    return {scoring.month_of(start): confidence for start, confidence in rows}


def age_table(policy: scoring.Policy) -> tuple[tuple[int, int], ...]:
    """(age, points) for every valid age, computed by the engine itself."""
    rule = policy.age
    return tuple(
        (age, scoring.age_line(scoring.Profile(age=age), policy).points)
        for age in range(rule.min_age, rule.max_age + 1)
    )


def rules_context(as_of: date | None = None) -> dict[str, Any]:
    """Template context of /rules/: the Policy in force and its tables, or the reason there is none."""
    as_of = as_of or today()
    try:
        policy = get_policy(as_of)
    except NoPolicy as exc:
        return {"as_of": as_of, "policy": None, "problem": str(exc)}
    return {
        "as_of": as_of,
        "policy": policy,
        "ages": age_table(policy),
        "education": [(scoring.EDUCATION_LABELS.get(c, c), p) for c, p in policy.education_points.items()],
        "tiers": [
            (scoring.TIER_LABELS.get(c, c), p, c in policy.base_test_tiers) for c, p in policy.tier_points.items()
        ],
        "awards": [(scoring.AWARD_LABELS.get(c, c), p) for c, p in policy.award_points.items() if c != "none"],
        "deductions": [
            (code.label, policy.deductions[code].points, policy.deductions[code].window_years)
            for code in models.DeductionCode
        ],
        "base_tiers": [(t.points, decimal_text(t.multiple), t.window, t.months) for t in policy.base_tiers],
        "base_tier_max": max((t.points for t in policy.base_tiers), default=0),
        "base_test_multiple": decimal_text(policy.base_test_multiple),
        "false_material": -policy.deductions["false_material"].points,
        "false_material_years": policy.deductions["false_material"].window_years,
        "education_max": max(policy.education_points.values(), default=0),
        "tier_max": max(policy.tier_points.values(), default=0),
        "award_max": max(policy.award_points.values(), default=0),
        "multiples": [decimal_text(m) for m in multiples(policy)],
        "wages": wage_rows(policy, cached("calculator.average_wage_confidence", _confidence)),
    }
