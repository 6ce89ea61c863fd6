"""The average wage in force and the base thresholds it sets, in yuan: the simulator's side panel and the
/rules/ page's wage table show them, from the policy in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from calculator.scoring import AverageWage, Policy, base_multiples, decimal_text, month_label, month_of, wage_for


@dataclass(frozen=True, slots=True)
class Threshold:
    multiple: Decimal
    amount: Decimal  # multiple × average, exact

    @property
    def multiple_text(self) -> str:
        return decimal_text(self.multiple)

    @property
    def amount_text(self) -> str:
        return decimal_text(self.amount)


class WagePeriod:
    """The months of a value's `wage`, as the pages write them ('2025-07')."""

    __slots__ = ()
    wage: AverageWage

    @property
    def start(self) -> str:
        return month_label(self.wage.start)

    @property
    def end(self) -> str:
        return month_label(self.wage.end)


@dataclass(frozen=True, slots=True)
class Wage(WagePeriod):
    """The average wage in force for the evaluation month, with the policy's thresholds in yuan."""

    wage: AverageWage
    provisional: bool
    thresholds: tuple[Threshold, ...]


def thresholds(policy: Policy, wage: AverageWage) -> tuple[Threshold, ...]:
    return tuple(Threshold(m, m * wage.average) for m in base_multiples(policy))


def in_force(policy: Policy | None, as_of: date) -> Wage | None:
    """The average wage that applies to the month of `as_of` (provisional when the new year's is not out)."""
    if policy is None:
        return None
    wage, provisional = wage_for(month_of(as_of), policy.averages)
    return Wage(wage, provisional, thresholds(policy, wage)) if wage else None
