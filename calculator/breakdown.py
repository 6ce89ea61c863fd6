"""The result panel: a live `Result`, or the JSON a shared link stored, as the one shape the
_breakdown.jinja template shows (bar geometry, groups with subtotals, the averages used, the notes)."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.scoring import Line, Result, month_label

GROUPS = (("basic", "基础指标"), ("bonus", "加分指标"), ("deduction", "减分指标"))
EITHER_OR = frozenset({"education", "certificate"})  # 第六条(二)(三): only the higher counts; badge the one that does


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    title: str
    subtotal: int
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Average:
    start: str  # '2025-07'
    end: str
    average: int


@dataclass(frozen=True, slots=True)
class Breakdown:
    total: int
    threshold: int
    margin: int
    eligible: bool
    passed: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    groups: tuple[Group, ...]
    averages: tuple[Average, ...]
    edition: str
    effective_from: str
    evaluated_on: str
    disclaimer: tuple[str, ...]

    @property
    def either_or(self) -> frozenset[str]:
        return EITHER_OR

    @property
    def shortfall(self) -> int:
        return -self.margin

    @property
    def subtotals(self) -> dict[str, int]:
        return {group.code: group.subtotal for group in self.groups}

    @property
    def bar_width(self) -> str:
        return f"{max(self.total, 0) / self._scale * 100:.1f}"

    @property
    def bar_threshold(self) -> str:
        return f"{self.threshold / self._scale * 100:.1f}"

    @property
    def _scale(self) -> float:
        return max(self.threshold * 1.5, self.total, 1)

    @classmethod
    def of(cls, result: Result) -> Breakdown:
        return cls(
            total=result.total,
            threshold=result.threshold,
            margin=result.margin,
            eligible=result.eligible,
            passed=result.passed,
            reasons=result.reasons,
            warnings=result.warnings,
            notes=result.notes,
            groups=_groups(result.lines),
            averages=tuple(Average(month_label(w.start), month_label(w.end), w.average) for w in result.averages_used),
            edition=result.edition,
            effective_from=result.effective_from.isoformat(),
            evaluated_on=result.as_of.isoformat(),
            disclaimer=result.disclaimer,
        )

    @classmethod
    def stored(cls, data: dict) -> Breakdown:
        """A shared snapshot's `Result.as_dict()`."""
        return cls(
            total=data["total"],
            threshold=data["threshold"],
            margin=data["margin"],
            eligible=data["eligible"],
            passed=data["passed"],
            reasons=tuple(data["reasons"]),
            warnings=tuple(data.get("warnings", ())),
            notes=tuple(data.get("notes", ())),
            groups=_groups(tuple(Line(**line) for line in data["lines"])),
            averages=tuple(Average(w["from"], w["to"], w["average"]) for w in data.get("averages_used", ())),
            edition=data["policy"]["edition"],
            effective_from=data["policy"]["effective_from"],
            evaluated_on=data["as_of"],
            disclaimer=tuple(data.get("disclaimer", ())),
        )


def _groups(lines: tuple[Line, ...]) -> tuple[Group, ...]:
    return tuple(
        Group(
            code,
            title,
            sum(line.points for line in lines if line.counted and line.group == code),
            tuple(line for line in lines if line.group == code),
        )
        for code, title in GROUPS
    )
