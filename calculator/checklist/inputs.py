"""What the checklist is decided from, besides the profile and its result: the answers that never change
the score (`Extras`), the two months of the projection (`Timing`) and the texts staff keep (`Texts`)."""

from __future__ import annotations

from dataclasses import dataclass

# The closed vocabularies: their labels are calculator/labels.py's (the models' choices read them there)

UNCONFIRMED = "C"  # shown with a 待核实 tag (labels.STRENGTH)


@dataclass(frozen=True, slots=True)
class Extras:
    """The optional answers that never change the score; they only add checks, materials and reminders."""

    foreign_degree: bool = False
    agent_paid: bool = False
    tax_mismatch: bool = False
    archive_outside: bool = False
    permit_expires: int | None = None  # month index of the 居住证's expiry


@dataclass(frozen=True, slots=True)
class Timing:
    """Two months of the projection "如果保持现状" (calculator/projection.py): the earliest month at the
    standard score, and the month the title's base test would first hold; None: not within its horizon."""

    start: int  # the evaluation month
    reached: int | None = None
    base_test: int | None = None


@dataclass(frozen=True, slots=True)
class MaterialText:
    key: str
    group: str
    item: str
    form: str
    provider: str  # applicant, employer, system
    provider_text: str  # shown; labels.PROVIDER[provider] when staff left it empty
    condition: str
    strength: str


@dataclass(frozen=True, slots=True)
class CheckText:
    code: str
    message: str
    fallback: str  # used when a value the message names is not known
    strength: str


@dataclass(frozen=True, slots=True)
class StepText:
    key: str
    text: str
    strength: str


@dataclass(frozen=True, slots=True)
class Texts:
    """Every active text, in display order."""

    materials: tuple[MaterialText, ...] = ()
    checks: tuple[CheckText, ...] = ()
    steps: tuple[StepText, ...] = ()
