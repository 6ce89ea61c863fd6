"""The certificate catalogue: reference data, search, the public page, the API and the admin."""

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from unittest import mock

import pytest
import tablib
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from import_export.formats.base_formats import XLSX

from catalogue.models import Certificate, Kind, Registration, Tier, Trade, normalise, pinyin_keys
from catalogue.resources import CertificateResource

# Derived from /work/shared/catalogue/{titles,qualifications}.csv when the fixture was built.
TITLES, QUALIFICATIONS, SKILL_ROWS = 247, 75, 59
EXPECTED_TIERS = {
    ("title", "senior"): 127,
    ("title", "intermediate"): 62,
    ("title", "none"): 58,
    ("qualification", "intermediate"): 58,
    ("qualification", "none"): 17,
    ("skill", "skill_5"): 1,
    ("skill", "skill_4"): 1,
    ("skill", "skill_3"): 1,
    ("skill", "intermediate"): 1,
    ("skill", "senior"): 1,
    ("skill", "none"): 6,
}
TRADES = 48
HISTORICAL_QUALIFICATIONS = 10
UNVERIFIED = {"title": 19, "qualification": 6, "trade": 9}

POINTS = {"skill_5": 15, "skill_4": 30, "skill_3": 60, "intermediate": 100, "senior": 140, "none": 0}
API_KEYS = {"id", "name", "kind", "series", "level", "tier", "points", "needs_registration", "note", "active"}
LIMIT_ERROR = {"errors": {"limit": ["请输入 1 到 100 之间的整数"]}}


@pytest.fixture(scope="class")
def catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The reference data, loaded once for a class of tests and rolled back after it. Each test still
    runs in its own savepoint (the django_db mark), so a test may change entries without leaking."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def no_policy():
    with mock.patch("calculator.policy.tier_points", return_value=None):
        yield


@pytest.fixture
def policy_points():
    with mock.patch("calculator.policy.tier_points", return_value=POINTS):
        yield


def make_certificate(**fields) -> Certificate:
    defaults = {"kind": Kind.TITLE, "series": "经济", "name": "经济师", "level": "中级", "tier": Tier.INTERMEDIATE}
    return Certificate.objects.create(**{**defaults, **fields})


def names(queryset) -> list[str]:
    return [entry.name for entry in queryset]


