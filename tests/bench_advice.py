"""advise(): the projection and the ranked actions of one profile, target < 100 ms."""

from datetime import date

from calculator.actions import advise
from calculator.scoring import Profile, SIPeriod, month_index
from tests.bench import Figure, timed
from tests.factories import rules_policy

AS_OF = date(2026, 11, 15)
STARTS = [(2021, 3), (2021, 9), (2022, 2), (2022, 7), (2023, 1), (2023, 6), (2024, 1), (2024, 6), (2025, 1), (2025, 8)]


def ten_periods(open_base: int) -> tuple[SIPeriod, ...]:
    """Ten periods since 2021-03 with one-month gaps; the last one open."""
    starts = [month_index(year, month) for year, month in STARTS]
    closed = [SIPeriod(a, b - 2, 7000 + 300 * i) for i, (a, b) in enumerate(zip(starts, starts[1:], strict=False))]
    return (*closed, SIPeriod(starts[-1], None, open_base))


def bench_advice() -> list[Figure]:
    policy = rules_policy()
    at_1_2x = ten_periods(14921)  # 1.2 x 12434
    typical = Profile(age=35, education="bachelor_degree", si_periods=at_1_2x)  # 135: passes already
    not_yet = Profile(age=35, education="bachelor", si_periods=at_1_2x)  # 105: 120 in 2028-07
    low_base = Profile(age=35, education="junior_college", si_periods=ten_periods(9000))  # 95: 2035-11
    deducted = Profile(
        age=44, birth=month_index(1982, 3), education="junior_college", si_periods=ten_periods(9000), false_material=1
    )  # -56: never by itself; every action waits for the deduction to expire
    return [
        timed("advise: typical (本科+学位, 35, 10 periods, 1.2x)", lambda: advise(typical, policy, AS_OF), 100),
        timed("advise: not yet 120 (本科 no degree)", lambda: advise(not_yet, policy, AS_OF), 100, runs=50),
        timed("advise: far from 120 (大专, base 0.7x)", lambda: advise(low_base, policy, AS_OF), 100, runs=50),
        timed("advise: with a deduction (worst case)", lambda: advise(deducted, policy, AS_OF), 100, runs=30),
    ]
