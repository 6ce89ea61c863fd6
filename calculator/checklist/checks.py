"""When a pre-flight check applies: each check's code is its condition, decided from the profile, the
`Extras` and the `Timing` of the projection (which runs only when a check needs it)."""

from __future__ import annotations

from calculator.checklist.inputs import Extras, Timing
from calculator.scoring import Policy, Profile

PERMIT_SOON = 3  # months: a 居住证 expiring within this many months (or already expired) is flagged


def _needs_base_test(profile: Profile, policy: Policy) -> bool:
    claim = profile.certificate
    return claim is not None and claim.active and claim.tier in policy.base_test_tiers


def _base_test_failing(profile: Profile, timing: Timing, policy: Policy) -> bool:
    """第六条(三): a title of a tier that needs the base test, and the test does not hold this month."""
    return _needs_base_test(profile, policy) and timing.base_test != timing.start


def _permit_at_risk(extras: Extras, timing: Timing) -> bool:
    """The 居住证 expires before the earliest month at the standard score, or within PERMIT_SOON months
    (or has expired)."""
    expires = extras.permit_expires
    if expires is None:
        return False
    before_reaching = timing.reached is not None and expires < timing.reached
    return before_reaching or expires <= timing.start + PERMIT_SOON


def check_applies(code: str, profile: Profile, extras: Extras, timing: Timing, policy: Policy) -> bool:
    claim = profile.certificate
    match code:
        case "agent_paid" | "tax_mismatch" | "foreign_degree" | "archive_outside":
            return bool(getattr(extras, code))
        case "back_pay" | "employer_registered":
            return True
        case "permit_expiry":
            return _permit_at_risk(extras, timing)
        case "registration":
            return claim is not None and claim.needs_registration and not claim.registered
        case "base_test":
            return _base_test_failing(profile, timing, policy)
    return False


def needs_timing(profile: Profile, extras: Extras, policy: Policy) -> bool:
    """Whether the checks need the projection: a permit expiry is given (the earliest month at the
    standard score), or a title needs the base test (the month it would hold). Only then is it run."""
    return extras.permit_expires is not None or _needs_base_test(profile, policy)
