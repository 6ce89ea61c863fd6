"""The values a staff text may name as {name}: a check's message (rendered with them, or its fallback
when a value it names is not known) and a material's text (the policy's numbers it states)."""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping

from calculator.checklist.inputs import CheckText, Extras, Timing
from calculator.scoring import Policy, decimal_text, month_cn

# The values a check's message may name, as {name}; a message whose value is unknown uses its fallback.
CHECK_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "permit_expiry": frozenset({"expires", "earliest"}),
    "base_test": frozenset({"month", "multiple", "months", "window"}),
}


# The values any material's text may name: the numbers of the rules it states (企业近 {investment_years} 年纳税证明).
MATERIAL_PLACEHOLDERS: frozenset[str] = frozenset({"investment_years"})


def material_values(policy: Policy) -> tuple[tuple[str, str], ...]:
    """The values of MATERIAL_PLACEHOLDERS under `policy`, as pairs (hashable: the listed items are kept
    per texts and values)."""
    return (("investment_years", str(policy.investment_years)),)


def fill(text: str, values: Mapping[str, str]) -> str:
    """A material's text with its values; as written when it names none or one that is not known (the
    admin refuses such a text, so that is only a text saved before the placeholder existed)."""
    try:
        if "{" in text and placeholders(text) <= values.keys():
            return text.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError):
        pass
    return text


def message_values(code: str, extras: Extras, timing: Timing, policy: Policy) -> dict[str, str]:
    """The values `code`'s message may name that are known (CHECK_PLACEHOLDERS[code])."""
    if code == "permit_expiry":
        values = {"expires": _month(extras.permit_expires), "earliest": _month(timing.reached)}
    elif code == "base_test":
        values = {
            "month": _month(timing.base_test),
            "multiple": decimal_text(policy.base_test_multiple),
            "months": str(policy.base_test_months),
            "window": str(policy.base_test_window),
        }
    else:
        return {}
    return {name: value for name, value in values.items() if value is not None}


def _month(index: int | None) -> str | None:
    return month_cn(index) if index is not None else None


@functools.lru_cache(maxsize=256)
def placeholders(text: str) -> frozenset[str]:
    """The {names} a message uses (raises ValueError on a malformed brace). Kept per text: a message is
    rendered for every applicant it applies to, and staff change it rarely."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def render(check: CheckText, values: Mapping[str, str]) -> str:
    """The message with its values; the fallback when the message names a value that is not known
    (or cannot be formatted)."""
    for text in (check.message, check.fallback):
        try:
            if text and placeholders(text) <= values.keys():
                return text.format_map(values)
        except (ValueError, IndexError, KeyError, AttributeError):
            continue
    return check.fallback or check.message
