"""The public catalogue page, the suggestion fragment and the API."""

import pytest

from calculator import cache, labels
from calculator.models import PolicyEdition, TierPoints
from catalogue.models import Certificate, Kind
from tests.factories import make_certificate


@pytest.fixture
def no_policy() -> None:
    """The catalogue before any policy edition exists (rolled back with the test)."""
    PolicyEdition.objects.all().delete()


LIMIT_ERROR = {"errors": {"limit": ["请输入 1 到 100 之间的整数"]}}
API_KEYS = {"id", "name", "kind", "series", "level", "tier", "points", "needs_registration", "note", "active"}


# --- The public page --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestPage:
    """/catalogue/ and the suggestion fragment."""

    def test_catalogue_page_lists_every_active_entry_by_series(self, client, no_policy) -> None:
        response = client.get("/catalogue/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "HX-Request" in response["Vary"]
        assert '<h3 id="title-经济">经济</h3>' in html
        for name in (
            "高级经济师",
            "助教",
            "注册会计师",
            "技能等级 三级(高级工)",
            "专项职业能力证书",
            "半导体芯片制造工",
        ):
            assert name in html
        assert "企业法律顾问" not in html
        assert "待核实" in html
        assert labels.TIER["intermediate"] in html and "须注册" in html
        assert "积分规则数据尚未载入" in html

    def test_catalogue_page_shows_points_once_the_policy_exists(self, client) -> None:
        html = client.get("/catalogue/").content.decode()
        assert "积分规则数据尚未载入" not in html and "社保基数条件" in html
        html = client.get("/catalogue/", {"q": "经济师"}).content.decode()
        assert "100 分" in html
        assert "140 分" in html

    def test_catalogue_search_without_javascript(self, client, no_policy) -> None:
        response = client.get("/catalogue/", {"q": "高级工"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" in html
        assert 'value="高级工"' in html
        assert html.index("技能等级 三级(高级工)") < html.index("高级工程师")
        assert labels.TIER["skill_3"] in html

    def test_catalogue_htmx_request_gets_the_fragment(self, client) -> None:
        response = client.get("/catalogue/", {"q": "jjs"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert html.startswith('<div id="catalogue-results"')
        assert "<html" not in html
        assert "经济师" in html
        assert "HX-Request" in response["Vary"]

    @pytest.mark.parametrize("path", ["/catalogue/", "/catalogue/suggest", "/api/certificates"])
    def test_a_warm_search_costs_one_query(self, client, path: str, django_assert_num_queries) -> None:
        headers = {"HX-Request": "true"} if path == "/catalogue/" else {}
        assert client.get(path, {"q": "焊工"}, headers=headers).status_code == 200
        with django_assert_num_queries(1):  # the data stamp: the active catalogue is kept under it
            response = client.get(path, {"q": "焊工"}, headers=headers)
        assert response.status_code == 200

    def test_htmx_history_restore_gets_the_whole_page(self, client) -> None:
        headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
        assert "<html" in client.get("/catalogue/", {"q": "jjs"}, headers=headers).content.decode()

    @pytest.mark.parametrize(
        ("query", "says"),
        [
            ("没有这种证书", "目录中没有找到“没有这种证书”"),
            ("焊工", "按证书等级计分"),
            ("x" * 101, "搜索词最多 100 个字"),
            ("经济\x00", 'aria-invalid="true"'),
        ],
    )
    def test_catalogue_search_explains_misses_and_bad_input(self, client, query: str, says: str) -> None:
        response = client.get("/catalogue/", {"q": query})
        assert response.status_code == 200
        assert says in response.content.decode()

    def test_suggestions_carry_what_the_simulator_needs(self, client) -> None:
        html = client.get("/catalogue/suggest", {"q": "经济师"}).content.decode()
        assert html.startswith('<ul id="cert-suggestions"')
        assert html.count('role="option"') <= 8
        first = html[html.index("<button") : html.index("</button>")]
        entry = Certificate.objects.get(kind=Kind.TITLE, series="经济", name="经济师")
        for attribute in (
            f'data-id="{entry.pk}"',
            'data-name="经济师"',
            'data-level="中级"',
            'data-tier="intermediate"',
            'data-points="100"',
            'data-needs-registration="false"',
            'data-needs-base-test="true"',
        ):
            assert attribute in first
        # which tiers need the SI base test is tier data of the policy, not of the catalogue
        TierPoints.objects.filter(code="intermediate").update(needs_base_test=False)
        cache.bump_version()
        html = client.get("/catalogue/suggest", {"q": "经济师"}).content.decode()
        assert 'data-needs-base-test="false"' in html[html.index("<button") : html.index("</button>")]
        assert "经济师 · 经济 · 中级 · 100 分" in first

    def test_suggestions_for_nothing(self, client) -> None:
        assert 'role="option"' not in client.get("/catalogue/suggest").content.decode()
        assert "没有找到" in client.get("/catalogue/suggest", {"q": "没有这种证书"}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/catalogue/", "/catalogue/?q=script", "/catalogue/suggest?q=script"])
def test_entry_names_are_escaped(client, url: str) -> None:
    make_certificate(name="<script>alert(1)</script>", note="<b>说明</b>")
    html = client.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


# --- The API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestApi:
    """GET /api/certificates."""

    def test_api_returns_the_best_matches_as_json(self, client, no_policy) -> None:
        response = client.get("/api/certificates", {"q": "jjs"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert set(data[0]) == API_KEYS
        assert data[0]["name"] == "经济师"
        assert data[0] | {"id": None, "note": None} == {
            "id": None,
            "name": "经济师",
            "kind": "title",
            "series": "经济",
            "level": "中级",
            "tier": "intermediate",
            "points": None,
            "needs_registration": False,
            "note": None,
            "active": True,
        }

    def test_api_points_come_from_the_policy(self, client) -> None:
        data = client.get("/api/certificates", {"q": "监理工程师", "limit": 1}).json()
        assert data == [data[0] | {"points": 100, "needs_registration": True, "kind": "qualification"}]

    @pytest.mark.parametrize(("limit", "count"), [(None, 20), ("", 20), ("1", 1), ("100", 100), (" 7 ", 7)])
    def test_api_limit(self, client, limit: str | None, count: int) -> None:
        params = {} if limit is None else {"limit": limit}
        assert len(client.get("/api/certificates", params).json()) == count

    @pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "1e3"])
    def test_api_bad_limit_is_a_400_with_errors(self, client, limit: str) -> None:
        response = client.get("/api/certificates", {"q": "经济", "limit": limit})
        assert response.status_code == 400
        assert response.json() == LIMIT_ERROR

    def test_api_too_long_query_is_a_400(self, client) -> None:
        response = client.get("/api/certificates", {"q": "经" * 101})
        assert response.status_code == 400
        assert response.json() == {"errors": {"q": ["搜索词最多 100 个字"]}}

    def test_api_nul_in_the_query_is_a_400_not_a_database_error(self, client) -> None:
        response = client.get("/api/certificates", {"q": "经济\x00"})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["q"]

    @pytest.mark.parametrize("query", ["' OR 1=1 --", "%", "_"])
    def test_api_sql_metacharacters_match_nothing(self, client, query: str) -> None:
        response = client.get("/api/certificates", {"q": query})
        assert response.status_code == 200
        assert response.json() == []

    def test_api_never_returns_retired_entries(self, client) -> None:
        data = client.get("/api/certificates", {"q": "企业法律顾问"}).json()
        assert data == []
        assert all(item["active"] for item in client.get("/api/certificates", {"limit": 100}).json())


@pytest.mark.django_db
def test_api_refuses_post(client) -> None:
    assert client.post("/api/certificates").status_code == 405
