"""One roster row: the vocabulary -> a profile -> the score, the earliest month at the threshold and the
best single change. Everything a row reports comes from `simulation.simulate` and `actions.outlook`,
the same code the simulator and its path to 120 run.
"""

from __future__ import annotations

from dataclasses import dataclass

from calculator import actions, certificates, simulation
from calculator.models.roster import SOON_MONTHS, RowStatus
from calculator.roster.cells import RowInput, form_errors
from calculator.scoring import month_of


@dataclass(frozen=True, slots=True)
class RowOutcome:
    query: str  # the vocabulary's canonical query: opens the simulator with exactly this row's inputs
    errors: tuple[tuple[str, str], ...] = ()  # (vocabulary name, message); then nothing below is set
    status: str = RowStatus.ERROR
    total: int | None = None
    margin: int | None = None
    eligible: bool | None = None
    passed: bool = False
    earliest: int | None = None  # month index
    best_action: str = ""
    best_month: int | None = None


def score_row(row: RowInput) -> RowOutcome:
    """Validate, score and project one row (the per-row path of every roster)."""
    sim = simulation.simulate(row.data)
    errors = [*row.errors, *form_errors(sim.form.errors_json())]
    if errors or sim.profile is None or sim.policy is None or sim.result is None:
        return RowOutcome(sim.query, tuple(dict.fromkeys(errors)))
    look = actions.outlook(sim.profile, sim.policy, sim.as_of, now=sim.result)
    now, start = look.now, month_of(sim.as_of)
    if now.passed:
        status = RowStatus.NOW
    elif look.reached is None:
        status = RowStatus.NEVER
    elif look.reached - start <= SOON_MONTHS:
        status = RowStatus.SOON
    else:
        status = RowStatus.LATER
    best = look.best
    return RowOutcome(
        query=sim.query,
        status=status,
        total=now.total,
        margin=now.margin,
        eligible=now.eligible,
        passed=now.passed,
        earliest=look.reached,
        best_action=best.title if best else "",
        best_month=best.month_reached if best else None,
    )


def certificates_named(text: str) -> list[certificates.Entry]:
    """Catalogue entries whose exact name or alias is `text` (active entries first, retired ones only
    when no active entry has that name)."""
    return [found for pk in certificates.named(text) if (found := certificates.entry(pk)) is not None]
