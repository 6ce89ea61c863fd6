"""第七条 减分指标: points per record within the window, as the bare points and as a Line."""

from __future__ import annotations

from calculator import labels
from calculator.scoring.result import Line
from calculator.scoring.rules import Policy


def deduction_points(code: str, count: int, policy: Policy) -> int:
    """第七条 减分指标: per record within the window; the total has no floor."""
    return policy.deductions[code].points * count


def deduction_line(code: str, count: int, policy: Policy) -> Line:
    """第七条 减分指标: per record within the window; the total has no floor."""
    rule = policy.deductions[code]
    points = deduction_points(code, count, policy)
    label = labels.DEDUCTION[code]
    why = (
        f"最近 {rule.window_years} 年内{label} {count} 次，每次 {rule.points} 分，计 {points} 分。"
        if count
        else f"最近 {rule.window_years} 年内无{label}，不扣分。"
    )
    return Line(code, label, points, True, why, "deduction")
