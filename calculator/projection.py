"""Path to 120, part one: the projection "如果保持现状" — the profile re-scored month by month as time
passes, with the assumptions it makes, in Chinese.

Pure, like scoring.py: no Django here. Every total comes from `scoring.score()`; the projection only
decides *where* to call it, and counts months with the engine's own month table and comparison.

Speed: re-scoring every month of ten years for ~60 candidate changes would take seconds. The total of a
month depends on the month only through a few inputs — the aged profile fields (age, years of the
bonus indicators, deduction counts, 应届 status), the full years of contributions, the highest base
tier met and, for a title that needs it, the base test. That tuple is the month's *signature*: two
months with the same signature have the same total, so the engine is called only where the signature
changes (a few dozen times in ten years). tests/test_advice.py checks this against scoring every month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate, repeat

from calculator.chart import Chart, chart
from calculator.scoring import (
    Policy,
    Profile,
    Result,
    age_at,
    contribution_months,
    held_points,
    meeting,
    month_cn,
    month_of,
    per_year_points,
    score,
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

SIMULATION = "这是模拟，不是承诺：假设政策分值和社会平均工资不变，正式积分以人社部门审核认定为准。"
NOTE_AGE_BIRTH = "年龄按出生年月逐月推算，生日当月起增加 1 岁。"
NOTE_AGE_GUESS = "未填写出生年月：假设下一个生日在 12 个月后，即此后每满 12 个月年龄增加 1 岁。"
NOTE_SI_OPEN = "正在缴纳的社保（结束月为空）按目前基数继续缴纳；已结束的期间不再延续。"
NOTE_SI_NONE = "目前没有正在缴纳的社保期间：之后不再增加缴费月数，基数档次会随统计期移出而下降。"
NOTE_AVERAGE = "尚未公布的年度社会平均工资按最近公布的数值计算。"
NOTE_YEARS = (
    "配偶、特定公共服务领域、远郊重点区域、临港新片区的年限：已在计的每满 12 个月加 1 年（不假设新结婚或换工作）。"
)
NOTE_DEDUCTION = (
    "减分记录没有填写日期：按最不利情形，假设每条记录都发生在本月，"
    "即提供虚假材料计满 {false_material} 个月、行政拘留和刑事犯罪记录计满 {detention} 个月后才不再扣分。"
)
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
    series: tuple[ProjectedMonth, ...]  # start .. start + months, one per month
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
    def now(self) -> ProjectedMonth:
        return self.series[0]

    def at(self, month: int) -> ProjectedMonth:
        return self.series[month - self.start]


# ---------------------------------------------------------------------------------------------
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


def _si_keys(profile: Profile, policy: Policy, start: int, months: int) -> list[tuple]:
    """Per month of the horizon: full years of contributions, the highest base tier met and, when the
    title needs it, whether the six-month test holds — counted once over the whole horizon, with the
    engine's own month table and comparison."""
    last = start + months
    table = contribution_months(profile.si_periods, last, policy.averages)
    claim = profile.certificate
    tiers = sorted(policy.base_tiers, key=lambda t: -t.points)
    checks = [(t.multiple, t.window, t.months) for t in tiers]
    with_title = claim is not None and claim.tier in policy.base_test_tiers
    if with_title:
        checks.append((policy.base_test_multiple, policy.base_test_window, policy.base_test_months))
    at = {multiple: meeting(table, multiple) for multiple in {c[0] for c in checks}}
    span = range(start, last + 1)
    before = sum(1 for m in table if m < start)
    years = [(before + n) // 12 for n in accumulate(m in table for m in span)]
    # Per check, the months meeting it in its window ending at each month of the horizon: a running sum.
    met = []
    for multiple, window, need in checks:
        meeting_months = at[multiple]
        running = list(accumulate((m in meeting_months for m in range(start - window + 1, last + 1)), initial=0))
        met.append([running[k + window] - running[k] >= need for k in range(months + 1)])
    tier = [-1] * (months + 1)
    for i in reversed(range(len(tiers))):  # the highest tier met wins
        tier = [i if ok else t for ok, t in zip(met[i], tier, strict=True)]
    return list(zip(years, tier, met[-1] if with_title else repeat(None, months + 1), strict=True))


# Lines that no candidate action touches: their sum in a month plus the most the touched lines
# could give is an upper bound that lets the action search skip months that cannot pass.
TOUCHED = frozenset({"education", "certificate", "si_years", "si_base", "shortage_major"})


@dataclass(slots=True)
class _Timeline:
    """The signatures of a profile's months, shared by the candidates that keep its SI history."""

    policy: Policy
    as_of: date
    start: int
    months: int
    aging: list[tuple]
    si_cache: dict[tuple, list[tuple]]
    untouched: list[int] | None = None  # per offset, set once the profile itself is projected

    @classmethod
    def of(cls, profile: Profile, policy: Policy, as_of: date, months: int) -> _Timeline:
        start = month_of(as_of)
        # The aged fields move only with the full years, a birthday, and the fresh-graduate and deduction
        # windows: months agreeing on those share one (immutable) tuple.
        windows = (policy.fresh_graduate_months, *(policy.deductions[code].window_years * 12 for code in DEDUCTIONS))
        known: dict[tuple, tuple] = {}
        aging = []
        for k in range(months + 1):
            birthday = age_at(profile.birth, start + k) if profile.birth is not None else None
            key = (k // 12, birthday, *(k < w for w in windows))
            values = known.get(key)
            if values is None:
                values = known[key] = _aging(profile, policy, start, k)
            aging.append(values)
        return cls(policy, as_of, start, months, aging, {})

    def si(self, profile: Profile) -> list[tuple]:
        claim = profile.certificate
        key = (profile.si_periods, claim is not None and claim.tier in self.policy.base_test_tiers)
        keys = self.si_cache.get(key)
        if keys is None:
            keys = self.si_cache[key] = _si_keys(profile, self.policy, self.start, self.months)
        return keys

    def changes(self, profile: Profile) -> list[int]:
        """Offsets where the month's signature differs from the month before (0 always)."""
        si, aging = self.si(profile), self.aging
        return [k for k in range(self.months + 1) if k == 0 or aging[k] != aging[k - 1] or si[k] != si[k - 1]]

    def score(self, profile: Profile, offset: int) -> Result:
        month = self.start + offset
        values = self.aging[offset]
        if values != tuple(getattr(profile, name) for name in AGING_FIELDS):
            profile = replace(profile, **dict(zip(AGING_FIELDS, values, strict=True)))
        return score(profile, self.policy, date_at(self.as_of, month), explained=False)

    def scan(self, profile: Profile, until: int | None = None) -> Iterator[tuple[int, Result]]:
        """(offset, result) at each signature change up to offset `until`, in order."""
        for k in self.changes(profile):
            if until is not None and k > until:
                return
            yield k, self.score(profile, k)

    def until_passing(self, profile: Profile, now: Result) -> tuple[int | None, dict[int, Result]]:
        """The first offset passing "如果保持现状" (None: not within the horizon) and the results at the
        signature changes up to it: the projection cut short, for a caller that needs no chart (a
        roster row). `now` is the result at offset 0."""
        results = {0: now}
        if now.passed:
            return 0, results
        for k in self.changes(profile)[1:]:
            results[k] = result = self.score(profile, k)
            if result.passed:
                return k, results
        return None, results

    def learn(self, results: dict[int, Result]) -> None:
        """Keep, per offset, the points of the lines no action touches (from the profile's own scores)."""
        untouched, points = [], 0
        for k in range(self.months + 1):
            if k in results:
                points = sum(line.points for line in results[k].lines if line.counted and line.code not in TOUCHED)
            untouched.append(points)
        self.untouched = untouched

    def first_pass(self, profile: Profile, after: int, until: int) -> tuple[int, Result] | None:
        """The first offset in after+1..until where the changed profile passes, scoring only the months
        whose upper bound reaches the threshold."""
        assert self.untouched is not None
        policy = self.policy
        education = policy.education_points.get(profile.education, 0)
        title = held_points(profile.certificate, policy)
        shortage = policy.shortage_major_points if profile.shortage_major else 0
        tiers = sorted((t.points for t in policy.base_tiers), reverse=True)
        si = self.si(profile)
        for k in self.changes(profile):
            if k <= after:
                continue
            if k > until:
                return None
            years, tier, title_test = si[k]
            best = max(education, title if title_test is not False else 0)
            most = best + per_year_points(years, policy.si_years) + (tiers[tier] if tier >= 0 else 0) + shortage
            if self.untouched[k] + most < policy.threshold:
                continue
            result = self.score(profile, k)
            if result.passed:
                return k, result
        return None


def _assumptions(profile: Profile, policy: Policy, start: int) -> tuple[str, ...]:
    notes = [NOTE_AGE_BIRTH if profile.birth is not None else NOTE_AGE_GUESS]
    open_now = any(p.end is None and p.start <= start for p in profile.si_periods)
    notes.append(NOTE_SI_OPEN if open_now else NOTE_SI_NONE)
    if open_now:
        notes.append(NOTE_AVERAGE)
    if any(getattr(profile, name) > 0 for name in GROWING_YEARS):
        notes.append(NOTE_YEARS)
    if any(getattr(profile, code) for code in DEDUCTIONS):
        windows = {code: policy.deductions[code].window_years * 12 for code in DEDUCTIONS}
        notes.append(NOTE_DEDUCTION.format(**windows))
    if profile.fresh_graduate:
        notes.append(NOTE_FRESH.format(months=policy.fresh_graduate_months))
    notes.append(SIMULATION)
    return tuple(notes)


def project(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> Projection:
    """Re-score the profile month by month for `months` months after `as_of`, as if nothing changed."""
    return _project(_Timeline.of(profile, policy, as_of, months), profile)[0]


def base_test_month(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> int | None:
    """第六条(三): the first month from the evaluation month on in which the title's base test holds,
    the open SI periods continuing at their current base (as the projection assumes); None when the
    title needs no such test or it does not hold within `months` months."""
    claim = profile.certificate
    if claim is None or claim.tier not in policy.base_test_tiers:
        return None
    timeline = _Timeline.of(profile, policy, as_of, months)
    return next((timeline.start + k for k, key in enumerate(timeline.si(profile)) if key[2]), None)


def _project(timeline: _Timeline, profile: Profile) -> tuple[Projection, Result]:
    start, months, policy = timeline.start, timeline.months, timeline.policy
    results = dict(timeline.scan(profile))
    timeline.learn(results)
    series: list[ProjectedMonth] = []
    current: Result | None = None
    for k in range(months + 1):
        current = results.get(k, current)
        assert current is not None
        series.append(ProjectedMonth(start + k, current.total, current.passed))
    reached = next((p.month for p in series if p.passed), None)
    lost = None
    if reached is not None:
        lost = next((p.month for p in series if p.month > reached and not p.passed), None)
    reasons = results[lost - start].reasons if lost is not None else ()
    yearly = tuple(
        YearValue(k // 12, start + k, month_cn(start + k), series[k].total, series[k].passed)
        for k in range(0, months + 1, 12)
    )
    projection = Projection(
        start=start,
        months=months,
        threshold=policy.threshold,
        series=tuple(series),
        passed_now=series[0].passed,
        reached=reached,
        lost=lost,
        notes=_assumptions(profile, policy, start),
        summary=_summary(series, policy.threshold, reached, lost, results[0], reasons),
        yearly=yearly,
        chart=chart(tuple(series), policy.threshold, reached, lost),
    )
    return projection, results[0]


def _summary(
    series: list[ProjectedMonth],
    threshold: int,
    reached: int | None,
    lost: int | None,
    now: Result,
    lost_reasons: tuple[str, ...],
) -> str:
    start = series[0].month
    years = (len(series) - 1) // 12
    text = f"按目前情况，你现在 {now.total} 分"
    if not now.eligible and reached is None:
        return text + f"，但{now.reasons[0].rstrip('。')}；如果保持现状，今后 {years} 年内都不能达标。"
    if reached is None:
        peak = max(series, key=lambda p: p.total)
        return text + f"；如果保持现状，今后 {years} 年内都达不到 {threshold} 分（最高 {peak.total} 分）。"
    if reached == start:
        text += f"，已达到 {threshold} 分"
    else:
        total = series[reached - start].total
        when = f"{month_cn(reached)}（{reached - start} 个月后）"
        text += f"；如果保持现状，预计 {when}达到 {threshold} 分（届时 {total} 分）"
    if lost is None:
        return text + (f"，今后 {years} 年内不会低于 {threshold} 分。" if reached == start else "。")
    after = series[lost - start]
    why = (
        f"降到 {after.total} 分，低于 {threshold} 分"
        if after.total < threshold
        else lost_reasons[0].rstrip("。")
        if lost_reasons
        else "不再达标"
    )
    link = "；但如果保持现状，预计" if reached == start else "，但预计"
    return text + f"{link} {month_cn(lost)}（{lost - start} 个月后）{why}。"
