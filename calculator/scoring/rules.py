"""The policy: every number of RULES.md, as data. One frozen `Policy` per edition (built from the
database by calculator/policy.py); the scoring takes every number from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class AverageWage:
    """本市上年度职工社会平均工资 in force for the contribution months start..end (inclusive)."""

    start: int
    end: int
    average: int
    ceiling: int
    floor: int
    source: str = ""


@dataclass(frozen=True, slots=True)
class BaseTier:
    """第六条 加分 缴费基数: `points` when, in the last `window` months, at least `months` months
    had a base >= `multiple` × the average in force for that month."""

    points: int
    multiple: Decimal
    window: int
    months: int


@dataclass(frozen=True, slots=True)
class YearRate:
    """An indicator paid per full year: nothing below `min_years`, then `points_per_year` × years."""

    points_per_year: int
    min_years: int = 0
    cap: int | None = None


@dataclass(frozen=True, slots=True)
class AgeRule:
    """第六条(一) 年龄: `base_points` from `base_from` to `max_age`; +`per_year` per year younger, to `cap`."""

    min_age: int
    base_from: int
    max_age: int
    base_points: int
    per_year: int
    cap: int


@dataclass(frozen=True, slots=True)
class Deduction:
    """第七条 减分: `points` (negative) per record within the last `window_years` years."""

    points: int
    window_years: int


@dataclass(frozen=True, slots=True)
class Policy:
    edition: str
    document: str
    effective_from: date
    written_until: date | None  # the 办法's own stated end of validity, if it states one
    threshold: int
    age: AgeRule
    education_points: Mapping[str, int]
    tier_points: Mapping[str, int]
    base_test_tiers: frozenset[str]
    base_test_multiple: Decimal
    base_test_window: int
    base_test_months: int
    si_years: YearRate  # per full 12 months of contributions
    base_tiers: tuple[BaseTier, ...]
    shortage_major_points: int
    investment_tax_step: int
    investment_hires_step: int
    investment_points_per_step: int
    investment_cap: int
    investment_years: int  # the look-back of the average tax and hires
    public_service: YearRate
    remote_area: YearRate
    lingang: YearRate
    fresh_graduate_points: int
    fresh_graduate_months: int  # the projection keeps 应届 status this many months
    spouse: YearRate
    award_points: Mapping[str, int]
    talent_points: int
    deductions: Mapping[str, Deduction]  # false_material, detention, crime
    eligibility_months: int  # at least this many SI months ...
    eligibility_window: int  # ... in the last this many months
    averages: tuple[AverageWage, ...] = field(default=())
