"""The projection's chart: the geometry of an inline SVG of the monthly totals, in viewBox units, so
the template prints numbers only. Pure: no Django, no scoring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import add
from typing import Protocol

from calculator.scoring import month_cn


class Point(Protocol):
    month: int
    total: int


@dataclass(frozen=True, slots=True)
class Tick:
    position: float  # x for the time axis, y for the points axis, in viewBox units
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of the inline SVG, in viewBox units: the template prints these numbers only."""

    width: int
    height: int
    left: float  # the plot area
    top: float
    right: float
    bottom: float
    y_min: int
    y_max: int
    points: str  # polyline of the monthly totals: "x,y x,y ..."
    threshold: int
    threshold_y: float
    x_ticks: tuple[Tick, ...]  # every January in the horizon, labelled with the year
    y_ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]  # reached / lost months

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _nice_step(span: int) -> int:
    """A round tick interval (5, 10, 20, 25, 50, 100, ...) giving at most five intervals."""
    scale = 1
    while True:
        for step in (5 * scale, 10 * scale, 20 * scale, 25 * scale):
            if span <= 5 * step:
                return step
        scale *= 10


def chart(
    series: Sequence[Point],
    threshold: int,
    reached: int | None = None,
    lost: int | None = None,
    width: int = 600,
    height: int = 240,
) -> Chart:
    """The SVG geometry of the projected totals: a polyline, the threshold line, axis ticks."""
    return plot(series[0].month, [p.total for p in series], threshold, reached, lost, width, height)


@lru_cache(maxsize=64)
def _time_axis(
    start: int, count: int, left: float, right: float
) -> tuple[tuple[float, ...], tuple[str, ...], tuple[Tick, ...]]:
    """x of each of `count` months from `start`, its text with the comma of a polyline point, and the
    January ticks: the same for every profile evaluated in one month."""
    span = max(count - 1, 1)
    xs = tuple(round(left + k / span * (right - left), 1) for k in range(count))
    texts = tuple(f"{value:g}," for value in xs)
    januaries = range(start + (-start) % 12, start + count, 12)
    return xs, texts, tuple(Tick(xs[month - start], str(month // 12)) for month in januaries)


@lru_cache(maxsize=256)
def _points_axis(y_min: int, y_max: int, step: int, top: float, bottom: float) -> tuple[Tick, ...]:
    return tuple(Tick(_y(v, y_min, y_max, top, bottom), str(v)) for v in range(y_min, y_max + 1, step))


def _y(value: int, y_min: int, y_max: int, top: float, bottom: float) -> float:
    return round(top + (y_max - value) / (y_max - y_min) * (bottom - top), 1)


@lru_cache(maxsize=256)
def _heights(y_min: int, y_max: int, top: float, bottom: float) -> dict[int, str]:
    """The text of y of each total drawn so far on this points axis (filled as totals come)."""
    return {}


def plot(
    start: int,
    totals: Sequence[int],
    threshold: int,
    reached: int | None = None,
    lost: int | None = None,
    width: int = 600,
    height: int = 240,
) -> Chart:
    """`chart` of the totals of consecutive months from `start`."""
    left, right, top, bottom = 44.0, width - 10.0, 12.0, height - 28.0
    low, high = min(min(totals), threshold), max(max(totals), threshold)
    step = _nice_step(max(high - low, 10))
    y_min = math.floor(low / step) * step
    y_max = math.ceil(high / step) * step
    if y_max == high:
        y_max += step  # room above the top line
    if y_min == low and low != 0:
        y_min -= step
    xs, texts, x_ticks = _time_axis(start, len(totals), left, right)

    def y(value: int) -> float:
        return _y(value, y_min, y_max, top, bottom)

    heights = _heights(y_min, y_max, top, bottom)  # a handful of totals over 121 months, the same ones
    for total in set(totals).difference(heights):
        heights[total] = f"{y(total):g}"
    points = " ".join(map(add, texts, map(heights.__getitem__, totals)))
    markers = []
    if reached is not None and reached != start:
        total = totals[reached - start]
        markers.append(Marker(xs[reached - start], y(total), f"{month_cn(reached)} 达到 {total} 分"))
    if lost is not None:
        total = totals[lost - start]
        markers.append(Marker(xs[lost - start], y(total), f"{month_cn(lost)} 降到 {total} 分"))
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        y_min=y_min,
        y_max=y_max,
        points=points,
        threshold=threshold,
        threshold_y=y(threshold),
        x_ticks=x_ticks,
        y_ticks=_points_axis(y_min, y_max, step, top, bottom),
        markers=tuple(markers),
    )
