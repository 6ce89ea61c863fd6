"""Catalogue search: what an applicant types finds the entry, best first."""

import pytest

from catalogue import search
from catalogue.models import Certificate, Trade
from tests.factories import QUALIFICATIONS, SKILL_ROWS, TITLES, TRADES, names

# --- Search -----------------------------------------------------------------------------------------

SEARCH_TABLE = [
    # query, expected entry, found within the first n results
    ("经济", "经济师", 1),
    ("经济", "高级经济师", 5),
    ("经济", "正高级经济师", 5),
    ("jjs", "经济师", 1),
    ("jingjishi", "经济师", 1),
    ("JingJiShi", "经济师", 1),
    ("ｊｊｓ", "经济师", 1),
    ("jingji", "经济师", 3),
    ("gjgcs", "高级工程师", 1),
    ("高级工", "技能等级 三级(高级工)", 1),
    ("三级", "技能等级 三级(高级工)", 1),
    ("国家职业资格三级", "技能等级 三级(高级工)", 1),
    ("职业技能等级证书三级", "技能等级 三级(高级工)", 1),
    ("技师", "技能等级 二级(技师)", 1),
    ("高级技师", "技能等级 一级(高级技师)", 1),
    ("中级工", "技能等级 四级(中级工)", 1),
    ("初级工", "技能等级 五级(初级工)", 1),
    ("教授级", "教授级高级工程师", 1),
    ("注册会计", "注册会计师", 1),
    ("工程师", "工程师", 1),
    ("主管医师", "主治医师(主管医师)", 1),
    ("一级建造师", "建造师(一级)/一级建造师", 1),
    ("一级 建造", "建造师(一级)/一级建造师", 1),
    ("卫生技术", "主治医师(主管医师)", 40),
    ("特种作业", "特种作业人员(操作证)", 1),
]


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestSearch:
    """Certificate.objects.active().search(q) over the whole catalogue."""

    @pytest.mark.parametrize(("query", "expected", "top"), SEARCH_TABLE)
    def test_search_finds_what_an_applicant_types(self, query: str, expected: str, top: int) -> None:
        assert expected in names(Certificate.objects.active().search(query)[:top])

    def test_series_search_finds_the_whole_family(self) -> None:
        found = set(names(Certificate.objects.active().search("经济")))
        assert {"经济师", "高级经济师", "正高级经济师", "助理经济师", "经济专业技术资格(中级)"} <= found

    def test_search_ties_break_by_tier_then_name_length(self) -> None:
        # 技师 is both the 初级 卫生 title and the common name of skill level two: the scoring one first.
        assert names(Certificate.objects.active().search("技师")[:2]) == ["技能等级 二级(技师)", "技师"]

    def test_search_finds_trades(self) -> None:
        assert names(Trade.objects.active().search("热处理")) == ["金属热处理工/热处理工"]
        assert names(Trade.objects.active().search("hg")[:1]) == ["焊工(含民用核安全设备焊工、焊接操作工)"]

    def test_retired_entries_are_not_found(self) -> None:
        Certificate.objects.filter(name="经济师").update(active=False)
        assert "经济师" not in names(Certificate.objects.active().search("经济师"))
        assert "经济师" in names(Certificate.objects.search("经济师"))
        assert names(Certificate.objects.active().search("企业法律顾问")) == []

    def test_blank_search_lists_everything_active_in_catalogue_order(self) -> None:
        found = list(Certificate.objects.active().search("  "))
        assert len(found) == Certificate.objects.filter(active=True).count()
        assert [entry.position for entry in found] == sorted(entry.position for entry in found)

    @pytest.mark.parametrize("query", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE catalogue_certificate; --"])
    def test_sql_metacharacters_are_plain_text(self, query: str) -> None:
        assert list(Certificate.objects.active().search(query)) == []
        assert Certificate.objects.count() == TITLES + QUALIFICATIONS + SKILL_ROWS - TRADES

    @pytest.mark.parametrize(
        "query",
        [q for q, _, _ in SEARCH_TABLE] + ["", "  ", "hg", "热处理", "师", "一级  建造 师", "%", "_", "\\", "ｇ Ｊ"],
    )
    def test_the_search_in_memory_finds_and_ranks_as_the_database(self, query: str) -> None:
        assert search.find_certificates(query) == Certificate.objects.active().search(query)
        assert search.find_trades(query) == Trade.objects.active().search(query)

    def test_the_search_in_memory_follows_staff_edits(self) -> None:
        assert "经济师" in names(search.find_certificates("经济师"))
        entry = Certificate.objects.get(name="经济师")
        entry.active = False
        entry.save()
        assert "经济师" not in names(search.find_certificates("经济师"))

    def test_suggest_offers_skill_levels_for_a_trade(self) -> None:
        assert names(search.suggest("焊工", 8)) == [
            "技能等级 五级(初级工)",
            "技能等级 四级(中级工)",
            "技能等级 三级(高级工)",
            "技能等级 二级(技师)",
            "技能等级 一级(高级技师)",
        ]
        assert len(search.suggest("师", 8)) == 8
        assert search.suggest(" ", 8) == []
