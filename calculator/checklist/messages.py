"""A check's message: the values it may name as {name}, and the message rendered with them (or its
fallback when a value it names is not known)."""

from __future__ import annotations

import string
from collections.abc import Mapping

from calculator.checklist.inputs import CheckText, Extras, Timing
from calculator.scoring import Policy, decimal_text, month_cn

# The values a check's message may name, as {name}; a message whose value is unknown uses its fallback.
CHECK_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "permit_expiry": frozenset({"expires", "earliest"}),
    "base_test": frozenset({"month", "multiple", "months", "window"}),
}


def message_values(code: str, extras: Extras, timing: Timing, policy: Policy) -> dict[str, str]:
    def month(index: int | None) -> str | None:
        return month_cn(index) if index is not None else None

    values = {
        "permit_expiry": {"expires": month(extras.permit_expires), "earliest": month(timing.reached)},
        "base_test": {
            "month": month(timing.base_test),
            "multiple": decimal_text(policy.base_test_multiple),
            "months": str(policy.base_test_months),
            "window": str(policy.base_test_window),
        },
    }.get(code, {})
    return {name: value for name, value in values.items() if value is not None}


def placeholders(text: str) -> set[str]:
    """The {names} a message uses (raises ValueError on a malformed brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render(check: CheckText, values: Mapping[str, str]) -> str:
    """The message with its values; the fallback when the message names a value that is not known
    (or cannot be formatted)."""
    for text in (check.message, check.fallback):
        try:
            if text and placeholders(text) <= set(values):
                return text.format_map(values)
        except (ValueError, IndexError, KeyError, AttributeError):
            continue
    return check.fallback or check.message
