"""Path to 120, part one: the projection "如果保持现状" — the profile re-scored month by month as time
passes, with the assumptions it makes, in Chinese.

Pure, like the scoring package: no Django here. Every total is a sum of the engine's own line points
(the scoring package's point functions), and months are counted with the engine's own month table and comparison.

Speed: re-scoring every month of ten years for ~60 candidate changes would take seconds. A month's total
is the sum of the engine's line points, and each line depends on the month through few inputs: the aged
profile fields (age, years of the bonus indicators, deduction counts, 应届 status) move only at the full
years, a birthday and the end of a window, and the SI lines (full years of contributions, the highest
base tier met, the title's base test) are counted once per SI history over the whole horizon, with the
engine's own month table and comparison. So the totals of all 121 months are a few sums of per-month
series, computed with the scoring package's own point functions; tests/test_advice.py checks them against
`scoring.score()` of every month.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, and_, is_not, mul, not_, sub
from types import MappingProxyType
from typing import cast

from calculator.chart import Chart, plot
from calculator.labels import DEDUCTION
from calculator.scoring import (
    CertificateClaim,
    MonthBase,
    Policy,
    Profile,
    Result,
    SIPeriod,
    age_at,
    age_points,
    award_points,
    contribution_months,
    deduction_points,
    education_or_title,
    education_points,
    fresh_graduate_points,
    in_hundredths,
    investment_points,
    key_area_points,
    meets,
    month_cn,
    month_of,
    needs_base_test,
    per_year_points,
    refusals,
    shortage_major_points,
    si_year_points,
    talent_points,
    title_points,
)

HORIZON = 120  # months after the evaluation month
# Profile fields that move with time in the projection, in this order.
AGING_FIELDS = (
    "age",
    "spouse_years",
    "public_service_years",
    "remote_years",
    "lingang_years",
    "fresh_graduate",
    "false_material",
    "detention",
    "crime",
)
GROWING_YEARS = ("spouse_years", "public_service_years", "remote_years", "lingang_years")
DEDUCTIONS = ("false_material", "detention", "crime")
# Profile fields a candidate action may change: the lines they feed (education, title, SI years and base,
# shortage major) are worked out per candidate; the other lines are the timeline's steady points.
TOUCHED = frozenset({"education", "certificate", "si_periods", "shortage_major"})

SIMULATION = "这是模拟，不是承诺：假设政策分值和社会平均工资不变，正式积分以人社部门审核认定为准。"
NOTE_AGE_BIRTH = "年龄按出生年月逐月推算，生日当月起增加 1 岁。"
NOTE_AGE_GUESS = "未填写出生年月：假设下一个生日在 12 个月后，即此后每满 12 个月年龄增加 1 岁。"
NOTE_SI_OPEN = "正在缴纳的社保（结束月为空）按目前基数继续缴纳；已结束的期间不再延续。"
NOTE_SI_NONE = "目前没有正在缴纳的社保期间：之后不再增加缴费月数，基数档次会随统计期移出而下降。"
NOTE_AVERAGE = "尚未公布的年度社会平均工资按最近公布的数值计算。"
NOTE_YEARS = (
    "配偶、特定公共服务领域、远郊重点区域、临港新片区的年限：已在计的每满 12 个月加 1 年（不假设新结婚或换工作）。"
)
NOTE_DEDUCTION = "减分记录没有填写日期：按最不利情形，假设每条记录都发生在本月，即{windows}后才不再扣分。"
NOTE_FRESH = "应届毕业生身份不会一直保留：只计入今后 {months} 个月。"


@dataclass(frozen=True, slots=True)
class ProjectedMonth:
    month: int  # month index
    total: int
    passed: bool

    @property
    def label(self) -> str:
        return month_cn(self.month)


@dataclass(frozen=True, slots=True)
class YearValue:
    """The projected total at an anniversary of the evaluation month (the text twin of the chart)."""

    years: int  # 0 = now
    month: int
    label: str  # '2027年11月'
    total: int
    passed: bool


@dataclass(frozen=True, slots=True)
class Projection:
    start: int  # the evaluation month
    months: int  # horizon after it
    threshold: int
    totals: tuple[int, ...]  # start .. start + months, one per month
    passing: tuple[bool, ...]  # likewise: eligible and at the threshold
    passed_now: bool
    reached: int | None  # earliest month passing (start when passed now), None: not within the horizon
    lost: int | None  # first month after `reached` that no longer passes, if any
    notes: tuple[str, ...]  # the assumptions, in Chinese
    summary: str  # one Chinese sentence, also the chart's text alternative
    yearly: tuple[YearValue, ...]
    chart: Chart

    @property
    def years(self) -> int:
        """The horizon in whole years."""
        return self.months // 12

    @property
    def series(self) -> tuple[ProjectedMonth, ...]:
        """One ProjectedMonth per month, start .. start + months."""
        months = range(self.start, self.start + self.months + 1)
        return tuple(map(ProjectedMonth, months, self.totals, self.passing))

    @property
    def now(self) -> ProjectedMonth:
        return self.at(self.start)

    def at(self, month: int) -> ProjectedMonth:
        offset = month - self.start
        return ProjectedMonth(month, self.totals[offset], self.passing[offset])


# The projection: the profile as time passes


def date_at(as_of: date, month: int) -> date:
    """The evaluation date of a projected month: as_of itself in its own month, else the 1st."""
    return as_of if month == month_of(as_of) else date(month // 12, month % 12 + 1, 1)


def _aging(profile: Profile, policy: Policy, start: int, offset: int) -> tuple:
    """The AGING_FIELDS values `offset` months after the evaluation month `start`."""
    full_years = offset // 12
    age = age_at(profile.birth, start + offset) if profile.birth is not None else profile.age + full_years
    grown = [getattr(profile, name) + full_years if getattr(profile, name) > 0 else 0 for name in GROWING_YEARS]
    fresh = profile.fresh_graduate and offset < policy.fresh_graduate_months
    counts = [
        getattr(profile, code) if offset < policy.deductions[code].window_years * 12 else 0 for code in DEDUCTIONS
    ]
    return (age, *grown, fresh, *counts)


def profile_at(profile: Profile, policy: Policy, start: int, month: int) -> Profile:
    """The profile in a later month, "如果保持现状": older, longer married, deductions expired."""
    values = _aging(profile, policy, start, month - start)
    if values == tuple(getattr(profile, name) for name in AGING_FIELDS):
        return profile
    return replace(profile, **dict(zip(AGING_FIELDS, values, strict=True)))


@dataclass(frozen=True, slots=True)
class _Window:
    """The months of an SI history from `reach` - 1 months before the horizon to its end, to count the
    months meeting a multiple in any window of up to `reach` months ending within the horizon."""

    entries: list[MonthBase | None]  # None: not contributed
    hundredths: list[int]  # MonthBase.hundredths, -1 when not contributed
    lowest: int
    highest: int
    months: int  # the horizon

    @classmethod
    def of(cls, table: dict[int, MonthBase], start: int, months: int, reach: int) -> _Window:
        entries = list(map(table.get, range(start - reach + 1, start + months + 1)))
        hundredths = [-1 if entry is None else entry.hundredths for entry in entries]
        return cls(entries, hundredths, min(hundredths), max(hundredths), months)

    def met(self, multiple: Decimal, window: int, need: int) -> list[bool]:
        """Per offset 0..months, whether at least `need` of the `window` months ending there meet
        `multiple`, as `scoring.months_at` counts them."""
        scaled = in_hundredths(multiple)
        if scaled is None:
            flags = [entry is not None and meets(entry, multiple) for entry in self.entries]
        elif scaled > self.highest:  # no month meets it
            return [need <= 0] * (self.months + 1)
        elif scaled <= self.lowest:  # every month does
            return [window >= need] * (self.months + 1)
        else:  # a month not compared has hundredths -1 too
            flags = map(scaled.__le__, self.hundredths)
        running = list(accumulate(flags, initial=0))
        first = len(running) - self.months - 1  # the sum up to the month ending the window at offset 0
        return list(map(need.__le__, map(sub, running[first:], running[first - window : len(running) - window])))


@dataclass(slots=True)
class _History:
    """What one SI history gives each month of the horizon, the open periods continuing at their base,
    and what a timeline has worked out from it so far."""

    periods: tuple[SIPeriod, ...]
    si_points: list[int]  # 第六条(四) years plus 加分(一) the highest base tier met
    window: _Window  # for the title's base test, counted when a title needs it
    fixed: list[int] | None = None  # the timeline's steady points plus si_points
    base_test: list[bool] | None = None  # 第六条(三) the title's base test holds
    records: dict[bool | None, list[tuple[int, int]]] = field(default_factory=dict)  # see Timeline._records


def _history(periods: tuple[SIPeriod, ...], policy: Policy, start: int, months: int) -> _History:
    table = contribution_months(periods, start + months, policy.averages)
    reach = max((policy.base_test_window, *(t.window for t in policy.base_tiers)))
    window = _Window.of(table, start, months, reach)
    counted = list(accumulate(map(is_not, window.entries[reach - 1 :], repeat(None))))  # since the horizon
    before = len(table) - counted[-1]  # the table holds no month after the horizon
    points: list[int] = []
    offset = 0
    while offset <= months:  # the full years change at most once in 12 months: fill them a year at a time
        full = (before + counted[offset]) // 12
        following = bisect_left(counted, (full + 1) * 12 - before, offset)
        points += [si_year_points(full, policy)] * (following - offset)
        offset = following
    # The highest tier met wins: from the highest down, until one is met in every month.
    tiers_met: list[tuple[int, list[bool]]] = []
    for rate in sorted(policy.base_tiers, key=lambda t: -t.points):
        met = window.met(rate.multiple, rate.window, rate.months)
        if True in met:
            tiers_met.append((rate.points, met))
            if False not in met:
                break
    tier: list[int] | None = None
    for tier_points, met in reversed(tiers_met):  # a higher tier replaces a lower one where it is met
        if False not in met:
            tier = [tier_points] * (months + 1)
        elif tier is None:
            tier = list(map(mul, met, repeat(tier_points)))
        else:
            tier = list(map(add, tier, map(mul, met, map(sub, repeat(tier_points), tier))))
    return _History(periods, points if tier is None else list(map(add, points, tier)), window)


@dataclass(slots=True)
class Timeline:
    """A profile's months: the points of the lines no candidate action touches, its eligibility, and the
    SI series of each history asked for (shared by the candidates that keep one)."""

    profile: Profile
    policy: Policy
    start: int
    months: int
    steady: list[int]  # per offset: the points of the lines TOUCHED fields do not feed
    eligible: list[bool]  # per offset: no reason to refuse the application
    histories: dict[int, _History]  # by the identity of the periods (candidates share their tuples)

    @classmethod
    def of(cls, profile: Profile, policy: Policy, as_of: date, months: int) -> Timeline:
        start = month_of(as_of)
        # The aged fields move only at the full years, a birthday, and the end of the fresh-graduate and
        # deduction windows: they are constant between those cuts.
        cuts = {0, *range(12, months + 1, 12)}
        if profile.birth is not None:
            cuts.update(range((profile.birth - start) % 12, months + 1, 12))
        windows = (policy.fresh_graduate_months, *(policy.deductions[code].window_years * 12 for code in DEDUCTIONS))
        cuts.update(w for w in windows if 0 < w <= months)
        ordered = sorted(cuts)
        constant = investment_points(profile, policy) + award_points(profile, policy) + talent_points(profile, policy)
        # Each part of the aged values moves at only some of the cuts: each is worked out once per value.
        by_age: dict[int, tuple[int, bool]] = {}
        by_years: dict[tuple, int] = {}
        by_windows: dict[tuple, int] = {}
        steady: list[int] = []
        eligible: list[bool] = []
        for first, after in zip(ordered, [*ordered[1:], months + 1], strict=True):
            values = _aging(profile, policy, start, first)
            age, years, windows = values[0], values[1:5], values[5:]
            if age not in by_age:
                by_age[age] = (age_points(age, policy.age), not refusals(profile, policy, age))
            if years not in by_years:
                by_years[years] = _years_points(policy, *years)
            if windows not in by_windows:
                by_windows[windows] = _windows_points(policy, *windows)
            points, allowed = by_age[age]
            steady += [constant + points + by_years[years] + by_windows[windows]] * (after - first)
            eligible += [allowed] * (after - first)
        return cls(profile, policy, start, months, steady, eligible, {})

    def history(self, periods: tuple[SIPeriod, ...]) -> _History:
        found = self.histories.get(id(periods))
        if found is None or found.periods is not periods:
            found = self.histories[id(periods)] = _history(periods, self.policy, self.start, self.months)
            found.fixed = list(map(add, self.steady, found.si_points))
        return found

    def base_test(self, history: _History) -> list[bool]:
        if history.base_test is None:
            policy = self.policy
            window = history.window
            history.base_test = window.met(policy.base_test_multiple, policy.base_test_window, policy.base_test_months)
        return history.base_test

    def _touched(self, changes: Mapping[str, object]) -> tuple[_History, int, int | None]:
        """The SI history of the profile with `changes` (TOUCHED fields only), and the points of its
        education, title and shortage major when the title's base test fails and when it holds (None:
        the title needs no test)."""
        assert TOUCHED.issuperset(changes)
        profile, policy = self.profile, self.policy
        periods = cast("tuple[SIPeriod, ...]", changes.get("si_periods", profile.si_periods))
        claim = cast("CertificateClaim | None", changes.get("certificate", profile.certificate))
        education = education_points(cast(str, changes.get("education", profile.education)), policy)
        shortage = shortage_major_points(cast(bool, changes.get("shortage_major", profile.shortage_major)), policy)
        unmet = education_or_title(education, title_points(claim, policy, False)) + shortage
        if not needs_base_test(claim, policy):
            return self.history(periods), unmet, None
        return self.history(periods), unmet, education_or_title(education, title_points(claim, policy, True)) + shortage

    def totals(self, changes: Mapping[str, object] = MappingProxyType({})) -> list[int]:
        """The total of each month of the horizon, for the profile or, with `changes`, one of its candidate
        changes."""
        history, unmet, met = self._touched(changes)
        fixed = cast("list[int]", history.fixed)
        if met is None:
            return list(map(add, fixed, repeat(unmet)))
        test = self.base_test(history)
        return list(map(add, fixed, map(add, repeat(unmet), map(mul, test, repeat(met - unmet)))))

    def total_now(self, changes: Mapping[str, object]) -> int:
        """The total at offset 0 of the profile with `changes`."""
        history, unmet, met = self._touched(changes)
        now = cast("list[int]", history.fixed)[0]
        return now + (met if met is not None and self.base_test(history)[0] else unmet)

    def passing(self, totals: list[int]) -> list[bool]:
        reaching = list(map(self.policy.threshold.__le__, totals))
        return reaching if False not in self.eligible else list(map(and_, self.eligible, reaching))

    def refusals(self, offset: int) -> tuple[str, ...]:
        """Why the profile cannot apply `offset` months on (none: eligible)."""
        return refusals(self.profile, self.policy, _aging(self.profile, self.policy, self.start, offset)[0])

    def first_pass(self, changes: Mapping[str, object], until: int) -> tuple[int, int] | None:
        """The first offset up to `until` where the profile with `changes` passes, with its total: the
        first record of its months' totals that reaches the threshold."""
        history, unmet, met = self._touched(changes)
        searches = [(None, unmet)] if met is None else [(True, met), (False, unmet)]
        found: tuple[int, int] | None = None
        for test, points in searches:
            need = self.policy.threshold - points
            for offset, value in self._records(history, test):
                if offset > until or (found is not None and offset >= found[0]):
                    break
                if value >= need:
                    found = offset, value + points
                    break
        return found

    def _records(self, history: _History, test: bool | None) -> list[tuple[int, int]]:
        """The offsets where the steady and SI points of a history exceed those of every earlier month in
        which the profile is eligible (and the title's base test is `test`, unless None), with those
        points: the first month reaching any number is one of them."""
        found = history.records.get(test)
        if found is None:
            mask = self.eligible
            if test is not None:
                tests = self.base_test(history)
                mask = list(map(and_, mask, tests if test else map(not_, tests)))
            found = history.records[test] = []
            best = None
            for offset, (value, counted) in enumerate(zip(cast("list[int]", history.fixed), mask, strict=True)):
                if counted and (best is None or value > best):
                    found.append((offset, value))
                    best = value
        return found


