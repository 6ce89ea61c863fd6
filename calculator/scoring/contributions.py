"""Contribution months (第五节): each month contributed, once, at its base against the average wage
in force for it, and the counts of months whose base meets a multiple of that average."""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter

from calculator.scoring.profile import SIPeriod
from calculator.scoring.rules import AverageWage, Policy


@dataclass(frozen=True, slots=True)
class MonthBase:
    """One contribution month as compared: the effective base and the average in force."""

    base: int  # yuan, capped at the month's ceiling where the ceiling is known
    wage: AverageWage | None  # None: before the first published average, not compared
    provisional: bool  # the month's own average is not published yet; the latest known is used
    capped: bool = False  # an amount entered for this month was above its ceiling
    # base × 100 // average (-1 when not compared): base ≥ m × average exactly iff this ≥ m × 100, for a
    # multiple m in whole hundredths (see at_least), so the window counts compare one int per month.
    hundredths: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.wage is None:
            value = -1
        else:  # an average of 0 (never published so) is met by any base, as at_least decides
            value = self.base * 100 // self.wage.average if self.wage.average > 0 else sys.maxsize
        object.__setattr__(self, "hundredths", value)


_HUNDREDTHS = attrgetter("hundredths")


def wage_for(month: int, averages: tuple[AverageWage, ...]) -> tuple[AverageWage | None, bool]:
    """第五节: the average in force for a contribution month; the latest known one, provisionally,
    for a month whose figure is not published yet; none before the first row."""
    if not averages or month < averages[0].start:
        return None, False
    for wage in averages:
        if wage.start <= month <= wage.end:
            return wage, False
    latest = max(averages, key=lambda w: w.end)
    if month > latest.end:
        return latest, True
    # A gap between two published periods: use the one before it, provisionally.
    before = [w for w in averages if w.end < month]
    return max(before, key=lambda w: w.end), True


# A run of months over which `wage_for` gives one answer: (first, last, wage, provisional).
WageRun = tuple[int, int, AverageWage | None, bool]


@dataclass(frozen=True, slots=True, eq=False)
class _Runs:
    """`wage_for` of every month, as consecutive runs (its answer changes only where a row starts or the
    month after a row ends), and the entry of a month paid at a base in each run, made once."""

    averages: tuple[AverageWage, ...]
    runs: tuple[WageRun, ...]
    firsts: tuple[int, ...]  # of each run, to find the run of a month
    entries: dict[tuple[int | None, int], MonthBase]  # (base, run) -> MonthBase

    def entry(self, base: int | None, run: int) -> MonthBase:
        found = self.entries.get((base, run))
        if found is None:
            if len(self.entries) >= 4096:  # bases are whatever was typed
                self.entries.clear()
            _, _, wage, provisional = self.runs[run]
            found = self.entries[base, run] = _month_base(base, wage, provisional)
        return found


_WAGE_RUNS: dict[int, _Runs] = {}


def _runs_of(averages: tuple[AverageWage, ...]) -> _Runs:
    """The runs of a table of averages, kept per table (a policy's table is one object for as long as the
    policy is cached, so it is keyed by identity and checked to be the same object)."""
    known = _WAGE_RUNS.get(id(averages))
    if known is not None and known.averages is averages:
        return known
    if not averages:
        runs: tuple[WageRun, ...] = ((-sys.maxsize, sys.maxsize, None, False),)
    else:
        cuts = sorted({averages[0].start, *(w.start for w in averages), *(w.end + 1 for w in averages)})
        firsts = [-sys.maxsize, *cuts]
        lasts = [*(cut - 1 for cut in cuts), sys.maxsize]
        runs = tuple(
            (first, last, *wage_for(last if first == -sys.maxsize else first, averages))
            for first, last in zip(firsts, lasts, strict=True)
        )
    if len(_WAGE_RUNS) >= 16:
        _WAGE_RUNS.clear()
    known = _WAGE_RUNS[id(averages)] = _Runs(averages, runs, tuple(run[0] for run in runs), {})
    return known


# (averages, built up to month, table, its cuts by evaluation month)
_TABLES: dict[tuple, tuple[tuple[AverageWage, ...], int, dict[int, MonthBase], dict[int, dict[int, MonthBase]]]] = {}


def contribution_months(
    periods: tuple[SIPeriod, ...], as_of_month: int, averages: tuple[AverageWage, ...]
) -> dict[int, MonthBase]:
    """Every month contributed up to the evaluation month, once, at the higher base where periods
    overlap, capped at the month's ceiling (封顶 = the ceiling).

    The table up to a month is the table up to any later month cut at that month, and the table up to
    an earlier month with the months after it: so the evaluation months of one SI history (a score, then
    its projection) share one table (kept per history, like the wages), each cut once. The table
    returned is shared: read it, never change it."""
    key = (periods, id(averages))
    known = _TABLES.get(key)
    if known is not None and known[0] is averages and as_of_month <= known[1]:
        cuts = known[3]
        cut = cuts.get(as_of_month)
        if cut is None:
            cut = cuts[as_of_month] = {month: entry for month, entry in known[2].items() if month <= as_of_month}
        return cut
    if known is not None and known[0] is averages:
        table = known[2] | _build_months(periods, as_of_month, averages, after=known[1])
        cuts = {**known[3], as_of_month: table}
    else:
        table = _build_months(periods, as_of_month, averages)
        cuts = {as_of_month: table}
    if len(_TABLES) >= 64:  # each holds its cuts too: a few MB at most
        _TABLES.clear()
    _TABLES[key] = (averages, as_of_month, table, cuts)
    return table


