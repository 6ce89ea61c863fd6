"""Months as whole numbers (`month_index`), so that windows are plain arithmetic: a month's index, its
labels, and the full years of age in a month."""

from __future__ import annotations

from datetime import date


def month_index(year: int, month: int) -> int:
    """A calendar month as one integer: consecutive months differ by 1."""
    return year * 12 + month - 1


def month_of(day: date) -> int:
    return month_index(day.year, day.month)


def month_label(index: int) -> str:
    """'2024-07' for the month index of July 2024."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def age_at(birth: int, as_of_month: int) -> int:
    """Full years (周岁) in a month, knowing only the birth month: the birthday counts from its month."""
    return (as_of_month - birth) // 12


def month_cn(index: int) -> str:
    """'2024年7月' for the month index of July 2024."""
    return f"{index // 12}年{index % 12 + 1}月"
