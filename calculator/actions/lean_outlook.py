"""The lean outlook: what a roster row needs (the result now, the earliest month passing as things are
and the best single change), without the chart, the summary or the pairs of `advise`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from calculator import vocabulary
from calculator.actions.candidates import candidates
from calculator.projection import HORIZON, Timeline
from calculator.scoring import Policy, Profile, Result, month_of, score


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
    timeline = Timeline.of(profile, policy, as_of, months)
    hit = timeline.first_pass({}, months)
    offset = hit[0] if hit is not None else None
    reached = start + offset if offset is not None else None
    if not now.eligible:
        return Outlook(now, reached, None)
    return Outlook(now, reached, _best_single(timeline, profile, offset - 1 if offset is not None else months))


def _best_single(timeline: Timeline, profile: Profile, limit: int) -> BestSingle | None:
    """The single candidate passing soonest by offset `limit`; ties go to the first, as in `advise`."""
    best: tuple | None = None  # (rank, change, offset, result)
    base_reached = None  # a higher base passing no sooner than a lower one is dominated (advice._dominates)
    for (change,) in (c for c in candidates(profile, timeline.policy, timeline.start) if len(c) == 1):
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