# --- Reference data -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fixture_loads_into_an_empty_database_and_reproduces_the_csvs() -> None:
    assert not Certificate.objects.exists()
    call_command("load_reference", stdout=io.StringIO())

    tiers = Counter(Certificate.objects.values_list("kind", "tier"))
    assert dict(tiers) == EXPECTED_TIERS
    assert Certificate.objects.filter(kind=Kind.TITLE).count() == TITLES
    assert Certificate.objects.filter(kind=Kind.QUALIFICATION).count() == QUALIFICATIONS
    assert Certificate.objects.filter(kind=Kind.SKILL).count() + Trade.objects.count() == SKILL_ROWS
    assert Trade.objects.count() == TRADES


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestReferenceData:
    """The loaded reference data against the CSVs."""

    def test_historical_rows_are_present_but_retired_and_unverified_rows_active_with_their_note(self) -> None:
        historical = Certificate.objects.filter(status="historical")
        assert historical.count() == HISTORICAL_QUALIFICATIONS
        assert not historical.filter(active=True).exists()
        unverified = Certificate.objects.filter(status="unverified")
        assert Counter(unverified.values_list("kind", flat=True)) == {
            "title": UNVERIFIED["title"],
            "qualification": UNVERIFIED["qualification"],
        }
        assert Trade.objects.filter(status="unverified").count() == UNVERIFIED["trade"]
        assert all(entry.active and "待核实" in entry.note for entry in unverified.filter(kind=Kind.QUALIFICATION))
        assert Certificate.objects.exclude(status="historical").filter(active=False).count() == 0

    def test_junior_titles_are_zero_point_entries_that_say_why(self) -> None:
        junior = Certificate.objects.filter(kind=Kind.TITLE, level="初级")
        assert junior.count() == EXPECTED_TIERS[("title", "none")]
        assert set(junior.values_list("tier", flat=True)) == {"none"}
        assert set(junior.values_list("note", flat=True)) == {"初级职称不计分。"}

    def test_registration_flags_follow_the_csv(self) -> None:
        needs = Certificate.objects.filter(needs_registration=True)
        assert needs.count() == 29
        assert set(needs.values_list("registration", flat=True)) == {Registration.YES}
        assert Certificate.objects.get(name="监理工程师").needs_registration
        assert not Certificate.objects.get(name="税务师/注册税务师").needs_registration

    def test_load_reference_twice_neither_duplicates_nor_overwrites_a_staff_edit(self) -> None:
        entry = Certificate.objects.get(kind=Kind.TITLE, series="经济", name="经济师")
        entry.note = "工作人员修改的说明"
        entry.save()
        Trade.objects.filter(name="磨工").update(note="工种说明")
        before = (Certificate.objects.count(), Trade.objects.count())

        call_command("load_reference", stdout=io.StringIO())

        assert (Certificate.objects.count(), Trade.objects.count()) == before
        assert Certificate.objects.get(pk=entry.pk).note == "工作人员修改的说明"
        assert Trade.objects.get(name="磨工").note == "工种说明"

    def test_natural_keys_round_trip(self) -> None:
        entry = Certificate.objects.get(kind=Kind.TITLE, series="出版", name="编辑")
        assert Certificate.objects.get_by_natural_key(*entry.natural_key()) == entry
        assert Trade.objects.get_by_natural_key("磨工").natural_key() == ("磨工",)

    def test_export_then_import_changes_nothing(self) -> None:
        exported = CertificateResource().export()
        assert exported.headers[:3] == ["kind", "series", "name"]
        assert len(exported) == TITLES + QUALIFICATIONS + SKILL_ROWS - TRADES
        result = CertificateResource().import_data(exported, dry_run=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert {r.import_type for r in result.rows} == {"skip"}

    def test_export_as_xlsx(self) -> None:
        exported = CertificateResource().export(queryset=Certificate.objects.filter(series="经济"))
        assert XLSX().export_data(exported)[:2] == b"PK"


@pytest.mark.parametrize(
    ("tier", "needs_base_test"),
    [
        (Tier.NONE, False),
        (Tier.SKILL_5, False),
        (Tier.SKILL_4, False),
        (Tier.SKILL_3, False),
        (Tier.INTERMEDIATE, True),
        (Tier.SENIOR, True),
    ],
)
def test_base_test_applies_to_intermediate_and_senior_tiers(tier: Tier, needs_base_test: bool) -> None:
    assert Certificate(tier=tier).needs_base_test is needs_base_test


@pytest.mark.parametrize(
    ("text", "normalised", "pinyin"),
    [
        ("经济师", "经济师", ("jingjishi", "jjs")),
        (" 主治医师（主管医师） ", "主治医师(主管医师)", ("zhuzhiyishizhuguanyishi", "zzyszgys")),
        ("ＣＡＴＴＩ 二级", "catti二级", ("cattierji", "cattiej")),
    ],
)
def test_search_keys_are_normalised(text: str, normalised: str, pinyin: tuple[str, str]) -> None:
    assert normalise(text) == normalised
    assert pinyin_keys(text) == pinyin


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

    def test_suggest_offers_skill_levels_for_a_trade(self) -> None:
        assert names(Certificate.objects.active().suggest("焊工", 8)) == [
            "技能等级 五级(初级工)",
            "技能等级 四级(中级工)",
            "技能等级 三级(高级工)",
            "技能等级 二级(技师)",
            "技能等级 一级(高级技师)",
        ]
        assert len(Certificate.objects.active().suggest("师", 8)) == 8
        assert Certificate.objects.active().suggest(" ", 8) == []


# --- Validation ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_duplicate_entry_is_refused_with_a_chinese_message() -> None:
    make_certificate()
    duplicate = Certificate(kind=Kind.TITLE, series="经济", name="经济师", level="中级", tier=Tier.INTERMEDIATE)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == [
        "同一类别和系列下已有同名证书：专业技术职称 · 经济 · 经济师。请修改名称或系列，或直接编辑已有的那一条。"
    ]
    make_certificate(series="会计")  # same name in another series is a different entry


@pytest.mark.django_db
def test_a_duplicate_trade_is_refused_with_a_chinese_message() -> None:
    Trade.objects.create(name="磨工")
    with pytest.raises(ValidationError, match="已有同名工种：磨工"):
        Trade(name="磨工").full_clean()


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
        assert "中级档" in html and "社保基数条件" in html and "须注册" in html

    def test_catalogue_page_shows_points_once_the_policy_exists(self, client, policy_points) -> None:
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
        assert "技能三级档" in html

    def test_catalogue_htmx_request_gets_the_fragment(self, client) -> None:
        response = client.get("/catalogue/", {"q": "jjs"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert html.startswith('<div id="catalogue-results"')
        assert "<html" not in html
        assert "经济师" in html
        assert "HX-Request" in response["Vary"]

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

    def test_suggestions_carry_what_the_simulator_needs(self, client, policy_points) -> None:
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

    def test_api_points_come_from_the_policy(self, client, policy_points) -> None:
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


# --- The admin -------------------------------------------------------------------------------------

GROUP_PERMISSIONS = {
    f"{action}_{model}"
    for model in ("certificate", "trade", "historicalcertificate", "historicaltrade")
    for action in ("add", "change", "view")
}


@pytest.fixture
def maintainer(db) -> User:
    user = User.objects.create_user("wei", is_staff=True)
    user.groups.add(Group.objects.get(name="目录维护"))
    return user


@pytest.fixture
def plain_staff(db) -> User:
    return User.objects.create_user("staff", is_staff=True)


def change_form(entry: Certificate, **changes) -> dict:
    fields = ("kind", "series", "name", "level", "tier", "registration", "aliases", "note", "status", "source")
    data = {field: getattr(entry, field) for field in fields} | {"position": entry.position}
    if entry.active:
        data["active"] = "on"
    return data | changes


@pytest.mark.django_db
def test_the_maintainers_group_may_edit_the_catalogue_and_nothing_else() -> None:
    group = Group.objects.get(name="目录维护")
    catalogue = group.permissions.filter(content_type__app_label="catalogue")
    assert set(catalogue.values_list("codename", flat=True)) == GROUP_PERMISSIONS
    # besides the catalogue, only the checklist's texts (tests/test_materials.py)
    assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {"catalogue", "calculator"}


@pytest.mark.django_db
def test_a_maintainer_can_change_an_entry_and_history_records_it(client, maintainer) -> None:
    entry = make_certificate()
    client.force_login(maintainer)
    assert client.get("/admin/catalogue/certificate/").status_code == 200
    assert client.get("/admin/catalogue/certificate/?q=jjs").status_code == 200

    url = f"/admin/catalogue/certificate/{entry.pk}/change/"
    response = client.post(url, change_form(entry, note="以考代评"))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.note == "以考代评"
    record = entry.history.latest()
    assert (record.history_type, record.history_user, record.note) == ("~", maintainer, "以考代评")
    history_page = client.get(f"/admin/catalogue/certificate/{entry.pk}/history/").content.decode()
    assert "wei" in history_page and "以考代评" in history_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalogue/certificate/import/",
        "/admin/catalogue/certificate/export/",
        "/admin/catalogue/certificate/add/",
        "/admin/catalogue/trade/",
        "/admin/catalogue/trade/import/",
    ],
)
def test_a_maintainer_can_import_export_and_add(client, maintainer, url: str) -> None:
    client.force_login(maintainer)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/"])
def test_a_maintainer_cannot_touch_anything_else(client, maintainer, url: str) -> None:
    client.force_login(maintainer)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_maintainer_retires_instead_of_deleting(client, maintainer) -> None:
    entry = make_certificate()
    client.force_login(maintainer)
    assert client.get(f"/admin/catalogue/certificate/{entry.pk}/delete/").status_code == 403
    changelist = client.get("/admin/catalogue/certificate/").content.decode()
    assert "delete_selected" not in changelist
    assert 'value="retire"' in changelist


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/catalogue/certificate/", "/admin/catalogue/trade/"])
def test_plain_staff_are_refused(client, plain_staff, url: str) -> None:
    client.force_login(plain_staff)
    assert client.get(url).status_code == 403
    assert client.get(url + "import/").status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get("/admin/catalogue/certificate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_refuses_a_duplicate_with_a_chinese_message(client, maintainer) -> None:
    entry = make_certificate()
    client.force_login(maintainer)
    response = client.post("/admin/catalogue/certificate/add/", change_form(entry))
    assert response.status_code == 200
    assert "同一类别和系列下已有同名证书：专业技术职称 · 经济 · 经济师" in response.content.decode()
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "before", "after"), [("retire", True, False), ("activate", False, True)])
def test_bulk_retire_and_activate(client, maintainer, action: str, before: bool, after: bool) -> None:
    entries = [make_certificate(name=name, active=before) for name in ("经济师", "高级经济师")]
    client.force_login(maintainer)
    response = client.post(
        "/admin/catalogue/certificate/",
        {"action": action, "_selected_action": [entry.pk for entry in entries]},
    )
    assert response.status_code == 302
    assert set(Certificate.objects.values_list("active", flat=True)) == {after}
    assert {entry.history.latest().history_change_reason for entry in entries} == {
        "批量停用" if action == "retire" else "批量启用"
    }


