"""The actions "怎样更快达标": each candidate change re-scored with the engine, dated with the projection's
timeline (searched only until it first passes, only up to the month it would have to beat) and ranked;
`advise` returns them with the projection as `Advice`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

from calculator import vocabulary
from calculator.actions.candidates import Change, candidates, changed_fields
from calculator.projection import HORIZON, SIMULATION, Projection, Timeline, project_timeline
from calculator.scoring import CertificateClaim, Policy, Profile, month_cn

MAX_ACTIONS = 8
MAX_FALLBACK = 4  # actions shown by points gained when none reaches the threshold


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


@dataclass(slots=True)
class _Tried:
    changes: tuple[Change, ...]
    fields: dict[str, object]  # the Profile fields the changes replace
    reached: int | None = None  # offset
    at_reached: int | None = None  # the total that month
    now: int | None = None  # the total now, worked out when needed

    def rank(self) -> tuple:
        total = self.at_reached if self.at_reached is not None else 0
        return (self.reached if self.reached is not None else math.inf, len(self.changes), -total)


def advise(profile: Profile, policy: Policy, as_of: date, months: int = HORIZON) -> Advice:
    """The projection, and the changes that would reach the threshold sooner, best first."""
    timeline = Timeline.of(profile, policy, as_of, months)
    projection = project_timeline(timeline)
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
    for changes in candidates(profile, policy, start):
        found = _Tried(changes, changed_fields(changes))
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
