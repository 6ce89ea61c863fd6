"""The profile: what the applicant told us, already validated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CertificateClaim:
    """A catalogue entry the applicant holds, and the conditions of 第六条(三) as they state them."""

    name: str
    tier: str
    needs_registration: bool = False
    active: bool = True
    job_match: bool = False
    in_shanghai: bool = False
    registered: bool = False


@dataclass(frozen=True, slots=True)
class SIPeriod:
    """Months start..end (end None = up to the evaluation month) at `base` yuan a month
    (None = at the ceiling, 封顶)."""

    start: int
    end: int | None
    base: int | None


@dataclass(frozen=True, slots=True)
class Profile:
    age: int
    education: str = "none"
    certificate: CertificateClaim | None = None
    si_periods: tuple[SIPeriod, ...] = ()
    shortage_major: bool = False
    fresh_graduate: bool = False
    invest_tax: int = 0
    invest_hires: int = 0
    public_service_years: int = 0
    remote_years: int = 0
    lingang_years: int = 0
    spouse_years: int = 0
    award: str = "none"
    talent: str = "none"
    false_material: int = 0
    detention: int = 0
    crime: int = 0
    veto_family_planning: bool = False
    veto_serious_crime: bool = False
    birth: int | None = None  # birth month index, when given; `age` is then derived from it
