"""The scoring rules as tables, without the database. Expected numbers are worked out by hand from RULES.md."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculator.scoring import (
    CertificateClaim,
    MonthBase,
    Profile,
    Recent,
    SIPeriod,
    contribution_months,
    month_index,
    months_at,
    score,
    wage_for,
)
from tests.factories import rules_policy

POLICY = rules_policy()
AS_OF = date(2026, 11, 15)  # evaluation month 2026-11; its average (2026-07 on) is not published yet


def m(text: str) -> int:
    year, month = text.split("-")
    return month_index(int(year), int(month))


def si(start: str, end: str | None, base: int | None) -> SIPeriod:
    return SIPeriod(m(start), m(end) if end else None, base)


def cert(tier: str, **conditions) -> CertificateClaim:
    values = {"job_match": True, "in_shanghai": True, "registered": False, "needs_registration": False}
    values.update(conditions)
    return CertificateClaim(name="测试证书", tier=tier, **values)


def profile(**fields) -> Profile:
    return Profile(**{"age": 30, **fields})


def points(result, code: str) -> int:
    return result.line(code).points


@pytest.mark.parametrize(
    ("age", "expected", "eligible"),
    [(16, 30, True), (30, 30, True), (43, 30, True), (44, 29, True), (45, 27, True), (50, 17, True),
     (55, 7, True), (56, 5, True), (60, 5, True), (61, 0, False), (75, 0, False)],
)  # fmt: skip
def test_age(age: int, expected: int, eligible: bool) -> None:
    result = score(profile(age=age), POLICY, AS_OF)
    assert points(result, "age") == expected
    assert result.eligible is eligible


@pytest.mark.parametrize(
    ("education", "expected"),
    [("none", 0), ("junior_college", 50), ("bachelor", 60), ("bachelor_degree", 90), ("master", 100),
     ("doctor", 110)],
)  # fmt: skip
def test_education(education: str, expected: int) -> None:
    assert points(score(profile(education=education), POLICY, AS_OF), "education") == expected


# Six months at exactly 1x the 2025-07 average (12434, used provisionally from 2026-07) end the window.
SIX_AT_1X = (si("2026-06", None, 12434),)
FIVE_AT_1X = (si("2025-01", "2026-06", 9000), si("2026-07", None, 12434))


@pytest.mark.parametrize(
    ("claim", "periods", "expected", "why"),
    [
        (cert("skill_5"), (), 15, "计 15 分"),
        (cert("skill_4"), (), 30, "计 30 分"),
        (cert("skill_3"), (), 60, "计 60 分"),
        (cert("intermediate"), SIX_AT_1X, 100, "6 个月"),
        (cert("intermediate"), FIVE_AT_1X, 0, "现只有 5 个月"),
        (cert("senior"), SIX_AT_1X, 140, "计 140 分"),
        (cert("senior"), FIVE_AT_1X, 0, "现只有 5 个月"),
        (cert("none"), SIX_AT_1X, 0, "不计分"),
        (cert("skill_3", job_match=False), (), 0, "岗位相符"),
        (cert("skill_3", in_shanghai=False), (), 0, "本市工作期间取得"),
        (cert("intermediate", needs_registration=True), SIX_AT_1X, 0, "注册"),
        (cert("intermediate", needs_registration=True, registered=True), SIX_AT_1X, 100, "计 100 分"),
        (cert("senior", active=False), SIX_AT_1X, 0, "不在现行目录"),
        (None, (), 0, "未填写"),
    ],
)
def test_certificate_conditions(claim, periods, expected: int, why: str) -> None:
    line = score(profile(certificate=claim, si_periods=periods), POLICY, AS_OF).line("certificate")
    assert line.points == expected
    assert why in line.explanation


@pytest.mark.parametrize(
    ("education", "claim", "total", "counted"),
    [
        ("master", cert("senior"), 30 + 140 + 0, "certificate"),
        ("doctor", cert("intermediate"), 30 + 110 + 0, "education"),
        ("master", cert("intermediate"), 30 + 100 + 0, "education"),  # equal: one of them, never both
        ("bachelor_degree", None, 30 + 90, "education"),
    ],
)
def test_education_or_title_counts_the_higher_only(education, claim, total, counted) -> None:
    result = score(profile(education=education, certificate=claim, si_periods=SIX_AT_1X), POLICY, AS_OF)
    # SIX_AT_1X gives 6 months: no SI-year points, no base tier.
    assert result.total == total
    assert result.line(counted).counted
    other = "education" if counted == "certificate" else "certificate"
    assert not result.line(other).counted
    assert "学历与职称二选一" in result.line("education").explanation + result.line("certificate").explanation


@pytest.mark.parametrize(
    ("periods", "as_of", "expected_months", "expected_points"),
    [
        ((si("2020-01", "2020-12", 8000),), AS_OF, 12, 3),
        ((si("2020-01", "2020-11", 8000),), AS_OF, 11, 0),
        # gaps allowed: 6 + 6 months in different years make one full year
        ((si("2019-01", "2019-06", 8000), si("2022-01", "2022-06", 8000)), AS_OF, 12, 3),
        # overlapping periods: each month once
        ((si("2024-01", "2024-12", 10000), si("2024-06", "2025-05", 20000)), AS_OF, 17, 3),
        # months after the evaluation month do not count
        ((si("2026-01", "2027-12", 8000),), AS_OF, 11, 0),
        ((si("2027-01", None, 8000),), AS_OF, 0, 0),
        # no cap: 30 years
        ((si("1996-11", None, 8000),), AS_OF, 361, 90),
    ],
)
def test_si_years(periods, as_of, expected_months, expected_points) -> None:
    result = score(profile(si_periods=periods), POLICY, as_of)
    assert result.si.months_total == expected_months
    assert points(result, "si_years") == expected_points


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        # 0.8x: 10000 >= 0.8 x every average since 2022-07 (max 0.8 x 12434 = 9947.2) but < 1x 11396
        ((si("2023-12", None, 10000),), 25),  # 36 months of the last 48
        ((si("2024-01", None, 10000),), 0),  # 35 months
        # 1x: exactly the average counts (>=, no rounding)
        ((si("2023-12", "2024-06", 12183), si("2024-07", None, 12434)), 50),  # 36 months
        ((si("2023-12", "2024-06", 12182), si("2024-07", None, 12434)), 25),  # one yuan short: 29 months
        # 2x
        ((si("2023-12", None, 25000),), 100),
        # 3x: the ceiling, 24 of the last 36 months
        ((si("2024-12", None, None),), 120),
        ((si("2025-01", None, None),), 0),  # 23 months at the ceiling, not 36 of anything
        # an amount above the ceiling is the ceiling
        ((si("2024-12", None, 999_999),), 120),
        # 3x needs the ceiling of each month: 36921 is the 2024-07 ceiling, under the 2025-07 one
        ((si("2022-12", None, 36921),), 100),  # 19 of 36 at 3x; 48 of 48 at 2x
    ],
)
def test_si_base_tiers(periods, expected) -> None:
    assert points(score(profile(si_periods=periods), POLICY, AS_OF), "si_base") == expected


def test_base_at_08x_of_one_year_but_under_the_next_year() -> None:
    # 0.8 x 12183 = 9746.4 <= 9747 < 9845.6 = 0.8 x 12307
    periods = (si("2023-07", "2025-06", 9747),)
    result = score(profile(si_periods=periods), POLICY, date(2025, 6, 30))
    assert result.si.count(Decimal("0.8"), 48) == 12
    assert points(result, "si_base") == 0


def test_base_above_ceiling_and_provisional_average_are_warned() -> None:
    result = score(profile(si_periods=(si("2025-01", None, 999_999),)), POLICY, AS_OF)
    assert any("上限" in w for w in result.warnings)
    assert any("暂定" in w for w in result.warnings)
    assert {w.start for w in result.averages_used} == {m("2024-07"), m("2025-07")}


def test_fewer_than_six_months_in_last_twelve_is_warned_not_vetoed() -> None:
    result = score(profile(si_periods=(si("2026-07", None, 12434),)), POLICY, AS_OF)
    assert any("最近 12 个月须有至少 6 个月" in w for w in result.warnings)
    assert result.eligible
    assert not any(
        "最近 12 个月须有至少 6 个月" in w for w in score(profile(si_periods=SIX_AT_1X), POLICY, AS_OF).warnings
    )


def test_overlap_takes_the_higher_base_and_says_so() -> None:
    periods = (si("2023-12", None, 10000), si("2023-12", None, 25000))
    result = score(profile(si_periods=periods), POLICY, AS_OF)
    assert points(result, "si_base") == 100
    assert result.si.months_total == 36
    assert any("重叠" in n for n in result.notes)


@pytest.mark.parametrize(
    ("fields", "code", "expected"),
    [
        ({"shortage_major": True}, "shortage_major", 30),
        ({"fresh_graduate": True}, "fresh_graduate", 10),
        ({"invest_tax": 99_999}, "investment", 0),
        ({"invest_tax": 100_000}, "investment", 10),
        ({"invest_tax": 350_000}, "investment", 30),
        ({"invest_tax": 5_000_000}, "investment", 120),  # cap
        ({"invest_hires": 9}, "investment", 0),
        ({"invest_hires": 25}, "investment", 20),
        ({"invest_tax": 200_000, "invest_hires": 40}, "investment", 40),  # the better route, not both
        ({"public_service_years": 4}, "public_service", 0),
        ({"public_service_years": 5}, "public_service", 20),
        ({"public_service_years": 12}, "public_service", 48),  # no cap
        ({"remote_years": 4}, "key_area", 0),
        ({"remote_years": 5}, "key_area", 10),
        ({"remote_years": 15}, "key_area", 20),  # cap
        ({"lingang_years": 2}, "key_area", 0),
        ({"lingang_years": 3}, "key_area", 6),
        ({"lingang_years": 30}, "key_area", 20),
        ({"remote_years": 6, "lingang_years": 8}, "key_area", 16),  # the better one, not both
        ({"spouse_years": 1}, "spouse", 4),
        ({"spouse_years": 10}, "spouse", 40),
        ({"spouse_years": 11}, "spouse", 40),  # cap
        ({"award": "municipal_special"}, "award", 30),
        ({"award": "municipal_general"}, "award", 60),
        ({"award": "national"}, "award", 110),
        ({"talent": "entrepreneur"}, "talent", 120),
        ({"talent": "intermediary"}, "talent", 120),
        ({"false_material": 1}, "false_material", -150),
        ({"false_material": 2}, "false_material", -300),
        ({"detention": 3}, "detention", -150),
        ({"crime": 1}, "crime", -150),
    ],
)
def test_bonuses_and_deductions(fields, code, expected) -> None:
    assert points(score(profile(**fields), POLICY, AS_OF), code) == expected


def test_deductions_can_make_the_total_negative() -> None:
    result = score(profile(false_material=1, detention=1), POLICY, AS_OF)
    assert result.total == 30 - 150 - 50
    assert result.margin == -290
    assert not result.passed


@pytest.mark.parametrize("veto", ["veto_family_planning", "veto_serious_crime"])
def test_veto_makes_ineligible_whatever_the_score(veto: str) -> None:
    result = score(profile(education="doctor", talent="entrepreneur", **{veto: True}), POLICY, AS_OF)
    assert result.total == 30 + 110 + 120
    assert not result.eligible
    assert not result.passed
    assert "一票否决" in result.reasons[0]


def test_a_typical_profile_line_by_line() -> None:
    """本科+学士, 35 岁, 中级职称, 5 years at 1.2x, married to a local for 3 years."""
    periods = (si("2021-11", None, 15000),)
    result = score(
        profile(
            age=35, education="bachelor_degree", certificate=cert("intermediate"), si_periods=periods, spouse_years=3
        ),
        POLICY,
        AS_OF,
    )
    # age 30; title 100 beats education 90; 61 months -> 5 years -> 15; 15000 >= 1x every average
    # since 2021-07 (max 12434) and < 2x -> 50; spouse 12.
    assert [line.code for line in result.lines] == [
        "age", "education", "certificate", "si_years", "si_base", "shortage_major", "investment",
        "public_service", "key_area", "fresh_graduate", "spouse", "award", "talent",
        "false_material", "detention", "crime",
    ]  # fmt: skip
    assert result.total == 30 + 100 + 15 + 50 + 12
    assert result.passed and result.margin == 87
    assert result.subtotal("basic") == 145 and result.subtotal("bonus") == 62 and result.subtotal("deduction") == 0
    assert result.total == sum(line.points for line in result.lines if line.counted)


def test_numbers_come_from_the_policy() -> None:
    richer = rules_policy(threshold=100, education_points={**POLICY.education_points, "master": 105})
    result = score(profile(education="master"), richer, AS_OF)
    assert result.total == 135
    assert result.threshold == 100
    assert result.margin == 35


def months_by_hand(periods, as_of_month, averages) -> dict:
    """The month table as the rule says it, month by month: each month once, at the highest of its
    periods' bases, each capped at the ceiling in force (封顶 = the ceiling), marked capped if any was."""
    table = {}
    for month in range(min((p.start for p in periods), default=0), as_of_month + 1):
        covering = [p for p in periods if p.start <= month <= (as_of_month if p.end is None else p.end)]
        if not covering:
            continue
        wage, provisional = wage_for(month, averages)
        bases, capped = [], False
        for period in covering:
            if wage is None:
                bases.append(0 if period.base is None else period.base)
            else:
                bases.append(wage.ceiling if period.base is None else min(period.base, wage.ceiling))
                capped = capped or (period.base is not None and period.base > wage.ceiling)
        table[month] = MonthBase(max(bases), wage, provisional, capped)
    return table