def _years_points(policy: Policy, spouse: int, public: int, remote: int, lingang: int) -> int:
    """加分(四)(五)(七): the points of the aged years of public service, key area and marriage."""
    return (
        per_year_points(public, policy.public_service)
        + key_area_points(remote, lingang, policy)
        + per_year_points(spouse, policy.spouse)
    )


def _windows_points(policy: Policy, fresh: bool, *counts: int) -> int:
    """加分(六) and 第七条: the fresh-graduate points and the deductions still within their windows."""
    deducted = sum(deduction_points(code, count, policy) for code, count in zip(DEDUCTIONS, counts, strict=True))
    return fresh_graduate_points(fresh, policy) + deducted


def _assumptions(profile: Profile, policy: Policy, start: int) -> tuple[str, ...]:
    notes = [NOTE_AGE_BIRTH if profile.birth is not None else NOTE_AGE_GUESS]
    open_now = any(p.end is None and p.start <= start for p in profile.si_periods)
    notes.append(NOTE_SI_OPEN if open_now else NOTE_SI_NONE)
    if open_now:
        notes.append(NOTE_AVERAGE)
    if any(getattr(profile, name) > 0 for name in GROWING_YEARS):
        notes.append(NOTE_YEARS)
    if entered := [code for code in DEDUCTIONS if getattr(profile, code)]:
        windows = "、".join(
            f"{DEDUCTION[code]}计满 {policy.deductions[code].window_years * 12} 个月" for code in entered
        )
        notes.append(NOTE_DEDUCTION.format(windows=windows))
    if profile.fresh_graduate:
        notes.append(NOTE_FRESH.format(months=policy.fresh_graduate_months))
    notes.append(SIMULATION)
    return tuple(notes)


