"""Numbers are data: a staff edit of any number of the rules changes every place that shows it, at once.

Each case edits one group of numbers the way the admin does (save() on the row, which bumps the data
stamp) and reads the pages that state it: the new wording appears and the old one is gone."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from calculator.models import BaseTierRule, DeductionRule, PolicyEdition, TierPoints, YearRate
from catalogue.models import Certificate
from tests.factories import TYPICAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]

HX = {"HX-Request": "true"}
FULL = TYPICAL + "&invest_tax=250000&public_service_years=6&lingang_years=4&false_material=1&fresh_graduate=on"


def edition(**changes) -> None:
    row = PolicyEdition.objects.get()
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()


def rows(model, changes: dict, **lookup) -> None:
    for row in model.objects.filter(**lookup):
        for name, value in changes.items():
            setattr(row, name, value)
        row.save()


def economist() -> str:
    return str(Certificate.objects.get(kind="title", series="经济", name="经济师").pk)


def page(client, where: str) -> str:
    """The text a person (or a program) reads at one of the places numbers are shown."""
    if where == "page":
        return client.get("/?" + FULL).content.decode()
    if where == "blank":
        return client.get("/").content.decode()
    if where == "fragment":
        return client.get("/?" + FULL, headers=HX).content.decode()
    if where == "advice":
        return client.get("/advice?" + FULL, headers=HX).content.decode()
    if where == "certificate":
        return client.get(f"/certificate?certificate={economist()}&" + FULL).content.decode()
    if where == "api":
        body = client.get(f"/api/score?{FULL}&certificate={economist()}&cert_job_match=on&cert_in_shanghai=on").json()
        return "\n".join([line["explanation"] for line in body["lines"]] + body["warnings"] + body["disclaimer"])
    return client.get(where).content.decode()


# (edit, [(where, new wording, old wording)])
CASES: dict[str, tuple[Callable[[], None], list[tuple[str, str, str]]]] = {
    "threshold": (
        lambda: edition(threshold=125),
        [
            ("blank", "/ 125 分", "/ 120 分"),
            ("blank", "离 125 分还差什么", "离 120 分"),
            ("fragment", "/ 125 分", "/ 120 分"),
            ("advice", "离 125 分的路", "离 120 分的路"),
            ("/rules/", "标准分值为 <strong>125 分", "标准分值为 <strong>120 分"),
            ("api", "标准分值 125 分", "标准分值 120 分"),
        ],
    ),
    "age": (
        lambda: edition(age_cap=28, age_per_year=3, age_base_from=55),
        [
            ("page", "55–60 岁 5 分，每年轻 1 岁加 3 分，最高 28 分", "每年轻 1 岁加 2 分，最高 30 分"),
            ("/rules/", "55–60 周岁计 5 分；每年轻 1 岁加 3 分，最高 28 分", "最高 30 分"),
            ("api", "55–60 周岁计 5 分，每年轻 1 岁加 3 分，最高 28 分", "最高 30 分"),
        ],
    ),
    "investment": (
        lambda: edition(investment_years=4, investment_tax_step=50_000, investment_cap=110),
        [
            ("page", "近 4 年年均纳税", "近 3 年年均纳税"),
            ("/roster/", "近 4 年年均纳税", "近 3 年年均纳税"),
            ("page", "每满 50,000 元 10 分，最高 110 分", "最高 120 分"),
            ("/rules/", "最近连续 4 年", "最近连续 3 年"),
            ("fragment", "企业近 4 年纳税证明", "企业近 3 年纳税证明"),
            ("api", "每满 50,000 元 10 分", "每满 100,000 元"),
        ],
    ),
    "year rates": (
        lambda: (
            rows(YearRate, {"points_per_year": 5, "cap": 45}, code="spouse"),
            rows(YearRate, {"min_years": 6}, code="public_service"),
            rows(YearRate, {"min_years": 2}, code="lingang"),
        ),
        [
            ("page", "每满 1 年 5 分，最高 45 分", "每满 1 年 4 分，最高 40 分"),
            ("page", "满 6 年起计，每满 1 年 4 分", "满 5 年起计，每满 1 年 4 分"),
            ("page", "满 2 年起计，每满 1 年 2 分，最高 20 分；与远郊", "满 3 年起计"),
            ("/rules/", "满 6 年起计，每满 1 年 4 分", "满 5 年起计，每满 1 年 4 分"),
            ("api", "每满 1 年 5 分，最高 45 分", "最高 40 分"),
            ("api", "满 2 年起计", "满 3 年起计"),
        ],
    ),
    "deductions": (
        lambda: rows(DeductionRule, {"points": -160, "window_years": 2}, code="false_material"),
        [
            ("page", "近 2 年提供虚假材料次数", "近 3 年提供虚假材料次数"),
            ("/roster/", "近 2 年申请积分时提供虚假材料", "近 3 年申请积分时提供虚假材料"),
            ("page", 'id="false_material-help">每次 -160 分', 'id="false_material-help">每次 -150 分'),
            ("fragment", "每次扣 160 分，且可能 2 年内", "每次扣 150 分"),
            ("/rules/", "每次扣 160 分，并可能 2 年内", "每次扣 150 分"),
            ("api", "最近 2 年内申请积分时提供虚假材料 1 次，每次 -160 分", "每次 -150 分"),
        ],
    ),
    "title base test": (
        lambda: edition(base_test_window=11, base_test_months=7, base_test_multiple=Decimal("1.1")),
        [
            ("certificate", "最近 11 个月中至少 7 个月社保缴费基数不低于当月社会平均工资的 1.1 倍", "最近 12 个月"),
            (
                "/catalogue/",
                "最近 11 个月中至少 7 个月社保缴费基数不低于上年度全市职工平均工资的 1.1 倍",
                "最近 12 个月",
            ),
            ("fragment", "近 11 个月 ≥1.1 倍（需 7 个月）", "近 12 个月 ≥1 倍"),
            ("/rules/", "最近 11 个月中至少 7 个月（可不连续）", "最近 12 个月中至少 6 个月（可不连续）"),
            ("api", "最近 11 个月中 11 个月基数≥1.1倍平均工资，满足 7 个月的要求", "满足 6 个月"),
        ],
    ),
    "base tiers": (
        lambda: rows(BaseTierRule, {"months": 30}, points=50),
        [
            ("fragment", "近 48 个月 ≥1 倍（需 30 个月）", "近 48 个月 ≥1 倍（需 36 个月）"),
            ("/rules/", "最近 48 个月中，至少 30 个月缴费基数 ≥ 1 倍", "至少 36 个月缴费基数 ≥ 1 倍"),
            ("api", "≥1倍平均工资 48 个月（需 30 个月，50 分）", "需 36 个月，50 分"),
        ],
    ),
    "which tiers need the base test": (
        lambda: rows(TierPoints, {"needs_base_test": False}, code="intermediate"),
        [
            ("certificate", "须同时满足以下条件才计分", "社保缴费基数不低于当月社会平均工资"),
            ("api", "属于中级职称 / 技能二级（技师） / 相当于中级的职业资格，计 100 分。", "满足 6 个月的要求"),
        ],
    ),
    "fresh graduate": (
        lambda: edition(fresh_graduate_months=6, fresh_graduate_points=12),
        [
            ("advice", "只计入今后 6 个月", "只计入今后 12 个月"),
            ("page", "+12 分。毕业当年", "+10 分。毕业当年"),
            ("api", "全日制应届高校毕业生，计 12 分。", "计 10 分。"),
        ],
    ),
    "talent and tiers": (
        lambda: (edition(talent_points=100), rows(TierPoints, {"points": 150}, code="senior")),
        [
            ("blank", "创新创业中介服务人才 · 100分", "创新创业中介服务人才 · 120分"),
            ("/rules/", "加分计一次（100 分）", "加分计一次（120 分）"),
            ("/catalogue/", "按档次计分（最高 150 分）", "最高 140 分"),
        ],
    ),
    "first edition": (
        lambda: edition(effective_from="2019-01-01"),
        [
            ("blank", 'min="2019-01-01"', 'min="2018-01-01"'),
            ("/?age=30&as_of=2018-06-01", "请选择 2019-01-01 以后的日期", 'min="2018-01-01"'),
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_staff_edit_changes_every_place_that_shows_the_number(client, case: str) -> None:
    change, places = CASES[case]
    for where, _, old in places:
        assert old in page(client, where), (where, old)  # the wording before the edit
    change()
    for where, new, old in places:
        text = page(client, where)
        assert new in text, (where, new)
        assert old not in text, (where, old)
