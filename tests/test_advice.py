"""Path to 120: the projection and the actions, without the database. Expected numbers are worked out
by hand from RULES.md; the engine's own scores of every month are the reference for the shortcuts."""

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculator.actions import Action, advise
from calculator.actions.candidates import apply_changes, candidates, changed_fields
from calculator.chart import chart
from calculator.projection import HORIZON, Timeline, base_test_month, date_at, profile_at, project
from calculator.scoring import (
    CertificateClaim,
    Profile,
    SIPeriod,
    contribution_months,
    month_index,
    month_of,
    months_at,
    score,
)
from tests.factories import rules_policy

POLICY = rules_policy()
AS_OF = date(2026, 11, 15)  # evaluation month 2026-11; the 2025-07 average (12434) is used provisionally
START = month_of(AS_OF)


def m(text: str) -> int:
    year, month = text.split("-")
    return month_index(int(year), int(month))


def si(start: str, end: str | None, base: int | None) -> SIPeriod:
    return SIPeriod(m(start), m(end) if end else None, base)


def cert(tier: str) -> CertificateClaim:
    return CertificateClaim(name="测试证书", tier=tier, job_match=True, in_shanghai=True)


TEN_STARTS = [
    (2021, 3),
    (2021, 9),
    (2022, 2),
    (2022, 7),
    (2023, 1),
    (2023, 6),
    (2024, 1),
    (2024, 6),
    (2025, 1),
    (2025, 8),
]


def ten_periods(open_base: int, closed_base: int = 7000) -> tuple[SIPeriod, ...]:
    """Ten periods since 2021-03 with one-month gaps (62 months by 2026-11); the last one is open."""
    starts = [m(f"{year}-{month}") for year, month in TEN_STARTS]
    closed = [
        SIPeriod(a, b - 2, closed_base + 300 * i) for i, (a, b) in enumerate(zip(starts, starts[1:], strict=False))
    ]
    return (*closed, SIPeriod(starts[-1], None, open_base))


# At 117: age 30 (30) + bachelor without degree (60) + 114 months since 2017-06 (9 years: 27); 7000 is under
# 0.8x every average of the last 48 months, so no base tier. The 120th month is 2027-05: 3 more points.
AT_117 = Profile(age=30, education="bachelor", si_periods=(si("2017-06", None, 7000),))
# At 121, passing: age 44 from a 1982-03 birth (29) + junior college (50) + shortage major (30) + 3 years
# married to a local (12). The 45th birthday in 2027-03 costs 2 points (27): 119; the fourth year of
# marriage in 2027-11 brings 4 (16): 123.
AT_121 = Profile(age=44, birth=m("1982-03"), education="junior_college", shortage_major=True, spouse_years=3)
# One false material: bachelor with degree (90) + age (30) - 150, until the record is 36 months old.
FALSE_MATERIAL = Profile(age=30, education="bachelor_degree", false_material=1)
# A 中级 title (100) with an open period at exactly 1x since 2026-10: two months at 1x now, six in 2027-03.
TITLE_WAITING = Profile(age=30, certificate=cert("intermediate"), si_periods=(si("2026-10", None, 12434),))

TYPICAL = Profile(age=35, education="bachelor_degree", si_periods=ten_periods(14921))  # open at 1.2x
NOT_YET = Profile(age=35, education="bachelor", si_periods=ten_periods(14921))
LOW_BASE = Profile(age=35, education="junior_college", si_periods=ten_periods(9000))
DEDUCTED = replace(LOW_BASE, age=44, birth=m("1982-03"), false_material=1)
MIXED = Profile(
    age=41,
    education="junior_college",
    certificate=cert("skill_3"),
    si_periods=(si("2019-01", "2023-12", 25000), si("2024-03", None, 11000)),
    fresh_graduate=True,
    lingang_years=2,
    detention=1,
)
HOPELESS = Profile(age=58, crime=1)  # over 60 in 2029-11; the crime counts until 2031-11

PROFILES = [AT_117, AT_121, FALSE_MATERIAL, TITLE_WAITING, TYPICAL, NOT_YET, LOW_BASE, DEDUCTED, MIXED, HOPELESS]


def naive(profile: Profile, month: int):
    """The engine's score of one projected month, without any shortcut."""
    return score(profile_at(profile, POLICY, START, month), POLICY, date_at(AS_OF, month))


# ---------------------------------------------------------------------------------------------
# The projection


