"""Path to 120: the projection "如果保持现状" and the actions "怎样更快达标".

Pure, like scoring.py: no Django here. Every total this module reports comes from `scoring.score()`;
the projection only decides *where* to call it.

Speed: re-scoring every month of ten years for ~60 candidate changes would take seconds. The total of a
month depends on the month only through a few inputs — the aged profile fields (age, years of the
bonus indicators, deduction counts, 应届 status), the full years of contributions, the highest base
tier met and, for a title that needs it, the 1× six-month test. That tuple is the month's *signature*:
two months with the same signature have the same total, so the engine is called only where the
signature changes (a few dozen times in ten years). An action is searched only until it first passes,
only up to the month it would have to beat, and only in months where the lines it cannot touch plus
the most its touched lines could give reach the threshold. tests/test_advice.py checks all of this
against scoring every month.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from calculator.scoring import (
    EDUCATION_LABELS,
    TIER_LABELS,
    CertificateClaim,
    Policy,
    Profile,
    Result,
    SIPeriod,
    age_at,
    contribution_months,
    month_cn,
    month_label,
    month_of,
    per_year_points,
    score,
)

HORIZON = 120  # months after the evaluation month
FRESH_GRADUATE_MONTHS = 12  # 应届 status is kept this many months, then dropped
MAX_CANDIDATES = 60
MAX_ACTIONS = 8
MAX_FALLBACK = 4  # actions shown by points gained when none reaches the threshold

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
NOTE_FRESH = f"应届毕业生身份不会一直保留：只计入今后 {FRESH_GRADUATE_MONTHS} 个月。"

EDUCATION_TITLES = {
    "junior_college": "取得大专（高职）学历",
    "bachelor": "取得大学本科学历",
    "bachelor_degree": "取得大学本科学历和学士学位",
    "master": "取得硕士研究生学历学位",
    "doctor": "取得博士研究生学历学位",
}
TIER_TITLES = {
    "skill_5": "取得技能五级（初级工）证书",
    "skill_4": "取得技能四级（中级工）证书",
    "skill_3": "取得技能三级（高级工）证书",
    "intermediate": "取得中级职称或技能二级（技师）",
    "senior": "取得高级职称或技能一级（高级技师）",
}


# ---------------------------------------------------------------------------------------------
# Results


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
class Tick:
    position: float  # x for the time axis, y for the points axis, in viewBox units
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of the inline SVG, in viewBox units: the template prints these numbers only."""

    width: int
    height: int
    left: float  # the plot area
    top: float
    right: float
    bottom: float
    y_min: int
    y_max: int
    points: str  # polyline of the monthly totals: "x,y x,y ..."
    threshold: int
    threshold_y: float
    x_ticks: tuple[Tick, ...]  # every January in the horizon, labelled with the year
    y_ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]  # reached / lost months

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


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
    def now(self) -> ProjectedMonth:
        return self.series[0]

    def at(self, month: int) -> ProjectedMonth:
        return self.series[month - self.start]


@dataclass(frozen=True, slots=True)
class Action:
    """One simulated change, re-scored with the engine and dated with the projection."""

    kinds: tuple[str, ...]  # certificate, base, education, shortage_major
    title: str
    conditions: tuple[str, ...]  # what it depends on, in Chinese; the last says it is a simulation
    profile: Profile  # the profile with the change applied from the evaluation month
    query: dict[str, list[str]]  # the changed query-string parameters (replace these keys)
    certificate_tier: str | None  # the caller maps it to a representative catalogue entry
    total_now: int  # score(profile, policy, as_of).total
    gain: int  # total_now minus the total without the change
    month_reached: int | None  # earliest month passing with the change, None: not within the horizon
    total_at_reached: int | None
    gain_at_reached: int | None  # minus the projected total without the change, that month
    sooner_by: int | None  # months earlier than without the change; None when that never passes

    @property
    def reached_label(self) -> str:
        return month_cn(self.month_reached) if self.month_reached is not None else ""