GAPPED = POLICY.averages[:4] + POLICY.averages[5:]  # a year missing between two published ones


# SI histories as (first month, months after it or open, base or 封顶), an evaluation month, the averages.
HISTORIES = (
    st.lists(
        st.tuples(
            st.integers(m("2017-01"), m("2027-06")),
            st.one_of(st.none(), st.integers(0, 40)),
            st.one_of(st.none(), st.integers(3000, 45000)),
        ),
        max_size=4,
    ),
    st.integers(m("2018-01"), m("2030-12")),
    st.sampled_from([POLICY.averages, GAPPED, ()]),
)


def history(rows) -> tuple[SIPeriod, ...]:
    return tuple(SIPeriod(a, None if n is None else a + n, base) for a, n, base in rows)


@hypothesis_settings(max_examples=80, deadline=None)
@given(*HISTORIES)
def test_the_month_table_is_the_rule_month_by_month(rows, as_of_month, averages) -> None:
    periods = history(rows)
    assert contribution_months(periods, as_of_month, averages) == months_by_hand(periods, as_of_month, averages)
    # a later month extends the table kept for the history, an earlier one cuts it
    for month in (as_of_month + 7, as_of_month + 130, as_of_month - 5, as_of_month):
        assert contribution_months(periods, month, averages) == months_by_hand(periods, month, averages)


@hypothesis_settings(max_examples=80, deadline=None)
@given(*HISTORIES)
def test_the_windows_walked_once_count_as_months_at(rows, as_of_month, averages) -> None:
    """Recent sorts each window's tail once and bisects it: every test counts what months_at counts,
    a multiple with more than two decimals and a window past the longest included (they fall back)."""
    periods = history(rows)
    months = contribution_months(periods, as_of_month, averages)
    recent = Recent.of(months, as_of_month, 48)
    for multiple in (Decimal("0.8"), Decimal("1"), Decimal("2.00"), Decimal("3"), Decimal("1.005"), Decimal("0")):
        for window in (12, 36, 48, 60, 1):
            expected = months_at(months, multiple, as_of_month, window)
            assert recent.count(multiple, window) == expected, (multiple, window)
            assert recent.count(multiple, window) == expected  # and again, from the sorted tail
