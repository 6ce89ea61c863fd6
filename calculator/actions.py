"""Path to 120, part two: the actions "怎样更快达标" — candidate changes the applicant can make, each
expressed as a change of the `Profile`, re-scored with the engine, dated with the projection and
ranked. Turning a change into a link is the vocabulary's job (calculator/vocabulary.py).

Pure, like scoring.py: no Django here. An action is searched only until it first passes, only up to
the month it would have to beat, with the monthly totals of the projection's timeline (the lines it
cannot touch are shared with the profile's own projection: projection._Timeline.first_pass).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

from calculator import labels, vocabulary
from calculator.projection import HORIZON, SIMULATION, Projection, _project, _Timeline
from calculator.scoring import (
    CertificateClaim,
    Policy,
    Profile,
    Result,
    SIPeriod,
    held_points,
    month_cn,
    month_of,
    score,
)

MAX_CANDIDATES = 60
MAX_ACTIONS = 8
MAX_FALLBACK = 4  # actions shown by points gained when none reaches the threshold

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


@dataclass(frozen=True, slots=True)
class Action:
    """One simulated change, re-scored with the engine and dated with the projection."""

    kinds: tuple[str, ...]  # certificate, base, education, shortage_major
    title: str
    conditions: tuple[str, ...]  # what it depends on, in Chinese; the last says it is a simulation
    profile: Profile  # the profile with the change applied from the evaluation month
    changes: Mapping[str, object]  # the Profile fields the action replaces, with their new values
    total_now: int  # score(profile, policy, as_of).total
    gain: int  # total_now minus the total without the change
    month_reached: int | None  # earliest month passing with the change, None: not within the horizon
    total_at_reached: int | None
    gain_at_reached: int | None  # minus the projected total without the change, that month
    sooner_by: int | None  # months earlier than without the change; None when that never passes

    @property
    def reached_label(self) -> str:
        return month_cn(self.month_reached) if self.month_reached is not None else ""

    @property
    def certificate_tier(self) -> str | None:
        """The tier of a certificate the action obtains (a link maps it to a catalogue entry)."""
        claim = self.changes.get("certificate")
        return claim.tier if isinstance(claim, CertificateClaim) else None

    @property
    def query(self) -> dict[str, list[str]]:
        """The changed query-string parameters, in the vocabulary's words (replace these keys)."""
        return vocabulary.profile_params(self.changes)


@dataclass(frozen=True, slots=True)
class Advice:
    projection: Projection
    actions: tuple[Action, ...]
    reaching: bool  # the actions reach the threshold; False: none does, shown by points gained
    notes: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Actions: candidate changes


@dataclass(frozen=True, slots=True)
class _Change:
    """One change of one kind: how it alters the profile, and how to say it."""

    kind: str
    title: str
    conditions: tuple[str, ...]
    fields: Mapping[str, object]  # Profile fields to replace
    level: int = 0  # order of cost within the kind (the base multiple)


def _certificate_changes(profile: Profile, policy: Policy) -> list[_Change]:
    held = held_points(profile.certificate, policy)
    education = policy.education_points.get(profile.education, 0)
    changes = []
    for tier in labels.TIER:
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
        claim = CertificateClaim(name=f"（模拟）{labels.TIER[tier]}", tier=tier, job_match=True, in_shanghai=True)
        changes.append(_Change("certificate", TIER_TITLES[tier], tuple(conditions), {"certificate": claim}))
    return changes


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
    windows = "；".join(
        f"{t.multiple.normalize():f} 倍档看最近 {t.window} 个月中的 {t.months} 个月"
        for t in sorted(policy.base_tiers, key=lambda t: t.points)
    )
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
            f"按最近公布的社会平均工资 {latest.average:,} 元计算；以后每年 {(latest.end + 1) % 12 + 1} 月调整，"
            "基数须随之提高。",
            f"基数档次要持续缴纳一段时间才计分：{windows}。",
        )
        changes.append(_Change("base", title, conditions, {"si_periods": periods}, level=level))
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
        )
        for code in labels.EDUCATION
        if code in EDUCATION_TITLES and policy.education_points.get(code, 0) > current
    ]


