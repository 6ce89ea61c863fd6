"""The roster chart's geometry: how many employees first reach the threshold in each coming quarter.

Pure: counts in, numbers for an inline SVG out (the template prints them); the same counts give the
table that is the chart's text alternative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40.0, 8.0, 12.0, 30.0


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # 2027年第1季度
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: float
    top: float
    right: float  # x of the plot's right edge
    bottom: float  # y of the plot's baseline
    bars: tuple[Bar, ...]  # every quarter, zeros included
    x_ticks: tuple[Tick, ...]  # the first quarter of each year
    y_ticks: tuple[Tick, ...]
    total: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def listed(self) -> tuple[Bar, ...]:
        """The quarters with anyone reaching the threshold (the table under the chart)."""
        return tuple(bar for bar in self.bars if bar.count)


def quarter_label(quarter: int) -> str:
    """'2027年第1季度' for a quarter index (year * 4 + 0..3)."""
    return f"{quarter // 4}年第{quarter % 4 + 1}季度"


def _step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if peak <= 4 * step:
            return step
    return max(1, -(-peak // 4))


def quarters(by_month: Mapping[int | None, int], start: int, months: int) -> Chart:
    """Bars for the quarters from the one holding month `start` to the one holding `start + months`."""
    first, last = start // 3, (start + months) // 3
    counts = dict.fromkeys(range(first, last + 1), 0)
    for month, count in by_month.items():
        if month is not None and first <= month // 3 <= last:
            counts[month // 3] += count
    peak = max(counts.values(), default=0)
    step = _step(max(peak, 1))
    top_value = step * max(1, -(-peak // step))
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    slot = (right - LEFT) / len(counts)

    def y(value: int) -> float:
        return round(bottom - value / top_value * (bottom - TOP), 1)

    bars = tuple(
        Bar(
            quarter_label(q),
            n,
            round(LEFT + i * slot + slot * 0.15, 1),
            y(n),
            round(slot * 0.7, 1),
            round(bottom - y(n), 1),
        )
        for i, (q, n) in enumerate(sorted(counts.items()))
    )
    x_ticks = tuple(
        Tick(round(LEFT + i * slot + slot / 2, 1), str(q // 4)) for i, q in enumerate(sorted(counts)) if q % 4 == 0
    )
    y_ticks = tuple(Tick(y(v), str(v)) for v in range(0, top_value + 1, step))
    return Chart(WIDTH, HEIGHT, LEFT, TOP, right, bottom, bars, x_ticks, y_ticks, sum(counts.values()))
