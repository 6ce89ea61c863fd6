"""When a material applies: the closed set of conditions staff pick from (labels.CONDITION), each
decided from the profile, its scored result and the `Extras`. A new kind of condition is a code change here."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from calculator import labels
from calculator.checklist.inputs import Extras
from calculator.scoring import Profile, Result

DEGREES = frozenset({"bachelor_degree", "master", "doctor"})


def _education_counted(profile: Profile, result: Result) -> bool:
    """学历与职称二选一: the education line is the one counted, and it is 大专 or above."""
    return result.line("education").counted and profile.education != "none"


def _counted(result: Result, *codes: str) -> bool:
    return any(result.line(code).counted and result.line(code).points > 0 for code in codes)


Condition = Callable[[Profile, Result, Extras], bool]

CONDITIONS: Mapping[str, Condition] = {
    "always": lambda p, r, x: True,
    "education_college": lambda p, r, x: _education_counted(p, r),
    "education_degree": lambda p, r, x: _education_counted(p, r) and p.education in DEGREES,
    "foreign_degree": lambda p, r, x: x.foreign_degree,
    "certificate": lambda p, r, x: p.certificate is not None,
    "certificate_registration": lambda p, r, x: p.certificate is not None and p.certificate.needs_registration,
    "certificate_outside": lambda p, r, x: p.certificate is not None and not p.certificate.in_shanghai,
    "spouse": lambda p, r, x: p.spouse_years > 0,
    "fresh_graduate": lambda p, r, x: p.fresh_graduate,
    "investment": lambda p, r, x: p.invest_tax > 0 or p.invest_hires > 0,
    "key_area": lambda p, r, x: _counted(r, "public_service", "key_area"),
    "award": lambda p, r, x: _counted(r, "award"),
    "talent": lambda p, r, x: _counted(r, "talent"),
    "agent_paid": lambda p, r, x: x.agent_paid,
    "tax_mismatch": lambda p, r, x: x.tax_mismatch,
    "archive_outside": lambda p, r, x: x.archive_outside,
    "permit_expires": lambda p, r, x: x.permit_expires is not None,
}
assert set(CONDITIONS) == set(labels.CONDITION)


def applies(condition: str, profile: Profile, result: Result, extras: Extras) -> bool:
    """Whether an item with `condition` belongs on this applicant's list (an unknown one never does)."""
    test = CONDITIONS.get(condition)
    return test is not None and test(profile, result, extras)
