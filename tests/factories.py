"""Test data built by hand from RULES.md (not from the fixtures: the tests check one against the other),
and the inputs several test files share."""

import csv
import io
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
        "written_until": date(2022, 12, 31),
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


# ---------------------------------------------------------------------------------------------
# Rosters: rows with the variety of a real employer's staff


def roster_rows(count: int, as_of: date, certificates: tuple[str, ...] = (), seed: int = 13) -> list[dict[str, str]]:
    """`count` roster rows as {vocabulary name: cell text}: ages 22-58 (birth month or age), the usual
    spread of education, a quarter holding a certificate, one to three SI periods with bases from the
    floor to the ceiling, and now and then a spouse, 临港, an award, a deduction."""
    import random

    rng = random.Random(seed)
    educations = ["none", "junior_college", "bachelor", "bachelor_degree", "master", "doctor"]
    now = month_index(as_of.year, as_of.month)
    rows = []
    for n in range(count):
        age = min(58, max(22, int(rng.gauss(33, 7))))
        row = {"ref": f"E{n + 1:05d}"}
        birth = now - age * 12 - rng.randrange(12)
        if rng.random() < 0.7:
            row["birth"] = f"{birth // 12:04d}-{birth % 12 + 1:02d}"
        else:
            row["age"] = str(age)
        row["education"] = rng.choices(educations, weights=[6, 25, 10, 42, 14, 3])[0]
        if certificates and rng.random() < 0.25:
            row["certificate"] = rng.choice(certificates)
            row["cert_job_match"] = "是" if rng.random() < 0.85 else "否"
            row["cert_in_shanghai"] = "是" if rng.random() < 0.9 else "否"
            row["cert_registered"] = "是" if rng.random() < 0.5 else ""
        row["si"] = _roster_si(rng, now, age)
        if rng.random() < 0.15:
            row["spouse_years"] = str(rng.randint(1, 12))
        if rng.random() < 0.04:
            row["lingang_years"] = str(rng.randint(1, 8))
        if rng.random() < 0.05 and row["education"] != "none":
            row["shortage_major"] = "是"
        if age <= 24 and rng.random() < 0.3:
            row["fresh_graduate"] = "是"
        if rng.random() < 0.01:
            row["award"] = rng.choice(["市级机关专项性表彰奖励", "市级机关综合性表彰奖励"])
        if rng.random() < 0.005:
            row["detention"] = "1"
        rows.append(row)
    return rows


def _roster_si(rng, now: int, age: int) -> str:
    years = max(0.5, min(age - 21, rng.expovariate(1 / 5)))
    start = now - max(6, int(years * 12))
    parts = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
    bounds = sorted(rng.sample(range(start + 1, now), min(parts - 1, max(now - start - 1, 0))))
    multiple = rng.choices([0.65, 0.9, 1.2, 1.6, 2.3, 3.5], weights=[15, 15, 25, 20, 15, 10])[0]
    periods, begin = [], start
    for end in [*bounds, None]:
        base = "max" if multiple >= 3 else str(round(multiple * 12434 * rng.uniform(0.85, 1.1), -1))[:-2]
        label = f"{begin // 12:04d}-{begin % 12 + 1:02d}"
        if end is None:
            periods.append(f"{label}~至今:{base}")
        else:
            periods.append(f"{label}~{(end - 1) // 12:04d}-{(end - 1) % 12 + 1:02d}:{base}")
            begin = end
        multiple = min(3.5, multiple * rng.uniform(1.0, 1.3))
    return "; ".join(periods)


def roster_file(rows: list[dict[str, str]], kind: str = "xlsx", names: bool = False) -> bytes:
    """Rows as an upload: XLSX, or CSV in UTF-8 with BOM ("csv"), UTF-8 without ("csv-utf8") or GB18030,
    headed by the template's Chinese labels (or the vocabulary's names)."""
    from calculator.roster.columns import COLUMNS

    used = [c for c in COLUMNS if any(c.name in row for row in rows)]
    headers = [c.name if names else c.header for c in used]
    values = [[row.get(c.name, "") for c in used] for row in rows]
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in values:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(values)
    encoding = {"csv": "utf-8-sig", "csv-utf8": "utf-8", "gb18030": "gb18030"}[kind]
    return text.getvalue().encode(encoding)
