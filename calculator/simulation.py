"""One simulation: the query string in; the form, the policy in force, the profile and the result out.
Every entry point (the page and its fragment, the APIs, sharing, the roster upload) calls `simulate`;
what only a page shows is built where that page is rendered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.http import QueryDict

from calculator import certificates, vocabulary
from calculator import policy as policies
from calculator.forms import FIRST_DAY, LAST_DAY, ProfileForm
from calculator.scoring import Policy, Profile, Result, score


@dataclass(frozen=True)
class Simulation:
    form: ProfileForm
    policy: Policy | None
    as_of: date
    profile: Profile | None  # None unless valid
    result: Result | None  # None unless valid, and unless simulated with scored=False
    data: Mapping  # the query as given

    @cached_property
    def query(self) -> str:
        """The canonical query string of the inputs (for links and share; an API answer needs none)."""
        return vocabulary.canonical(self.data) if self.data else ""

    @property
    def valid(self) -> bool:
        return self.profile is not None


def simulate(data: QueryDict, *, as_of: date | None = None, scored: bool = True) -> Simulation:
    """Validate the vocabulary in `data` and score it with the edition in force on `as_of` (default:
    the date in `data`, else today). An empty query is a blank form, not an error. A caller that shows
    nothing of today's result (the path to 120 re-scores the profile month by month its own way) asks
    for none: with `scored=False` a valid simulation has its profile and no result."""
    today = policies.today()
    day = as_of or _requested_day(data) or today
    in_force = policies.in_force(day)
    earliest = policies.first_effective_from()
    form = ProfileForm(data or None, policy=in_force, certificates=certificates.entry, earliest=earliest, today=today)
    if not data:
        return Simulation(form, in_force, day, None, None, data)
    valid = form.is_valid()
    if in_force is None and "as_of" not in form.errors:
        since = f"请选择 {earliest.isoformat()} 以后的日期" if earliest else "管理员尚未录入积分办法"
        form.add_error("as_of", f"这个日期没有生效的积分办法，{since}。")
    profile = result = None
    if valid and in_force is not None:
        profile = form.to_profile()
        result = score(profile, in_force, day) if scored else None
    return Simulation(form, in_force, day, profile, result, data)


def _requested_day(data: QueryDict) -> date | None:
    """The evaluation date the query asks for, when it is one (the form reports it otherwise)."""
    try:
        day = date.fromisoformat((data.get("as_of") or "").strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None