# --- Import and export -----------------------------------------------------------------------------

HEADERS = ["kind", "series", "name", "level", "tier", "registration", "aliases", "status", "note", "source", "active"]


def dataset(*rows: list) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def row(name: str, tier: str = "intermediate", note: str = "") -> list:
    return ["title", "经济", name, "中级", tier, "n/a", "", "confirmed", note, "test", "1"]


@pytest.mark.django_db
def test_import_preview_shows_the_changes_and_writes_nothing() -> None:
    make_certificate()
    result = CertificateResource().import_data(dataset(row("经济师", note="新的说明"), row("新经济师")), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["update", "new"]
    assert names(Certificate.objects.all()) == ["经济师"]
    assert Certificate.objects.get().note == ""


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False])
def test_import_with_a_bad_row_reports_its_line_and_writes_nothing(dry_run: bool) -> None:
    make_certificate()
    data = dataset(row("新经济师"), row("坏的一行", tier="gold"), row("经济师", note="改了"))
    result = CertificateResource().import_data(data, dry_run=dry_run)
    assert result.has_validation_errors()
    assert [invalid.number for invalid in result.invalid_rows] == [2]
    assert "tier" in result.invalid_rows[0].error_dict
    assert names(Certificate.objects.all()) == ["经济师"]
    assert Certificate.objects.get().note == ""


