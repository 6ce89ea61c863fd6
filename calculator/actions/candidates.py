"""The candidate changes of the path to 120: what the applicant can change (a certificate, the SI base,
the education, the shortage major), each as the `Profile` fields it replaces and how to say it; then
singles and pairs of them, cheapest first."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from calculator import labels
from calculator.scoring import CertificateClaim, Policy, Profile, SIPeriod, decimal_text, held_points

MAX_CANDIDATES = 60

# What each change is called: the vocabulary's own labels (none of them is a change to make).
EDUCATION_TITLES = {code: f"取得学历：{label}" for code, label in labels.EDUCATION.items() if code != "none"}
TIER_TITLES = {code: f"取得证书：{label}" for code, label in labels.TIER.items() if code != "none"}


@dataclass(frozen=True, slots=True)
class Change:
    """One change of one kind: how it alters the profile, and how to say it."""

    kind: str
    title: str
    conditions: tuple[str, ...]
    fields: Mapping[str, object]  # Profile fields to replace
    level: int = 0  # order of cost within the kind (the base multiple)


def _certificate_changes(profile: Profile, policy: Policy) -> list[Change]:
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
                f"≥{decimal_text(policy.base_test_multiple)} 倍社会平均工资，否则不计分。",
            )
        claim = CertificateClaim(name=f"（模拟）{labels.TIER[tier]}", tier=tier, job_match=True, in_shanghai=True)
        changes.append(Change("certificate", TIER_TITLES[tier], tuple(conditions), {"certificate": claim}))
    return changes


def _base_changes(profile: Profile, policy: Policy, start: int) -> list[Change]:
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
        f"{decimal_text(t.multiple)} 倍档看最近 {t.window} 个月中的 {t.months} 个月"
        for t in sorted(policy.base_tiers, key=lambda t: t.points)
    )
    changes = []
    for level, multiple in enumerate(sorted({t.multiple for t in policy.base_tiers})):
        base = None if multiple == top else math.ceil(multiple * latest.average)
        if (base if base is not None else latest.ceiling) <= current:
            continue
        periods = (*kept, SIPeriod(start + 1, None, base))
        times = f"{decimal_text(multiple)} 倍"
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
        changes.append(Change("base", title, conditions, {"si_periods": periods}, level=level))
    return changes


def _education_changes(profile: Profile, policy: Policy) -> list[Change]:
    current = policy.education_points.get(profile.education, 0)
    return [
        Change(
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


SHORTAGE = Change(
    "shortage_major",
    f"以{labels.INDICATOR['shortage_major']}申报加分",
    ("所学全日制专业须在本市《紧缺急需专业目录》中，且与所聘岗位相符。",),
    MappingProxyType({"shortage_major": True}),
)


def candidates(profile: Profile, policy: Policy, start: int) -> list[tuple[Change, ...]]:
    """Singles of each kind, then pairs of different kinds, at most MAX_CANDIDATES.

    No education + title pairs: only the higher of the two counts (二选一)."""
    certificates = _certificate_changes(profile, policy)
    bases = _base_changes(profile, policy, start)
    educations = _education_changes(profile, policy)
    shortage = [] if profile.shortage_major else [SHORTAGE]
    singles: list[tuple[Change, ...]] = [(c,) for c in [*certificates, *bases, *educations]]
    if _allows_shortage(profile.education):
        singles += [(c,) for c in shortage]
    pairs: list[tuple[Change, ...]] = [(c, b) for c in certificates for b in bases]
    pairs += [(e, b) for e in educations for b in bases]
    for extra in shortage:
        pairs += [(b, extra) for b in bases if _allows_shortage(profile.education)]
        pairs += [(c, extra) for c in certificates if _allows_shortage(profile.education)]
        pairs += [(e, extra) for e in educations if _allows_shortage(e.fields["education"])]
    return (singles + pairs)[:MAX_CANDIDATES]


def apply_changes(profile: Profile, changes: tuple[Change, ...]) -> Profile:
    return replace(profile, **changed_fields(changes))


def changed_fields(changes: tuple[Change, ...]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for change in changes:
        fields.update(change.fields)
    return fields
