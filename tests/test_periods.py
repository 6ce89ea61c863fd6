"""The SI periods' one owner: the query-string triples and the one-cell form read and write the same periods."""

import pytest
from django.http import QueryDict

from calculator import periods
from calculator.scoring import SIPeriod, month_index

JUL_2019, JUN_2023, JUL_2023 = month_index(2019, 7), month_index(2023, 6), month_index(2023, 7)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019-07~2023-06:12000", (SIPeriod(JUL_2019, JUN_2023, 12000),)),
        ("2019-07~2023-06:12000; 2023-07~:max", (SIPeriod(JUL_2019, JUN_2023, 12000), SIPeriod(JUL_2023, None, None))),
        (
            "2019-07~2023-06:12,000元；2023-07~至今:封顶",
            (SIPeriod(JUL_2019, JUN_2023, 12000), SIPeriod(JUL_2023, None, None)),
        ),
        (
            "2019-07～2023-06：12000\n2023-07~至今：15000",
            (SIPeriod(JUL_2019, JUN_2023, 12000), SIPeriod(JUL_2023, None, 15000)),
        ),
        ("", ()),
    ],
)
def test_cell_reads_every_spelling(cell: str, expected: tuple) -> None:
    parsed = periods.from_cell(cell)
    assert parsed.errors == ()
    assert parsed.periods == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2019-07 2023-06 12000", "无法识别"),
        ("2019-13~2023-06:12000", "起始月"),
        ("2023-07~2019-06:12000", "结束月早于起始月"),
        ("2019-07~2023-06:很多", "月缴费基数"),
    ],
)
def test_cell_errors_say_what_to_type(cell: str, message: str) -> None:
    parsed = periods.from_cell(cell)
    assert parsed.periods == ()
    assert message in " ".join(parsed.errors)


def test_a_bad_base_says_how_to_write_the_ceiling_where_it_was_entered() -> None:
    [in_a_cell] = periods.from_cell("2019-07~2023-06:很多").errors
    [in_the_form] = periods.from_query({"si_from": ["2019-07"], "si_to": ["2023-06"], "si_base": ["很多"]}).errors
    assert in_a_cell.endswith("按上限缴纳写 max 或“封顶”。") and "勾选" not in in_a_cell  # a sheet has no box
    assert in_the_form.endswith("按上限缴纳请勾选“封顶”。")


def test_cell_and_query_round_trip() -> None:
    original = (SIPeriod(JUL_2019, JUN_2023, 12000), SIPeriod(JUL_2023, None, None))
    assert periods.from_cell(periods.to_cell(original)).periods == original
    query = QueryDict(mutable=True)
    for key, value in periods.to_query(original):
        query.appendlist(key, value)
    assert periods.from_query(query).periods == original


def test_query_si_max_marks_a_row_at_the_ceiling() -> None:
    data = QueryDict("si_from=2019-07&si_to=&si_base=&si_max=0")
    assert periods.from_query(data).periods == (SIPeriod(JUL_2019, None, None),)


def test_without_row_drops_one_row_and_keeps_the_ceiling_flags_of_the_others() -> None:
    data = QueryDict("si_from=2019-07&si_to=2023-06&si_base=1&si_from=2023-07&si_to=&si_base=&si_max=1")
    assert periods.without_row(data, 0) == [("si_from", "2023-07"), ("si_to", ""), ("si_base", "max")]


def test_too_many_periods() -> None:
    cell = ";".join(["2019-07~2019-07:9000"] * (periods.MAX_PERIODS + 1))
    assert periods.from_cell(cell).errors == (periods.TOO_MANY,)
