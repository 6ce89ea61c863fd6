"""Test data built by hand from RULES.md (not from the fixtures: the tests check one against the other),
and the inputs several test files share."""

from datetime import date
from decimal import Decimal

from calculator.scoring import (
    AgeRule,
    AverageWage,
    BaseTier,
    Deduction,
    Policy,
    YearRate,
    month_index,
)
from catalogue.models import Certificate, Kind, Tier

# average.csv: period start, end, average, ceiling, floor
AVERAGES = (
    ((2018, 4), (2019, 3), 7132, 21396, 4279),
    ((2019, 4), (2019, 4), 7832, 23496, 4699),
    ((2019, 5), (2020, 6), 8211, 24633, 4927),
    ((2020, 7), (2021, 6), 9339, 28017, 4927),
    ((2021, 7), (2022, 6), 10338, 31014, 5975),
    ((2022, 7), (2023, 6), 11396, 34188, 6520),
    ((2023, 7), (2024, 6), 12183, 36549, 7310),
    ((2024, 7), (2025, 6), 12307, 36921, 7384),
    ((2025, 7), (2026, 6), 12434, 37302, 7460),
)


def rules_policy(**changes) -> Policy:
    """The 2018 edition exactly as RULES.md states it."""
    values = {
        "edition": "《上海市居住证积分管理办法》",
        "document": "沪府发〔2017〕98号",
        "effective_from": date(2018, 1, 1),
        "threshold": 120,
        "age": AgeRule(min_age=16, base_from=56, max_age=60, base_points=5, per_year=2, cap=30),
        "education_points": {
            "none": 0,
            "junior_college": 50,
            "bachelor": 60,
            "bachelor_degree": 90,
            "master": 100,
            "doctor": 110,
        },
        "tier_points": {"skill_5": 15, "skill_4": 30, "skill_3": 60, "intermediate": 100, "senior": 140, "none": 0},
        "base_test_tiers": frozenset({"intermediate", "senior"}),
        "base_test_multiple": Decimal(1),
        "base_test_window": 12,
        "base_test_months": 6,
        "si_years": YearRate(points_per_year=3),
        "base_tiers": (
            BaseTier(25, Decimal("0.8"), 48, 36),
            BaseTier(50, Decimal(1), 48, 36),
            BaseTier(100, Decimal(2), 48, 36),
            BaseTier(120, Decimal(3), 36, 24),
        ),
        "shortage_major_points": 30,
        "investment_tax_step": 100_000,
        "investment_hires_step": 10,
        "investment_points_per_step": 10,
        "investment_cap": 120,
        "investment_years": 3,
        "public_service": YearRate(points_per_year=4, min_years=5),
        "remote_area": YearRate(points_per_year=2, min_years=5, cap=20),
        "lingang": YearRate(points_per_year=2, min_years=3, cap=20),
        "fresh_graduate_points": 10,
        "fresh_graduate_months": 12,
        "spouse": YearRate(points_per_year=4, cap=40),
        "award_points": {"none": 0, "municipal_special": 30, "municipal_general": 60, "national": 110},
        "talent_points": 120,
        "deductions": {
            "false_material": Deduction(-150, 3),
            "detention": Deduction(-50, 5),
            "crime": Deduction(-150, 5),
        },
        "eligibility_months": 6,
        "eligibility_window": 12,
        "averages": tuple(
            AverageWage(month_index(*start), month_index(*end), avg, ceil, floor)
            for start, end, avg, ceil, floor in AVERAGES
        ),
    }
    values.update(changes)
    return Policy(**values)


# The catalogue fixture, counted from the research CSVs (titles.csv, qualifications.csv) it was built from.
TITLES, QUALIFICATIONS, SKILL_ROWS = 247, 75, 59
EXPECTED_TIERS = {
    ("title", "senior"): 127,
    ("title", "intermediate"): 62,
    ("title", "none"): 58,
    ("qualification", "intermediate"): 58,
    ("qualification", "none"): 17,
    ("skill", "skill_5"): 1,
    ("skill", "skill_4"): 1,
    ("skill", "skill_3"): 1,
    ("skill", "intermediate"): 1,
    ("skill", "senior"): 1,
    ("skill", "none"): 6,
}
TRADES = 48
HISTORICAL_QUALIFICATIONS = 10
UNVERIFIED = {"title": 19, "qualification": 6, "trade": 9}


# A typical applicant as a query: age 30 + 本科学士 90 + 61 months of SI (15) + base >= 1x (50) + married 3 years (12)
TYPICAL = "age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=15000&spouse_years=3&as_of=2026-11-15"


def make_certificate(**fields) -> Certificate:
    defaults = {"kind": Kind.TITLE, "series": "经济", "name": "经济师", "level": "中级", "tier": Tier.INTERMEDIATE}
    return Certificate.objects.create(**{**defaults, **fields})


def names(queryset) -> list[str]:
    return [entry.name for entry in queryset]
