"""What to prepare, for one `Simulation`: the checklist (with the months of the projection its checks
need), the panel the simulator and a shared link show (live, or as the snapshot stored it), and the
calendar file of 加入日历. The decisions are the checklist package's (calculator/checklist/); this module
feeds it and shapes its output for the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from calculator import checklist, labels, projection, reminders
from calculator.cache import cached
from calculator.checklist import Check, Checklist, Item
from calculator.scoring import month_of
from calculator.simulation import Simulation
from jifen_site.links import url

SI_NOTE = "back_pay"  # the check shown under the SI table, whatever the answers


def texts() -> checklist.Texts:
    """The materials, checks and filing steps staff keep, cached until any of them (or the policy) is saved."""
    from calculator.models import checklist_texts

    return cached("checklist.texts", checklist_texts)


def checklist_of(sim: Simulation) -> Checklist | None:
    """The materials and pre-flight checks of a valid simulation. The projection runs only when a
    check needs one of its months (a 居住证 expiry, or a title with the base test)."""
    if sim.profile is None or sim.result is None or sim.policy is None:
        return None
    profile, policy, as_of, extras = sim.profile, sim.policy, sim.as_of, sim.form.to_extras()
    timing = checklist.Timing(month_of(as_of))
    if checklist.needs_timing(profile, extras, policy):
        reached = projection.project(profile, policy, as_of).reached if extras.permit_expires is not None else None
        base_test = projection.base_test_month(profile, policy, as_of, scored=sim.result)
        timing = checklist.Timing(month_of(as_of), reached, base_test)
    return checklist.evaluate(profile, sim.result, extras, texts(), timing, policy)


def si_note() -> str:
    """The back_pay check's message, shown under the SI table."""
    return next((check.message for check in texts().checks if check.code == SI_NOTE), "")


@dataclass(frozen=True, slots=True)
class MaterialGroup:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Panel:
    """The checklist as a page shows it: the materials grouped in their order, the checks, the steps."""

    groups: tuple[MaterialGroup, ...]
    checks: tuple[Check, ...]
    steps: tuple[str, ...]

    @classmethod
    def of(cls, found: Checklist, *, si_table: bool = True) -> Panel:
        """A live checklist. Beside the SI table the back_pay check is shown under it instead."""
        checks = tuple(check for check in found.checks if not si_table or check.code != SI_NOTE)
        items = tuple((labels.MATERIAL_GROUP.get(item.group, item.group), item) for item in found.items)
        return cls(_grouped(items), checks, tuple(step.text for step in found.steps))

    @classmethod
    def stored(cls, data: dict) -> Panel | None:
        """What a shared snapshot stored (`snapshot_json`); None for snapshots older than the checklist."""
        if "materials" not in data:
            return None
        items = tuple((row["group"], Item(**row)) for row in data["materials"])
        checks = tuple(Check(**row) for row in data.get("checks", ()))
        return cls(_grouped(items), checks, tuple(data.get("steps", ())))


def _grouped(items: tuple[tuple[str, Item], ...]) -> tuple[MaterialGroup, ...]:
    groups: dict[str, list[Item]] = {}
    for title, item in items:
        groups.setdefault(title, []).append(item)
    return tuple(MaterialGroup(title, tuple(members)) for title, members in groups.items())


def score_json(sim: Simulation, found: Checklist) -> dict:
    """The JSON shape of /api/score: the result, its materials and its pre-flight checks."""
    assert sim.result is not None
    shape = found.as_dict()
    return {**sim.result.as_dict(), "materials": shape["materials"], "checks": shape["checks"]}


def snapshot_json(sim: Simulation, found: Checklist) -> dict:
    """What a shared link stores: the /api/score shape and the filing steps, as they were."""
    return {**score_json(sim, found), "steps": found.as_dict()["steps"]}


@dataclass(frozen=True, slots=True)
class CalendarDates:
    """The dates 加入日历 would write: the earliest month at the standard score, the 居住证's expiry."""

    reached: int | None
    permit_expires: int | None
    query: str  # the inputs, for the link
    notice_days: int = reminders.PERMIT_NOTICE_DAYS

    def __bool__(self) -> bool:
        return self.reached is not None or self.permit_expires is not None

    @property
    def url(self) -> str:
        return f"{url('calculator:calendar')}?{self.query}"


def calendar_dates(sim: Simulation, reached: int | None) -> CalendarDates:
    return CalendarDates(reached, sim.form.to_extras().permit_expires if sim.valid else None, sim.query)


def calendar_file(sim: Simulation) -> bytes | None:
    """The .ics of a valid simulation, or None when it gives neither date."""
    assert sim.profile is not None and sim.policy is not None
    reached = projection.project(sim.profile, sim.policy, sim.as_of).reached
    dates = calendar_dates(sim, reached)
    if not dates:
        return None
    day = projection.date_at(sim.as_of, reached) if reached is not None else None
    return reminders.calendar(reached=day, permit_expires=dates.permit_expires, threshold=sim.policy.threshold)