def _build_months(
    periods: tuple[SIPeriod, ...], as_of_month: int, averages: tuple[AverageWage, ...], after: int | None = None
) -> dict[int, MonthBase]:
    """The table of the months up to `as_of_month` (only those after `after`, when given)."""
    runs = _runs_of(averages)
    months: dict[int, MonthBase] = {}
    spans: list[tuple[int, int]] = []
    for period in periods:
        begin = period.start if after is None else max(period.start, after + 1)
        end = as_of_month if period.end is None else min(period.end, as_of_month)
        # Months no earlier period has: one shared entry per run of one average; else month by month.
        alone = not any(first <= end and begin <= last for first, last in spans)
        spans.append((begin, end))
        run = bisect_right(runs.firsts, begin) - 1
        while run < len(runs.runs) and runs.firsts[run] <= end:
            first, last, wage, provisional = runs.runs[run]
            low, high = max(first, begin), min(last, end)
            entry = runs.entry(period.base, run)
            run += 1
            if alone:
                months.update(dict.fromkeys(range(low, high + 1), entry))
                continue
            for month in range(low, high + 1):
                known = months.get(month)
                if known is None:
                    months[month] = entry
                elif entry.base > known.base:
                    months[month] = MonthBase(entry.base, wage, provisional, entry.capped or known.capped)
                elif entry.capped and not known.capped:
                    months[month] = MonthBase(known.base, known.wage, known.provisional, True)
    return months


def _month_base(base: int | None, wage: AverageWage | None, provisional: bool) -> MonthBase:
    """A month paid at `base` (None: 封顶), capped at the ceiling of the average in force when there is one."""
    if wage is None:
        return MonthBase(0 if base is None else base, None, provisional)
    capped = base is not None and base > wage.ceiling
    return MonthBase(wage.ceiling if base is None else min(base, wage.ceiling), wage, provisional, capped)


def at_least(base: int, multiple: Decimal, average: int) -> bool:
    """base >= multiple × average, exactly (no rounding): in whole hundredths when the multiple has at most
    two decimals, as every multiple of the policy does, else in Decimal."""
    hundredths = multiple * 100
    if hundredths == hundredths.to_integral_value():
        return base * 100 >= int(hundredths) * average
    return Decimal(base) >= multiple * average


def meets(entry: MonthBase, multiple: Decimal) -> bool:
    """第五节: a month's base is at least `multiple` × the average in force for it, without rounding
    (a month before the first published average is not compared)."""
    return entry.wage is not None and at_least(entry.base, multiple, entry.wage.average)


@lru_cache(maxsize=64)
def in_hundredths(multiple: Decimal) -> int | None:
    """The multiple in whole hundredths (2.5 -> 250), None when it has more than two decimals."""
    hundredths = multiple * 100
    return int(hundredths) if hundredths == hundredths.to_integral_value() else None


def months_at(months: dict[int, MonthBase], multiple: Decimal, as_of_month: int, window: int) -> int:
    """Months within the last `window` months (ending with the evaluation month) that meet `multiple`."""
    # Walk the window (at most a few dozen months), not the whole history.
    window_entries = [e for e in map(months.get, range(as_of_month - window + 1, as_of_month + 1)) if e is not None]
    scaled = in_hundredths(multiple)
    if scaled is None:
        return sum(1 for entry in window_entries if meets(entry, multiple))
    return sum(map(scaled.__le__, map(_HUNDREDTHS, window_entries)))


@dataclass(frozen=True, slots=True)
class Recent:
    """第五节's windows, walked once: the months up to the evaluation month, over the longest window any
    base test of the edition counts, as MonthBase.hundredths, oldest first (-1: not contributed, or not
    compared). Each window's tail is sorted once, so a test counts its months with one bisection."""

    months: dict[int, MonthBase]
    as_of_month: int
    hundredths: tuple[int, ...]
    _sorted: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, months: dict[int, MonthBase], as_of_month: int, longest: int) -> Recent:
        entries = map(months.get, range(as_of_month - longest + 1, as_of_month + 1))
        return cls(months, as_of_month, tuple(-1 if entry is None else entry.hundredths for entry in entries))

    def count(self, multiple: Decimal, window: int) -> int:
        """`months_at(months, multiple, as_of_month, window)`: the months of the last `window` that meet it."""
        scaled = in_hundredths(multiple)
        if scaled is None or window > len(self.hundredths):
            return months_at(self.months, multiple, self.as_of_month, window)
        tail = self._sorted.get(window)
        if tail is None:
            tail = self._sorted[window] = sorted(self.hundredths[len(self.hundredths) - window :])
        return len(tail) - bisect_left(tail, scaled)


def longest_window(policy: Policy) -> int:
    """The longest window of the edition's base tests (the base tiers' and the title's)."""
    return max([tier.window for tier in policy.base_tiers] + [policy.base_test_window])


def months_within(months: dict[int, MonthBase], as_of_month: int, window: int) -> int:
    if window >= len(months):
        first = as_of_month - window + 1
        return sum(1 for month in months if first <= month <= as_of_month)
    return sum(1 for month in range(as_of_month - window + 1, as_of_month + 1) if month in months)


def base_multiples(policy: Policy) -> tuple[Decimal, ...]:
    """Every multiple of the average wage the edition tests against, ascending (0.8, 1, 2, 3)."""
    found = {tier.multiple.normalize() for tier in policy.base_tiers}
    found.add(policy.base_test_multiple.normalize())
    return tuple(sorted(found))


def decimal_text(value: Decimal) -> str:
    """The one way a rule's decimal is written: exact, without trailing zeros or an exponent
    (Decimal('0.80') -> '0.8', Decimal('12434.00') -> '12434')."""
    return f"{value.normalize():f}"


def multiple_cn(multiple: Decimal) -> str:
    return f"{decimal_text(multiple)}倍"
