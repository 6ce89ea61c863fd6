"""The scoring of 《上海市居住证积分管理办法》: pure functions over frozen dataclasses.

No Django here. Every number comes from a `Policy` (built from the database by calculator/policy.py);
this package holds only the algorithm. Months are whole numbers (`month_index`) so that windows are
plain arithmetic; money is whole yuan (`int`) or `Decimal`, never float.

The modules import each other directly; this one re-exports the names the rest of the project uses.
"""

from __future__ import annotations

from calculator.scoring.basic import (
    age_line,
    age_points,
    education_or_title,
    education_points,
    held_points,
    needs_base_test,
    si_year_points,
    title_points,
)
from calculator.scoring.bonus import (
    award_points,
    fresh_graduate_points,
    investment_points,
    key_area_points,
    per_year_points,
    rate_text,
    shortage_major_points,
    talent_points,
)
from calculator.scoring.contributions import (
    MonthBase,
    Recent,
    base_multiples,
    contribution_months,
    decimal_text,
    in_hundredths,
    meets,
    months_at,
    wage_for,
)
from calculator.scoring.deduction import deduction_points
from calculator.scoring.months import age_at, month_cn, month_index, month_label, month_of
from calculator.scoring.profile import CertificateClaim, Profile, SIPeriod
from calculator.scoring.result import Line, Result
from calculator.scoring.rules import AgeRule, AverageWage, BaseTier, Deduction, Policy, YearRate
from calculator.scoring.total import refusals, score

__all__ = [
    "AgeRule",
    "AverageWage",
    "BaseTier",
    "CertificateClaim",
    "Deduction",
    "Line",
    "MonthBase",
    "Recent",
    "Policy",
    "Profile",
    "Result",
    "SIPeriod",
    "YearRate",
    "age_at",
    "age_line",
    "age_points",
    "award_points",
    "base_multiples",
    "contribution_months",
    "decimal_text",
    "deduction_points",
    "education_or_title",
    "education_points",
    "fresh_graduate_points",
    "held_points",
    "in_hundredths",
    "investment_points",
    "key_area_points",
    "meets",
    "month_cn",
    "month_index",
    "month_label",
    "month_of",
    "months_at",
    "needs_base_test",
    "per_year_points",
    "rate_text",
    "refusals",
    "score",
    "shortage_major_points",
    "si_year_points",
    "talent_points",
    "title_points",
    "wage_for",
]