@pytest.mark.django_db
def test_xlsx_import_takes_empty_cells_as_blank_text(client, maintainer) -> None:
    blank = ["title", "经济", "经济师", "中级", "intermediate", "n/a", None, "confirmed", None, None, "1"]
    upload = io.BytesIO(XLSX().export_data(dataset(blank)))
    upload.name = "catalogue.xlsx"
    client.force_login(maintainer)
    preview = client.post("/admin/catalogue/certificate/import/", {"format": "1", "import_file": upload})
    confirm = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview.content.decode()
        )
    )
    assert set(confirm) >= {"import_file_name", "original_file_name", "format"}

    response = client.post("/admin/catalogue/certificate/process_import/", confirm)

    assert response.status_code == 302
    entry = Certificate.objects.get()
    assert (entry.name, entry.aliases, entry.note, entry.source) == ("经济师", "", "", "")
    assert entry.history.latest().history_user == maintainer


@pytest.mark.django_db
def test_admin_import_shows_a_preview_before_writing(client, maintainer) -> None:
    make_certificate()
    client.force_login(maintainer)
    upload = io.BytesIO(dataset(row("经济师", note="新的说明"), row("新经济师")).export("csv").encode())
    upload.name = "catalogue.csv"
    response = client.post("/admin/catalogue/certificate/import/", {"format": "0", "import_file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "新的说明" in html and "新经济师" in html
    assert 'name="import_file_name"' in html  # the confirm form: nothing written yet
    assert names(Certificate.objects.all()) == ["经济师"]


@pytest.mark.django_db
def test_admin_import_of_a_bad_file_reports_the_line_and_offers_no_confirm(client, maintainer) -> None:
    client.force_login(maintainer)
    upload = io.BytesIO(dataset(row("新经济师"), row("坏的一行", tier="gold")).export("csv").encode())
    upload.name = "catalogue.csv"
    response = client.post("/admin/catalogue/certificate/import/", {"format": "0", "import_file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "gold" in html
    assert 'name="import_file_name"' not in html
    assert not Certificate.objects.exists()


def test_fixture_has_no_machine_paths() -> None:
    from django.conf import settings

    text = (settings.FIXTURE_DIRS[0] / "catalogue.json").read_text(encoding="utf-8")
    assert "/work/" not in text and "/home/" not in text
    assert all("pk" not in item for item in json.loads(text))