def _allows_shortage(education: str) -> bool:
    order = list(labels.EDUCATION)
    return education in order and order.index(education) >= order.index("junior_college")


SHORTAGE = _Change(
    "shortage_major",
    "以紧缺急需专业申报加分",
    ("所学全日制专业须在本市《紧缺急需专业目录》中，且与所聘岗位相符。",),
    MappingProxyType({"shortage_major": True}),
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
    fields: dict[str, object]  # the Profile fields the changes replace
    reached: int | None = None  # offset
    at_reached: int | None = None  # the total that month
    now: int | None = None  # the total now, worked out when needed

    def rank(self) -> tuple:
        total = self.at_reached if self.at_reached is not None else 0
        return (self.reached if self.reached is not None else math.inf, len(self.changes), -total)


def _apply(profile: Profile, changes: tuple[_Change, ...]) -> Profile:
    return replace(profile, **_fields(changes))


def _fields(changes: tuple[_Change, ...]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for change in changes:
        fields.update(change.fields)
    return fields


def advise(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> Advice:
    """The projection, and the changes that would reach the threshold sooner, best first."""
    timeline = _Timeline.of(profile, policy, as_of, months)
    projection = _project(timeline)
    start = timeline.start
    now = projection.now
    if now.passed:
        note = "你现在已达到标准分值，无需调整。"
        if projection.lost is not None:
            note = f"你现在已达到标准分值；注意预计 {month_cn(projection.lost)} 起不再达标，宜在此前申请。"
        return Advice(projection, (), False, (note,))
    refused = timeline.refusals(0)
    if refused:
        # A veto stays and age only grows: no change the applicant can make helps.
        return Advice(projection, (), False, ("不符合申请条件：" + refused[0],))

    # Only sooner than doing nothing counts; search each candidate until it passes or cannot win.
    limit = (projection.reached - start - 1) if projection.reached is not None else months
    tried: list[_Tried] = []
    kept: list[_Tried] = []  # reaching, and not dominated by an earlier candidate
    for changes in _candidates(profile, policy, start):
        found = _Tried(changes, _fields(changes))
        bound = kept[MAX_ACTIONS - 1].reached if len(kept) >= MAX_ACTIONS else limit
        hit = timeline.first_pass(found.fields, min(limit, bound))
        if hit is not None:
            found.reached, found.at_reached = hit
            if not any(_dominates(other, found) for other in kept):
                kept.append(found)
                kept.sort(key=_Tried.rank)
        tried.append(found)

    notes = ["只列出你自己能做到的改变；每一项都按积分规则重新计算，并按当时条件逐月推算。"]
    if kept:
        chosen = sorted(kept, key=_Tried.rank)[:MAX_ACTIONS]
    elif projection.reached is not None:
        chosen = []
        notes = [f"按模拟，没有哪一项改变能让你早于 {month_cn(projection.reached)} 达到 {policy.threshold} 分。"]
    else:
        for t in tried:
            t.now = timeline.total_now(t.fields)
        gaining = [t for t in tried if t.now is not None and t.now > now.total]
        chosen = sorted(gaining, key=lambda t: (-t.now, len(t.changes)))[:MAX_FALLBACK]
        notes.append(f"以下任何一项都不能在 {months // 12} 年内达到 {policy.threshold} 分，按增加的分数列出。")
    for t in chosen:
        if t.now is None:
            t.now = t.at_reached if t.reached == 0 else timeline.total_now(t.fields)
    actions = tuple(_action(t, profile, projection) for t in chosen)
    return Advice(projection, actions, bool(kept), tuple(notes))


def _dominates(other: _Tried, tried: _Tried) -> bool:
    """`tried` is not worth showing: `other` passes as soon with a part of its changes, or with the same
    changes at a lower base. Candidates come cheapest first, so `other` is always tried before."""
    if other.reached is None or tried.reached is None or other.reached > tried.reached:
        return False
    if len(other.changes) > len(tried.changes):
        return False
    for theirs in other.changes:
        for mine in tried.changes:
            if mine.kind == theirs.kind and (mine == theirs or (mine.kind == "base" and theirs.level < mine.level)):
                break
        else:
            return False
    return True


def _action(tried: _Tried, profile: Profile, projection: Projection) -> Action:
    changes, now = tried.changes, tried.now
    assert now is not None
    conditions = tuple(c for change in changes for c in change.conditions) + (SIMULATION,)
    reached = at_total = gain_at = sooner = None
    if tried.reached is not None and tried.at_reached is not None:
        reached = projection.start + tried.reached
        at_total = tried.at_reached
        gain_at = at_total - projection.at(reached).total
        if projection.reached is not None:
            sooner = projection.reached - reached
    return Action(
        kinds=tuple(c.kind for c in changes),
        title="，并".join(c.title for c in changes),
        conditions=conditions,
        profile=replace(profile, **tried.fields),
        changes=MappingProxyType(tried.fields),
        total_now=now,
        gain=now - projection.now.total,
        month_reached=reached,
        total_at_reached=at_total,
        gain_at_reached=gain_at,
        sooner_by=sooner,
    )


# ---------------------------------------------------------------------------------------------
# The lean outlook: what a roster row needs, without the chart, the summary or the pairs


@dataclass(frozen=True, slots=True)
class BestSingle:
    """The single change that passes soonest (the ranking of `advise`, pairs left out)."""

    kind: str
    title: str
    changes: Mapping[str, object]  # the Profile fields the change replaces
    month_reached: int
    total_at_reached: int

    @property
    def query(self) -> dict[str, list[str]]:
        """The changed query-string parameters, in the vocabulary's words (replace these keys)."""
        return vocabulary.profile_params(self.changes)


@dataclass(frozen=True, slots=True)
class Outlook:
    now: Result
    reached: int | None  # earliest month passing "如果保持现状", None: not within the horizon
    best: BestSingle | None  # None when passing now, not eligible, or no single change is sooner


def outlook(
    profile: Profile, policy: Policy, as_of: date, months: int = HORIZON, *, now: Result | None = None
) -> Outlook:
    """The result now, the earliest month passing as things are, and the best single change: the same
    timeline, scores and first-pass search as `advise`, for a roster of thousands of rows. The
    projection stops at its first passing month (all the single changes need: they must pass sooner),
    and a row passing now is scored once (`now`: that score, when the caller has it)."""
    start = month_of(as_of)
    now = now or score(profile, policy, as_of)
    if now.passed:
        return Outlook(now, start, None)
    timeline = _Timeline.of(profile, policy, as_of, months)
    hit = timeline.first_pass({}, months)
    offset = hit[0] if hit is not None else None
    reached = start + offset if offset is not None else None
    if not now.eligible:
        return Outlook(now, reached, None)
    return Outlook(now, reached, _best_single(timeline, profile, offset - 1 if offset is not None else months))


def _best_single(timeline: _Timeline, profile: Profile, limit: int) -> BestSingle | None:
    """The single candidate passing soonest by offset `limit`; ties go to the first, as in `advise`."""
    best: tuple | None = None  # (rank, change, offset, result)
    base_reached = None  # a higher base passing no sooner than a lower one is dominated (_dominates)
    for (change,) in (c for c in _candidates(profile, timeline.policy, timeline.start) if len(c) == 1):
        hit = timeline.first_pass(change.fields, limit if best is None else min(limit, best[2]))
        if hit is None:
            continue
        if change.kind == "base":
            if base_reached is not None and hit[0] >= base_reached:
                continue
            base_reached = hit[0]
        rank = (hit[0], -hit[1])
        if best is None or rank < best[0]:
            best = (rank, change, *hit)
    if best is None:
        return None
    _, change, offset, total = best
    return BestSingle(change.kind, change.title, MappingProxyType(dict(change.fields)), timeline.start + offset, total)