def test_reaches_120_in_the_month_the_si_months_reach_the_next_full_year() -> None:
    projection = project(AT_117, POLICY, AS_OF)
    assert projection.now.total == 117 and not projection.passed_now
    assert projection.at(m("2027-04")).total == 117
    assert projection.at(m("2027-05")).total == 120
    assert projection.reached == m("2027-05")
    assert projection.lost is None
    assert [y.total for y in projection.yearly[:4]] == [117, 120, 123, 126]
    assert "2027年5月（6 个月后）达到 120 分" in projection.summary


def test_a_passing_profile_falls_below_at_the_birthday_and_gets_the_lost_month() -> None:
    projection = project(AT_121, POLICY, AS_OF)
    assert projection.passed_now and projection.now.total == 121
    assert projection.at(m("2027-02")).total == 121
    assert projection.at(m("2027-03")).total == 119
    assert projection.reached == START
    assert projection.lost == m("2027-03")
    assert projection.at(m("2027-11")).total == 123  # the fourth year of marriage
    assert "2027年3月（4 个月后）降到 119 分" in projection.summary
    assert any("出生年月" in note for note in projection.notes)

    advice = advise(AT_121, POLICY, AS_OF)
    assert advice.actions == ()
    assert "2027年3月" in advice.notes[0]


def test_age_without_birth_month_grows_every_twelve_months_and_says_so() -> None:
    profile = Profile(age=43, education="bachelor_degree")  # 30 + 90 = 120 until 44 in 2027-11
    projection = project(profile, POLICY, AS_OF)
    assert projection.at(m("2027-10")).total == 120
    assert projection.lost == m("2027-11") and projection.at(m("2027-11")).total == 119
    assert any("下一个生日在 12 个月后" in note for note in projection.notes)


def test_a_deduction_expires_after_its_window() -> None:
    projection = project(FALSE_MATERIAL, POLICY, AS_OF)
    assert projection.now.total == -30
    assert projection.at(m("2029-10")).total == -30
    assert projection.at(m("2029-11")).total == 120  # 36 months later
    assert projection.reached == m("2029-11")
    assert any("最不利" in note and "申请积分时提供虚假材料计满 36 个月后" in note for note in projection.notes)


def test_the_deduction_note_names_each_entered_record_with_its_own_window() -> None:
    policy = replace(
        POLICY, deductions={**POLICY.deductions, "detention": replace(POLICY.deductions["detention"], window_years=2)}
    )
    profile = replace(FALSE_MATERIAL, false_material=0, detention=1, crime=1)
    [note] = [note for note in project(profile, policy, AS_OF).notes if "最不利" in note]
    assert "行政拘留记录计满 24 个月、一般刑事犯罪记录计满 60 个月后" in note
    assert "虚假材料" not in note  # not entered


def test_the_title_counts_once_six_of_the_last_twelve_months_are_at_1x() -> None:
    projection = project(TITLE_WAITING, POLICY, AS_OF)
    assert projection.now.total == 30
    assert projection.at(m("2027-02")).total == 30
    assert projection.at(m("2027-03")).total == 130
    assert projection.reached == m("2027-03")


def test_fresh_graduate_status_lasts_twelve_months() -> None:
    profile = Profile(age=25, education="bachelor_degree", fresh_graduate=True)  # 30 + 90 + 10
    projection = project(profile, POLICY, AS_OF)
    assert projection.at(m("2027-10")).total == 130
    assert projection.at(m("2027-11")).total == 120
    assert any("应届" in note for note in projection.notes)


def test_a_closed_period_stays_closed_and_the_base_tier_leaves_the_window() -> None:
    # 2x (25000) for 2022-11..2026-10, then nothing: 100 points while 36 of the last 48 months are at 2x.
    profile = Profile(age=30, education="junior_college", si_periods=(si("2022-11", "2026-10", 25000),))
    projection = project(profile, POLICY, AS_OF)
    assert projection.now.total == 30 + 50 + 12 + 100
    assert projection.at(m("2027-10")).total == 192  # 2023-11..2026-10: 36 of the last 48
    assert projection.at(m("2027-11")).total == 30 + 50 + 12  # 35 months: no tier (0.8x needs 36 too)
    assert projection.lost == m("2027-11")
    assert any("没有正在缴纳" in note for note in projection.notes)


