"""The result: the total, one Line per indicator, the SI month counts and what the result says about
itself, with the JSON shape of /api/score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from calculator.scoring.contributions import decimal_text
from calculator.scoring.months import month_label
from calculator.scoring.rules import AverageWage


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    label: str
    points: int
    counted: bool
    explanation: str
    group: str  # basic, bonus, deduction


@dataclass(frozen=True, slots=True)
class MonthTest:
    """One base test of the policy (a base tier or the title's test) and the months that meet it."""

    multiple: Decimal
    window: int
    needed: int
    count: int

    @property
    def met(self) -> bool:
        return self.count >= self.needed


@dataclass(frozen=True, slots=True)
class SISummary:
    """Month counts the simulator shows beside the SI table: in total, in the eligibility window, and
    for each base test of the policy (the title's test first, then the base tiers, lowest first)."""

    months_total: int
    recent: int  # months within the eligibility window
    tests: tuple[MonthTest, ...]

    def count(self, multiple: Decimal, window: int) -> int | None:
        return next((t.count for t in self.tests if t.multiple == multiple and t.window == window), None)

    def as_dict(self) -> dict:
        return {
            "months_total": self.months_total,
            "recent": self.recent,
            "tests": [
                {"multiple": decimal_text(t.multiple), "window": t.window, "needed": t.needed, "count": t.count}
                for t in self.tests
            ],
        }


@dataclass(frozen=True, slots=True)
class Result:
    total: int
    threshold: int
    margin: int
    eligible: bool
    passed: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    lines: tuple[Line, ...]
    as_of: date
    edition: str
    effective_from: date
    averages_used: tuple[AverageWage, ...]
    si: SISummary
    disclaimer: tuple[str, ...]

    def line(self, code: str) -> Line:
        return next(line for line in self.lines if line.code == code)

    def subtotal(self, group: str) -> int:
        return sum(line.points for line in self.lines if line.counted and line.group == group)

    def as_dict(self) -> dict:
        """The JSON shape of /api/score (also what a shared link stores)."""
        return {
            "total": self.total,
            "threshold": self.threshold,
            "margin": self.margin,
            "eligible": self.eligible,
            "passed": self.passed,
            "reasons": list(self.reasons),
            "as_of": self.as_of.isoformat(),
            "policy": {"edition": self.edition, "effective_from": self.effective_from.isoformat()},
            "lines": [
                {
                    "code": line.code,
                    "label": line.label,
                    "points": line.points,
                    "counted": line.counted,
                    "explanation": line.explanation,
                    "group": line.group,
                }
                for line in self.lines
            ],
            "subtotals": {group: self.subtotal(group) for group in ("basic", "bonus", "deduction")},
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "averages_used": [
                {
                    "from": month_label(w.start),
                    "to": month_label(w.end),
                    "average": w.average,
                    "ceiling": w.ceiling,
                }
                for w in self.averages_used
            ],
            "si": self.si.as_dict(),
            "disclaimer": list(self.disclaimer),
        }
