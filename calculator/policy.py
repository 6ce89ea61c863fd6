"""The one loader: database rows of the edition in force -> a frozen scoring.Policy, kept by the data
stamp's per-process cache (calculator/cache.py) until staff save. Nothing here touches the database at
import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

from calculator import models, scoring
from calculator.cache import cached

SHANGHAI = ZoneInfo("Asia/Shanghai")


class NoPolicy(LookupError):
    """No usable policy edition is in force on the evaluation date."""


class IncompletePolicy(NoPolicy):
    """The edition in force lacks a row the scoring needs (a per-year rate or a deduction)."""


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
        written_until=edition.written_until,
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
        investment_years=edition.investment_years,
        public_service=_year_rate(edition, models.YearRateCode.PUBLIC_SERVICE),
        remote_area=_year_rate(edition, models.YearRateCode.REMOTE_AREA),
        lingang=_year_rate(edition, models.YearRateCode.LINGANG),
        fresh_graduate_points=edition.fresh_graduate_points,
        fresh_graduate_months=edition.fresh_graduate_months,
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
    """Today in Shanghai, the default evaluation date: `timezone.localdate(timezone=SHANGHAI)` without
    its lookups of the active time zone (a quarter of the cost; every simulation asks)."""
    return timezone.now().astimezone(SHANGHAI).date()


def in_force(as_of: date) -> scoring.Policy | None:
    """The edition in force on `as_of`, or None when there is none (or it is incomplete)."""
    try:
        return get_policy(as_of)
    except NoPolicy:
        return None


def tier_points() -> dict[str, int] | None:
    """Points per certificate tier in the edition in force, or None while no policy is loaded."""
    try:
        return dict(get_policy(today()).tier_points)
    except NoPolicy:
        return None


def first_effective_from() -> date | None:
    """The day the earliest edition takes effect: no evaluation date before it can be scored."""
    entries = cached("calculator.policies", _load)
    return entries[0].effective_from if entries else None