@dataclass(frozen=True, slots=True)
class Advice:
    projection: Projection
    actions: tuple[Action, ...]
    reaching: bool  # the actions reach the threshold; False: none does, shown by points gained
    notes: tuple[str, ...]


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
    fresh = profile.fresh_graduate and offset < FRESH_GRADUATE_MONTHS
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
    at = {
        multiple: {
            month
            for month, entry in table.items()
            if entry.wage is not None and Decimal(entry.base) >= multiple * entry.wage.average
        }
        for multiple in {c[0] for c in checks}
    }
    counts = [sum(1 for m in at[x] if start - w < m <= start) for x, w, _ in checks]
    total = sum(1 for m in table if m <= start)
    keys = []
    for month in range(start, last + 1):
        if month > start:
            total += month in table
            for i, (x, w, _) in enumerate(checks):
                counts[i] += (month in at[x]) - (month - w in at[x])
        met = [c >= need for c, (_, _, need) in zip(counts, checks, strict=True)]
        tier = next((i for i in range(len(tiers)) if met[i]), -1)
        keys.append((total // 12, tier, met[-1] if with_title else None))
    return keys


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
        aging = [_aging(profile, policy, start, k) for k in range(months + 1)]
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
        return score(profile, self.policy, date_at(self.as_of, month))

    def scan(self, profile: Profile, until: int | None = None) -> Iterator[tuple[int, Result]]:
        """(offset, result) at each signature change up to offset `until`, in order."""
        for k in self.changes(profile):
            if until is not None and k > until:
                return
            yield k, self.score(profile, k)

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
        title = _held_points(profile, policy)
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
        notes.append(NOTE_FRESH)
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


# ---------------------------------------------------------------------------------------------
# The chart


def _nice_step(span: int) -> int:
    """A round tick interval (5, 10, 20, 25, 50, 100, ...) giving at most five intervals."""
    scale = 1
    while True:
        for step in (5 * scale, 10 * scale, 20 * scale, 25 * scale):
            if span <= 5 * step:
                return step
        scale *= 10


def chart(
    series: tuple[ProjectedMonth, ...],
    threshold: int,
    reached: int | None = None,
    lost: int | None = None,
    width: int = 600,
    height: int = 240,
) -> Chart:
    """The SVG geometry of the projected totals: a polyline, the threshold line, axis ticks."""
    left, right, top, bottom = 44.0, width - 10.0, 12.0, height - 28.0
    totals = [p.total for p in series]
    low, high = min(*totals, threshold), max(*totals, threshold)
    step = _nice_step(max(high - low, 10))
    y_min = math.floor(low / step) * step
    y_max = math.ceil(high / step) * step
    if y_max == high:
        y_max += step  # room above the top line
    if y_min == low and low != 0:
        y_min -= step
    start, span = series[0].month, max(len(series) - 1, 1)

    def x(month: int) -> float:
        return round(left + (month - start) / span * (right - left), 1)

    def y(value: int) -> float:
        return round(top + (y_max - value) / (y_max - y_min) * (bottom - top), 1)

    points = " ".join(f"{x(p.month):g},{y(p.total):g}" for p in series)
    x_ticks = tuple(Tick(x(p.month), str(p.month // 12)) for p in series if p.month % 12 == 0)
    y_ticks = tuple(Tick(y(v), str(v)) for v in range(y_min, y_max + 1, step))
    markers = []
    if reached is not None and reached != start:
        total = series[reached - start].total
        markers.append(Marker(x(reached), y(total), f"{month_cn(reached)} 达到 {total} 分"))
    if lost is not None:
        total = series[lost - start].total
        markers.append(Marker(x(lost), y(total), f"{month_cn(lost)} 降到 {total} 分"))
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        y_min=y_min,
        y_max=y_max,
        points=points,
        threshold=threshold,
        threshold_y=y(threshold),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        markers=tuple(markers),
    )


# ---------------------------------------------------------------------------------------------
# Actions: candidate changes


@dataclass(frozen=True, slots=True)
class _Change:
    """One change of one kind: how it alters the profile, and how to say and share it."""

    kind: str
    title: str
    conditions: tuple[str, ...]
    fields: dict  # Profile fields to replace
    query: dict[str, list[str]]
    certificate_tier: str | None = None
    level: int = 0  # order of cost within the kind (the base multiple)


def _held_points(profile: Profile, policy: Policy) -> int:
    """The tier the applicant's certificate reaches when its own conditions hold (the SI test aside:
    the projection and the base actions deal with that)."""
    claim = profile.certificate
    if claim is None or not (claim.active and claim.job_match and claim.in_shanghai):
        return 0
    if claim.needs_registration and not claim.registered:
        return 0
    return policy.tier_points.get(claim.tier, 0)


def _certificate_changes(profile: Profile, policy: Policy) -> list[_Change]:
    held = _held_points(profile, policy)
    education = policy.education_points.get(profile.education, 0)
    changes = []
    for tier in TIER_LABELS:
        points = policy.tier_points.get(tier, 0)
        # 学历与职称二选一: a tier not above the education never changes the total.
        if tier not in TIER_TITLES or points <= max(held, education):
            continue
        conditions = [
            "证书须在本市现行目录中，专业或工种与所聘岗位相符，在本市工作期间取得或经本市认定；"
            "注册类职业资格须已注册并在有效期内。",
            "按现在已取得计算：考试、评审需要时间，实际达标会相应推后。",
        ]
        if tier in policy.base_test_tiers:
            conditions.insert(
                1,
                f"最近 {policy.base_test_window} 个月中须有 {policy.base_test_months} 个月社保缴费基数"
                f"≥{policy.base_test_multiple.normalize():f} 倍社会平均工资，否则不计分。",
            )
        claim = CertificateClaim(name=f"（模拟）{TIER_LABELS[tier]}", tier=tier, job_match=True, in_shanghai=True)
        changes.append(
            _Change(
                "certificate",
                TIER_TITLES[tier],
                tuple(conditions),
                {"certificate": claim},
                {"cert_job_match": ["on"], "cert_in_shanghai": ["on"], "cert_registered": ["on"]},
                tier,
            )
        )
    return changes


def _period_query(periods: tuple[SIPeriod, ...]) -> dict[str, list[str]]:
    return {
        "si_from": [month_label(p.start) for p in periods],
        "si_to": [month_label(p.end) if p.end is not None else "" for p in periods],
        "si_base": [str(p.base) if p.base is not None else "max" for p in periods],
    }


def _base_changes(profile: Profile, policy: Policy, start: int) -> list[_Change]:
    """Raise the base from next month to each tier's multiple (the highest tier is the ceiling)."""
    open_now = [p for p in profile.si_periods if p.end is None and p.start <= start]
    if not open_now or not policy.averages:
        return []
    latest = max(policy.averages, key=lambda w: w.end)
    current = None if any(p.base is None for p in open_now) else min(max(p.base for p in open_now), latest.ceiling)
    if current is None:
        return []
    kept = tuple(
        SIPeriod(p.start, start, p.base) if p.end is None else p
        for p in profile.si_periods
        if p.end is not None or p.start <= start
    )
    top = max(t.multiple for t in policy.base_tiers)
    changes = []
    for level, multiple in enumerate(sorted({t.multiple for t in policy.base_tiers})):
        base = None if multiple == top else math.ceil(multiple * latest.average)
        if (base if base is not None else latest.ceiling) <= current:
            continue
        periods = (*kept, SIPeriod(start + 1, None, base))
        times = f"{multiple.normalize():f} 倍"
        title = (
            f"从下月起按上限（封顶，{times}社会平均工资）缴纳社保"
            if base is None
            else f"从下月起把社保缴费基数提高到 {base:,} 元（{times}社会平均工资）"
        )
        conditions = (
            "缴费基数由用人单位按实际工资申报，须有相应的工资收入；不能为积分单独补缴。",
            f"按最近公布的社会平均工资 {latest.average:,} 元计算；以后每年 7 月调整，基数须随之提高。",
            "基数档次看最近 48 个月中的 36 个月（封顶档看最近 36 个月中的 24 个月），要持续缴纳一段时间才计分。",
        )
        changes.append(_Change("base", title, conditions, {"si_periods": periods}, _period_query(periods), level=level))
    return changes


def _education_changes(profile: Profile, policy: Policy) -> list[_Change]:
    current = policy.education_points.get(profile.education, 0)
    return [
        _Change(
            "education",
            EDUCATION_TITLES[code],
            (
                "须为国家承认的学历学位（国外学历学位须经教育部留学服务中心认证）。",
                "按现在已取得计算：实际取得需要几年，达标会相应推后。",
            ),
            {"education": code},
            {"education": [code]},
        )
        for code in EDUCATION_LABELS
        if code in EDUCATION_TITLES and policy.education_points.get(code, 0) > current
    ]


def _allows_shortage(education: str) -> bool:
    order = list(EDUCATION_LABELS)
    return education in order and order.index(education) >= order.index("junior_college")


SHORTAGE = _Change(
    "shortage_major",
    "以紧缺急需专业申报加分",
    ("所学全日制专业须在本市《紧缺急需专业目录》中，且与所聘岗位相符。",),
    {"shortage_major": True},
    {"shortage_major": ["on"]},
)


def _candidates(profile: Profile, policy: Policy, start: int) -> list[tuple[_Change, ...]]:
    """Singles of each kind, then pairs of different kinds, at most MAX_CANDIDATES.

    No education + title pairs: only the higher of the two counts (二选一)."""
    certificates = _certificate_changes(profile, policy)
    bases = _base_changes(profile, policy, start)
    educations = _education_changes(profile, policy)
    shortage = [] if profile.shortage_major else [SHORTAGE]
    singles: list[tuple[_Change, ...]] = [(c,) for c in [*certificates, *bases, *educations]]
    if _allows_shortage(profile.education):
        singles += [(c,) for c in shortage]
    pairs: list[tuple[_Change, ...]] = [(c, b) for c in certificates for b in bases]
    pairs += [(e, b) for e in educations for b in bases]
    for extra in shortage:
        pairs += [(b, extra) for b in bases if _allows_shortage(profile.education)]
        pairs += [(c, extra) for c in certificates if _allows_shortage(profile.education)]
        pairs += [(e, extra) for e in educations if _allows_shortage(e.fields["education"])]
    return (singles + pairs)[:MAX_CANDIDATES]


# ---------------------------------------------------------------------------------------------
# Actions: dating and ranking


@dataclass(slots=True)
class _Tried:
    changes: tuple[_Change, ...]
    profile: Profile
    reached: int | None = None  # offset
    at_reached: Result | None = None
    now: Result | None = None  # scored when needed

    def rank(self) -> tuple:
        total = self.at_reached.total if self.at_reached else 0
        return (self.reached if self.reached is not None else math.inf, len(self.changes), -total)


def _apply(profile: Profile, changes: tuple[_Change, ...]) -> Profile:
    fields: dict = {}
    for change in changes:
        fields.update(change.fields)
    return replace(profile, **fields)


def advise(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> Advice:
    """The projection, and the changes that would reach the threshold sooner, best first."""
    timeline = _Timeline.of(profile, policy, as_of, months)
    projection, first = _project(timeline, profile)
    start = timeline.start
    now = projection.now
    if now.passed:
        note = "你现在已达到标准分值，无需调整。"
        if projection.lost is not None:
            note = f"你现在已达到标准分值；注意预计 {month_cn(projection.lost)} 起不再达标，宜在此前申请。"
        return Advice(projection, (), False, (note,))
    if not first.eligible:
        # A veto stays and age only grows: no change the applicant can make helps.
        return Advice(projection, (), False, ("不符合申请条件：" + first.reasons[0],))

    # Only sooner than doing nothing counts; search each candidate until it passes or cannot win.
    limit = (projection.reached - start - 1) if projection.reached is not None else months
    tried: list[_Tried] = []
    kept: list[_Tried] = []  # reaching, and not dominated by an earlier candidate
    for changes in _candidates(profile, policy, start):
        found = _Tried(changes, _apply(profile, changes))
        kept.sort(key=_Tried.rank)
        bound = kept[MAX_ACTIONS - 1].reached if len(kept) >= MAX_ACTIONS else limit
        hit = timeline.first_pass(found.profile, -1, min(limit, bound))
        if hit is not None:
            found.reached, found.at_reached = hit
            if not any(_dominates(other, found) for other in kept):
                kept.append(found)
        tried.append(found)

    notes = ["只列出你自己能做到的改变；每一项都按积分规则重新计算，并按当时条件逐月推算。"]
    if kept:
        chosen = sorted(kept, key=_Tried.rank)[:MAX_ACTIONS]
    elif projection.reached is not None:
        chosen = []
        notes = [f"按模拟，没有哪一项改变能让你早于 {month_cn(projection.reached)} 达到 {policy.threshold} 分。"]
    else:
        for t in tried:
            t.now = timeline.score(t.profile, 0)
        gaining = [t for t in tried if t.now is not None and t.now.total > now.total]
        chosen = sorted(gaining, key=lambda t: (-t.now.total, len(t.changes)))[:MAX_FALLBACK]
        notes.append(f"以下任何一项都不能在 {months // 12} 年内达到 {policy.threshold} 分，按增加的分数列出。")
    for t in chosen:
        t.now = t.now or (t.at_reached if t.reached == 0 else timeline.score(t.profile, 0))
    actions = tuple(_action(t, projection) for t in chosen)
    return Advice(projection, actions, bool(kept), tuple(notes))


def _dominates(other: _Tried, tried: _Tried) -> bool:
    """`tried` is not worth showing: `other` passes as soon with a part of its changes, or with the same
    changes at a lower base. Candidates come cheapest first, so `other` is always tried before."""
    if other.reached is None or tried.reached is None or other.reached > tried.reached:
        return False
    return len(other.changes) <= len(tried.changes) and all(
        any(
            mine == theirs or (mine.kind == theirs.kind == "base" and theirs.level < mine.level)
            for mine in tried.changes
        )
        for theirs in other.changes
    )


def _action(tried: _Tried, projection: Projection) -> Action:
    changes, now = tried.changes, tried.now
    assert now is not None
    query: dict[str, list[str]] = {}
    for change in changes:
        query.update(change.query)
    conditions = tuple(c for change in changes for c in change.conditions) + (SIMULATION,)
    tier = next((c.certificate_tier for c in changes if c.certificate_tier), None)
    reached = at_total = gain_at = sooner = None
    if tried.reached is not None and tried.at_reached is not None:
        reached = projection.start + tried.reached
        at_total = tried.at_reached.total
        gain_at = at_total - projection.at(reached).total
        if projection.reached is not None:
            sooner = projection.reached - reached
    return Action(
        kinds=tuple(c.kind for c in changes),
        title="，并".join(c.title for c in changes),
        conditions=conditions,
        profile=tried.profile,
        query=query,
        certificate_tier=tier,
        total_now=now.total,
        gain=now.total - projection.now.total,
        month_reached=reached,
        total_at_reached=at_total,
        gain_at_reached=gain_at,
        sooner_by=sooner,
    )
