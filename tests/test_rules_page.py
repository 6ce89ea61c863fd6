"""/rules/: the edition in force, rendered from the same rows the engine reads."""

from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from calculator.models import AverageWage, DataVersion, EducationPoints, PolicyEdition
from tests.test_policy import FIXTURE, clone_edition

URL = "/rules/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture
def reference(db) -> None:
    call_command("load_reference", str(FIXTURE), verbosity=0)


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


class Structure(HTMLParser):
    """Enough of an HTML5 check for this page: nesting, ids, inline styles and scripts, captions."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: Counter[str] = Counter()
        self.tables = 0
        self.captions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names or any(name.startswith("on") for name in names):
            self.problems.append(f"inline style or handler on <{tag}>")
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if "id" in names:
            self.ids[names["id"]] += 1
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def test_url_name() -> None:
    assert reverse("calculator:rules") == URL


def test_page_is_well_formed(reference, client) -> None:
    parser = Structure()
    parser.feed(page(client))
    assert parser.problems == []
    assert parser.stack == []
    assert [name for name, count in parser.ids.items() if count > 1] == []
    assert parser.tables >= 8
    assert parser.captions == parser.tables


def test_page_names_the_edition_in_force(reference, client) -> None:
    html = page(client)
    assert "《上海市居住证积分管理办法》" in html
    assert "沪府发〔2017〕98号" in html
    assert "2018-01-01 起施行" in html
    assert "标准分值为 <strong>120 分</strong>" in html


# RULES.md §1.1, by hand
AGES = [(16, 30), (30, 30), (43, 30), (44, 29), (45, 27), (46, 25), (47, 23), (48, 21), (49, 19), (50, 17)]
AGES += [(51, 15), (52, 13), (53, 11), (54, 9), (55, 7), (56, 5), (58, 5), (60, 5)]


def test_age_table_row_by_row(reference, client) -> None:
    html = page(client)
    for age, points in AGES:
        assert f'<tr><td>{age}</td><td class="num">{points}</td></tr>' in html
    assert '<tr><td>60 周岁以上</td><td class="num">0（不符合申请条件）</td></tr>' in html
    assert "<tr><td>15</td>" not in html
    assert "<tr><td>61</td>" not in html


@pytest.mark.parametrize(
    "text",
    [
        # education (max 110)
        '<td>大专（高职）</td><td class="num">50</td>',
        '<td>大学本科（无学士学位）</td><td class="num">60</td>',
        '<td>大学本科 + 学士学位</td><td class="num">90</td>',
        '<td>硕士研究生</td><td class="num">100</td>',
        '<td>博士研究生</td><td class="num">110</td>',
        "教育背景（最高 110 分）",
        # title / skill (max 140) and the 1x base condition
        '<td>技能五级（初级工）</td><td class="num">15</td><td>无</td>',
        '<td>技能四级（中级工）</td><td class="num">30</td><td>无</td>',
        '<td>技能三级（高级工）</td><td class="num">60</td><td>无</td>',
        "专业技术职称和技能等级（最高 140 分）",
        "最近 12 个月中至少 6 个月（可不连续）缴费基数 ≥ 1 倍当月社会平均工资",
        "只计入其中较高的一项",
        # SI years and base tiers
        "每满 12 个月计 3 分",
        "不封顶",
        "社会保险缴费基数（最高 120 分）",
        "最近 48 个月中，至少 36 个月缴费基数 ≥ 0.8 倍当月社会平均工资",
        "最近 48 个月中，至少 36 个月缴费基数 ≥ 1 倍当月社会平均工资",
        "最近 48 个月中，至少 36 个月缴费基数 ≥ 2 倍当月社会平均工资",
        "最近 36 个月中，至少 24 个月缴费基数 ≥ 3 倍当月社会平均工资",
        # other bonuses
        "<td>30 分</td><td>30 分</td>",
        "纳税每满 100000 元或聘用每满 10 人计 10 分</td><td>120 分",
        "满 5 年起计，每满 1 年 4 分</td><td>不封顶",
        "满 5 年起计，每满 1 年 2 分</td><td>20 分",
        "满 3 年起计，每满 1 年 2 分</td><td>20 分",
        "全日制应届高校毕业生</td><td>10 分",
        "每满 1 年 4 分</td><td>40 分",
        "市级机关专项性表彰奖励</td><td>30 分",
        "市级机关综合性表彰奖励</td><td>60 分",
        "省部级及以上表彰奖励</td><td>110 分",
        "符合本市相关条件</td><td>120 分",
        # deductions, veto, eligibility
        '<td>申请积分时提供虚假材料</td><td>最近 3 年</td><td class="num">-150 分</td>',
        '<td>行政拘留记录</td><td>最近 5 年</td><td class="num">-50 分</td>',
        '<td>一般刑事犯罪记录</td><td>最近 5 年</td><td class="num">-150 分</td>',
        "违反国家或本市计划生育政策",
        "严重刑事犯罪记录",
        "最近 12 个月中至少 6 个月在本市缴纳职工社会保险（不含补缴）",
        "年龄超过 60 周岁",
        # decisions, sources, disclaimer
        "本站口径",
        "年龄按评估日",
        "同一个月只计一次，基数取较高者",
        "取较高者，不叠加",
        "多项表彰奖励只计最高的一项",
        "english.shanghai.gov.cn",
        "shluohubang.com/jzh/7025.html",
        "模拟结果仅供参考，正式积分以人力资源和社会保障部门审核认定为准",
        "提供虚假材料每次扣 150 分，并可能 3 年内不得申请积分",
        "不等于居转户",
    ],
)
def test_page_shows_every_table_of_the_rules(reference, client, text) -> None:
    assert text in page(client)


@pytest.mark.parametrize(
    ("period", "numbers"),
    [
        ("2018-04 至 2019-03", ["7132", "21396", "4279", "5705.6", "14264"]),
        ("2019-04 至 2019-04", ["7832", "23496", "4699", "6265.6", "15664"]),
        ("2020-07 至 2021-06", ["9339", "28017", "4927", "7471.2", "18678"]),
        ("2025-07 至 2026-06", ["12434", "37302", "7460", "9947.2", "24868"]),
    ],
)
def test_average_wage_table_with_exact_thresholds(reference, client, period, numbers) -> None:
    html = page(client)
    row = html[html.index(f'<th scope="row">{period}</th>') :].split("</tr>")[0]
    for number in numbers:
        assert f'<td class="num">{number}</td>' in row
    assert "不四舍五入" in html
    assert "0.8 × 12434 = 9947.2 元" in html


def test_edited_numbers_show_on_the_page(reference, client) -> None:
    page(client)  # warm the cache first: the edit must invalidate it
    master = EducationPoints.objects.get(code="master")
    master.points = 105
    master.save()
    latest = AverageWage.objects.get(start=date(2025, 7, 1))
    latest.average = 12500
    latest.save()
    html = page(client)
    assert '<td>硕士研究生</td><td class="num">105</td>' in html
    row = html[html.index('<th scope="row">2025-07 至 2026-06</th>') :].split("</tr>")[0]
    assert '<td class="num">12500</td>' in row
    assert '<td class="num">10000</td>' in row  # 0.8 × 12500


def test_a_later_edition_in_force_replaces_the_first(reference, client) -> None:
    clone_edition(date(2025, 1, 1), name="《测试办法》", document="测试〔2024〕1号", threshold=125)
    html = page(client)
    assert "《测试办法》" in html
    assert "标准分值为 <strong>125 分</strong>" in html


def test_the_editions_stated_validity_is_the_editions_own(reference, client) -> None:
    """The 2018 办法 was written to run to 2022-12-31: the page says so, and that this site still uses it,
    from the edition's row; an edition that states no end, or one not yet reached, says neither."""
    this_year = date.today().year
    assert f"积分办法原文有效期写至 2022-12-31；至今未发布新办法，2023–{this_year} 年实务仍沿用相同分值" in page(client)
    edition = PolicyEdition.objects.get()
    edition.written_until = date(this_year + 3, 6, 30)
    edition.save()
    html = page(client)
    assert f"积分办法有效期至 {this_year + 3}-06-30。" in html and "至今未发布新办法" not in html
    clone_edition(date(2025, 1, 1), name="《测试办法》")
    assert PolicyEdition.objects.get(name="《测试办法》").written_until is None
    html = page(client)
    assert "有效期" not in html.split('id="sources-h"')[1].split("</section>")[0]


def test_a_future_edition_is_not_shown_yet(reference, client) -> None:
    clone_edition(date(2099, 1, 1), name="《未来办法》")
    assert "《未来办法》" not in page(client)


def test_without_an_edition_the_page_says_so(db, client) -> None:
    html = page(client)
    assert "暂时无法显示积分规则" in html
    assert "没有生效的积分办法版本" in html


def test_an_incomplete_edition_is_explained_not_a_500(reference, client) -> None:
    PolicyEdition.objects.get().deductions.get(code="crime").delete()
    html = page(client)
    assert "暂时无法显示积分规则" in html
    assert "一般刑事犯罪记录" in html


def test_warm_page_costs_one_query(reference, client, django_assert_num_queries) -> None:
    page(client)
    with django_assert_num_queries(1):
        page(client)


def test_the_page_reads_the_stamp_again_on_each_request(reference, client) -> None:
    page(client)
    EducationPoints.objects.filter(code="doctor").update(points=111)  # another process's edit ...
    DataVersion.objects.update(version=F("version") + 1)  # ... and its bump
    assert '<td>博士研究生</td><td class="num">111</td>' in page(client)


def test_post_is_not_allowed(reference, client) -> None:
    assert client.post(URL).status_code == 405