def project(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> Projection:
    """Re-score the profile month by month for `months` months after `as_of`, as if nothing changed."""
    return project_timeline(Timeline.of(profile, policy, as_of, months))


def base_test_month(
    profile: Profile, policy: Policy, as_of: date, months: int = HORIZON, scored: Result | None = None
) -> int | None:
    """第六条(三): the first month from the evaluation month on in which the title's base test holds,
    the open SI periods continuing at their current base (as the projection assumes); None when the
    title needs no such test or it does not hold within `months` months. Given today's `scored` result,
    a test it already meets is met this month without projecting (the projection's first window is
    the score's own)."""
    if not needs_base_test(profile.certificate, policy):
        return None
    start = month_of(as_of)
    if scored is not None and _held(scored, policy):
        return start
    window = policy.base_test_window
    table = contribution_months(profile.si_periods, start + months, policy.averages)
    met = _Window.of(table, start, months, window).met(policy.base_test_multiple, window, policy.base_test_months)
    return start + met.index(True) if True in met else None


def _held(result: Result, policy: Policy) -> bool:
    """Whether `result`'s SI summary counts the title's base test as met in the evaluation month."""
    test = (policy.base_test_multiple, policy.base_test_window, policy.base_test_months)
    return any((t.multiple, t.window, t.needed) == test and t.count >= t.needed for t in result.si.tests)


def project_timeline(timeline: Timeline) -> Projection:
    profile, start, months, policy = timeline.profile, timeline.start, timeline.months, timeline.policy
    totals = timeline.totals()
    passing = timeline.passing(totals)
    reached = lost = None
    if True in passing:
        reached = passing.index(True)
        with suppress(ValueError):
            lost = passing.index(False, reached)
    yearly = tuple(
        YearValue(years, month, label, totals[k], passing[k])
        for k, years, month, label in _anniversaries(start, months)
    )
    reached_month = start + reached if reached is not None else None
    lost_month = start + lost if lost is not None else None
    summary = _summary(
        start,
        totals,
        policy.threshold,
        reached,
        lost,
        timeline.refusals(0),
        timeline.refusals(lost) if lost is not None else (),
    )
    return Projection(
        start=start,
        months=months,
        threshold=policy.threshold,
        totals=tuple(totals),
        passing=tuple(passing),
        passed_now=passing[0],
        reached=reached_month,
        lost=lost_month,
        notes=_assumptions(profile, policy, start),
        summary=summary,
        yearly=yearly,
        chart=plot(start, totals, policy.threshold, reached_month, lost_month),
    )


@lru_cache(maxsize=64)
def _anniversaries(start: int, months: int) -> tuple[tuple[int, int, int, str], ...]:
    """(offset, years, month, label) of each anniversary of the evaluation month within the horizon."""
    return tuple((k, k // 12, start + k, month_cn(start + k)) for k in range(0, months + 1, 12))


def _summary(
    start: int,
    totals: list[int],
    threshold: int,
    reached: int | None,
    lost: int | None,
    reasons_now: tuple[str, ...],
    lost_reasons: tuple[str, ...],
) -> str:
    """One sentence about the projection; `reached` and `lost` are offsets."""
    years = (len(totals) - 1) // 12
    text = f"按目前情况，你现在 {totals[0]} 分"
    if reasons_now and reached is None:
        return text + f"，但{reasons_now[0].rstrip('。')}；如果保持现状，今后 {years} 年内都不能达标。"
    if reached is None:
        return text + f"；如果保持现状，今后 {years} 年内都达不到 {threshold} 分（最高 {max(totals)} 分）。"
    if reached == 0:
        text += f"，已达到 {threshold} 分"
    else:
        when = f"{month_cn(start + reached)}（{reached} 个月后）"
        text += f"；如果保持现状，预计 {when}达到 {threshold} 分（届时 {totals[reached]} 分）"
    if lost is None:
        return text + (f"，今后 {years} 年内不会低于 {threshold} 分。" if reached == 0 else "。")
    after = totals[lost]
    why = (
        f"降到 {after} 分，低于 {threshold} 分"
        if after < threshold
        else lost_reasons[0].rstrip("。")
        if lost_reasons
        else "不再达标"
    )
    link = "；但如果保持现状，预计" if reached == 0 else "，但预计"
    return text + f"{link} {month_cn(start + lost)}（{lost} 个月后）{why}。"