@pytest.mark.parametrize("profile", PROFILES, ids=range(len(PROFILES)))
def test_the_projection_equals_scoring_every_month(profile: Profile) -> None:
    projection = project(profile, POLICY, AS_OF)
    assert len(projection.series) == 121
    assert projection.series[0].month == START and projection.series[-1].month == START + 120
    for point in projection.series:
        result = naive(profile, point.month)
        assert (point.total, point.passed) == (result.total, result.passed), point.label
    passing = [p.month for p in projection.series if p.passed]
    assert projection.reached == (passing[0] if passing else None)


@pytest.mark.parametrize("profile", PROFILES, ids=range(len(PROFILES)))
def test_every_candidate_s_monthly_totals_equal_scoring_every_month(profile: Profile) -> None:
    """The candidates share the profile's steady lines and re-count only their own SI history."""
    timeline = Timeline.of(profile, POLICY, AS_OF, HORIZON)
    for changes in candidates(profile, POLICY, START):
        changed, fields = apply_changes(profile, changes), changed_fields(changes)
        totals = timeline.totals(fields)
        passing = timeline.passing(totals)
        assert timeline.total_now(fields) == totals[0]
        first = passing.index(True) if True in passing else None
        assert timeline.first_pass(fields, HORIZON) == (None if first is None else (first, totals[first]))
        if first is not None:
            assert timeline.first_pass(fields, first - 1) is None
            assert timeline.first_pass(fields, first) == (first, totals[first])
        for offset in range(0, HORIZON + 1, 1 if len(changes) == 1 else 5):
            result = naive(changed, START + offset)
            assert (totals[offset], passing[offset]) == (result.total, result.passed), (changes, offset)


PERIODS = st.lists(
    st.tuples(
        st.integers(m("2016-01"), m("2027-06")),  # before the first average, across them, after the last
        st.one_of(st.none(), st.integers(0, 60)),  # open, or this many months long
        st.one_of(st.none(), st.integers(3000, 45000)),  # 封顶, or an amount (above some ceilings)
    ),
    max_size=4,
).map(lambda rows: tuple(SIPeriod(a, None if n is None else a + n, base) for a, n, base in rows))
PROFILE = st.builds(
    Profile,
    age=st.integers(18, 62),
    education=st.sampled_from(list(POLICY.education_points)),
    certificate=st.one_of(st.none(), st.sampled_from(list(POLICY.tier_points)).map(cert)),
    si_periods=PERIODS,
    shortage_major=st.booleans(),
    fresh_graduate=st.booleans(),
    invest_tax=st.integers(0, 400_000),
    public_service_years=st.integers(0, 7),
    remote_years=st.integers(0, 7),
    lingang_years=st.integers(0, 7),
    spouse_years=st.integers(0, 12),
    award=st.sampled_from(list(POLICY.award_points)),
    false_material=st.integers(0, 1),
    detention=st.integers(0, 1),
    crime=st.integers(0, 1),
    veto_serious_crime=st.integers(0, 9).map(lambda n: n == 0),
    birth=st.one_of(st.none(), st.integers(m("1964-01"), m("2008-12"))),
).map(lambda p: replace(p, age=p.age if p.birth is None else (START - p.birth) // 12))


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROFILE)
def test_the_projection_of_any_profile_equals_scoring_every_month(profile: Profile) -> None:
    projection = project(profile, POLICY, AS_OF)
    for point in projection.series:
        result = naive(profile, point.month)
        assert (point.total, point.passed) == (result.total, result.passed), point.label
    passing = [p.month for p in projection.series if p.passed]
    assert projection.reached == (passing[0] if passing else None)


@hypothesis_settings(max_examples=40, deadline=None)
@given(PERIODS, st.sampled_from(["intermediate", "senior", "skill_3"]))
def test_the_base_test_month_is_the_first_month_the_engine_s_base_test_holds(periods, tier) -> None:
    profile = Profile(age=30, certificate=cert(tier), si_periods=periods)
    found = base_test_month(profile, POLICY, AS_OF)
    if tier not in POLICY.base_test_tiers:
        assert found is None
        return
    window, needed = POLICY.base_test_window, POLICY.base_test_months
    holding = [
        month
        for month in range(START, START + HORIZON + 1)
        if months_at(contribution_months(periods, month, POLICY.averages), POLICY.base_test_multiple, month, window)
        >= needed
    ]
    assert found == (holding[0] if holding else None)


def test_the_chart_geometry_and_its_text_twin() -> None:
    projection = project(AT_117, POLICY, AS_OF)
    drawn = projection.chart
    points = [tuple(map(float, pair.split(","))) for pair in drawn.points.split()]
    assert len(points) == 121
    assert points[0][0] == drawn.left and points[-1][0] == drawn.right
    assert drawn.y_min <= 117 and drawn.y_max >= 117 + 3 * 10
    assert drawn.top <= drawn.threshold_y <= drawn.bottom
    assert points[0][1] > drawn.threshold_y  # 117 is drawn below the 120 line (SVG y grows downwards)
    assert points[6][1] == drawn.threshold_y
    assert [t.label for t in drawn.x_ticks] == [str(year) for year in range(2027, 2037)]
    assert [float(t.label) for t in drawn.y_ticks] == sorted(float(t.label) for t in drawn.y_ticks)
    assert drawn.view_box == "0 0 600 240"
    assert [marker.label for marker in drawn.markers] == ["2027年5月 达到 120 分"]
    assert [(y.years, y.label, y.total) for y in projection.yearly[:2]] == [
        (0, "2026年11月", 117),
        (1, "2027年11月", 120),
    ]
    assert len(projection.yearly) == 11


def test_the_chart_of_a_flat_series() -> None:
    projection = project(Profile(age=30), POLICY, AS_OF)
    drawn = chart(projection.series, 120)
    assert drawn.y_min < 30 < 120 < drawn.y_max
    assert len({pair.split(",")[1] for pair in drawn.points.split()}) == 1
    assert drawn.markers == ()


def test_the_chart_of_fifty_false_materials_keeps_round_ticks() -> None:
    projection = project(Profile(age=30, false_material=50), POLICY, AS_OF)  # -7470, then 30
    drawn = projection.chart
    assert drawn.y_min <= -7470 and drawn.y_max >= 120
    values = [int(t.label) for t in drawn.y_ticks]
    assert 3 <= len(values) <= 7 and len({b - a for a, b in zip(values, values[1:], strict=False)}) == 1


# ---------------------------------------------------------------------------------------------
# The actions


def test_actions_are_ranked_by_month_then_changes_then_total() -> None:
    # AT_117 passes by itself in 2027-05; sooner than that only the education and the shortage major
    # (a title waits for six months at 1x: 2027-05 at the earliest; base tiers need 36 months).
    advice = advise(AT_117, POLICY, AS_OF)
    assert advice.reaching
    assert [a.query for a in advice.actions] == [
        {"education": ["doctor"]},  # 30 + 110 + 27 = 167
        {"education": ["master"]},  # 157
        {"education": ["bachelor_degree"]},  # 147
        {"shortage_major": ["on"]},  # 147, after the education: generated later
    ]
    assert [(a.total_now, a.gain, a.month_reached, a.sooner_by) for a in advice.actions] == [
        (167, 50, START, 6),
        (157, 40, START, 6),
        (147, 30, START, 6),
        (147, 30, START, 6),
    ]
    assert advice.actions[0].title == "取得学历：博士研究生"
    assert advice.actions[0].conditions[-1].startswith("这是模拟，不是承诺")


def test_a_title_with_a_base_raise_is_dated_by_the_six_month_rule() -> None:
    advice = advise(LOW_BASE, POLICY, AS_OF)  # 95 now; the base 9000 is under 0.8x
    pair = next(a for a in advice.actions if a.kinds == ("certificate", "base"))
    # the raise starts 2026-12: six months at 1x by 2027-05
    assert pair.certificate_tier == "senior" and pair.month_reached == m("2027-05")
    assert (pair.total_now, pair.gain) == (95, 0)
    assert pair.total_at_reached == 30 + 140 + 15  # no base tier yet: 6 of 36 months
    assert pair.query["si_base"][-2:] == ["9000", "12434"]
    assert pair.query["si_to"][-2:] == ["2026-11", ""]
    assert pair.query["si_from"][-1] == "2026-12"
    assert pair.query["cert_job_match"] == ["on"] and pair.query["cert_in_shanghai"] == ["on"]
    assert any("6 个月社保缴费基数≥1 倍" in c for c in pair.conditions)
    # the same title with a higher base passes no sooner: not shown
    assert not [a for a in advice.actions if a.kinds == ("certificate", "base") and a.query["si_base"][-1] != "12434"]


def parts(action: Action) -> set[str]:
    return set(action.title.split("，并"))


def new_base(action: Action) -> float:
    text = action.query.get("si_base", ["0"])[-1]
    return float("inf") if text == "max" else float(text)


@pytest.mark.parametrize("profile", PROFILES, ids=range(len(PROFILES)))
def test_a_change_is_not_shown_when_a_part_of_it_or_a_lower_base_passes_as_soon(profile: Profile) -> None:
    actions = advise(profile, POLICY, AS_OF).actions
    for action in actions:
        for other in actions:
            if other is action or other.month_reached is None or other.month_reached > action.month_reached:
                continue
            assert not parts(other) < parts(action)
            same_but_base = {p for p in parts(other) if "社保" not in p} == {
                p for p in parts(action) if "社保" not in p
            }
            assert not (same_but_base and "base" in other.kinds and new_base(other) < new_base(action))


def walk(profile: Profile) -> list[tuple[Profile, Action]]:
    return [(profile, action) for action in advise(profile, POLICY, AS_OF).actions]


ALL_ACTIONS = [pair for profile in PROFILES for pair in walk(profile)]


def test_the_walk_covers_every_kind() -> None:
    kinds = {kind for _, action in ALL_ACTIONS for kind in action.kinds}
    assert kinds == {"certificate", "base", "education", "shortage_major"}
    assert any(len(action.kinds) == 2 for _, action in ALL_ACTIONS)


@pytest.mark.parametrize(("profile", "action"), ALL_ACTIONS, ids=lambda v: getattr(v, "title", ""))
def test_every_claimed_total_equals_rescoring_the_changed_profile(profile: Profile, action: Action) -> None:
    now = score(action.profile, POLICY, AS_OF)
    assert action.total_now == now.total
    assert action.gain == now.total - score(profile, POLICY, AS_OF).total
    if action.month_reached is None:
        return
    reached = naive(action.profile, action.month_reached)
    assert reached.passed and action.total_at_reached == reached.total
    assert action.gain_at_reached == reached.total - naive(profile, action.month_reached).total
    # the earliest month: none before it passes
    assert not any(naive(action.profile, month).passed for month in range(START, action.month_reached))
    baseline = project(profile, POLICY, AS_OF).reached
    assert baseline is None or action.month_reached < baseline


@pytest.mark.parametrize(("profile", "action"), ALL_ACTIONS, ids=lambda v: getattr(v, "title", ""))
def test_only_changes_the_applicant_can_make(profile: Profile, action: Action) -> None:
    changed = {f.name for f in fields(Profile) if getattr(profile, f.name) != getattr(action.profile, f.name)}
    assert changed and changed <= {"education", "certificate", "si_periods", "shortage_major"}
    assert POLICY.education_points[action.profile.education] >= POLICY.education_points[profile.education]
    if "education" in changed:
        assert POLICY.education_points[action.profile.education] > POLICY.education_points[profile.education]
        assert action.query["education"] == [action.profile.education]
    if "certificate" in changed:
        assert action.certificate_tier == action.profile.certificate.tier
    if "si_periods" in changed:
        periods = action.profile.si_periods
        assert action.query["si_from"] == [f"{p.start // 12}-{p.start % 12 + 1:02d}" for p in periods]
        assert periods[-1].start == START + 1 and periods[-1].end is None
        # the open period is closed at the evaluation month; the closed ones stay as they were
        assert periods[:-1] == tuple(replace(p, end=START) if p.end is None else p for p in profile.si_periods)
    if "shortage_major" in changed:
        assert action.query["shortage_major"] == ["on"]


def test_no_action_when_nothing_passes_sooner_than_doing_nothing() -> None:
    advice = advise(FALSE_MATERIAL, POLICY, AS_OF)  # the record counts until 2029-11 whatever is done
    assert advice.actions == () and not advice.reaching
    assert advice.notes == ("按模拟，没有哪一项改变能让你早于 2029年11月 达到 120 分。",)


def test_a_veto_gets_no_actions() -> None:
    advice = advise(Profile(age=30, education="bachelor", veto_serious_crime=True), POLICY, AS_OF)
    assert advice.actions == () and not advice.reaching
    assert "一票否决" in advice.notes[0]
    assert not advice.projection.passed_now and advice.projection.reached is None


def test_when_nothing_reaches_the_best_few_by_points_gained() -> None:
    advice = advise(HOPELESS, POLICY, AS_OF)  # 5 - 150 now; over 60 before the crime record expires
    assert advice.projection.reached is None
    assert not advice.reaching and advice.actions
    assert all(a.month_reached is None and a.gain > 0 for a in advice.actions)
    gains = [a.gain for a in advice.actions]
    assert gains == sorted(gains, reverse=True)
    assert advice.actions[0].kinds == ("education", "shortage_major")  # doctor + shortage major: 140
    assert "10 年内" in advice.notes[-1]
