"""The staff groups: 规则维护 does the yearly wage and edition update without a superuser; history
pages say what changed from what to what, and why."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, User

from calculator.models import AverageWage, PolicyEdition
from catalogue.models import Tier

pytestmark = pytest.mark.django_db

POLICY_MODELS = (
    "policyedition",
    "educationpoints",
    "tierpoints",
    "basetierrule",
    "yearrate",
    "awardpoints",
    "deductionrule",
    "averagewage",
)


@pytest.fixture
def policy_maintainer(client) -> User:
    user = User.objects.create_user("li", is_staff=True)
    user.groups.add(Group.objects.get(name="规则维护"))
    client.force_login(user)
    return user


def test_the_policy_maintainers_group_may_edit_editions_and_wages_and_delete_nothing() -> None:
    group = Group.objects.get(name="规则维护")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {f"{action}_{model}" for model in POLICY_MODELS for action in ("add", "change", "view")}


def test_a_policy_maintainer_adds_the_new_years_wage(client, policy_maintainer, reference_rows) -> None:
    assert client.get("/admin/calculator/averagewage/").status_code == 200
    response = client.post(
        "/admin/calculator/averagewage/add/",
        {"start": "2026-07-01", "end": "2027-06-01", "average": "12800", "ceiling": "38400", "floor": "7680"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert AverageWage.objects.get(start=date(2026, 7, 1)).average == 12800


def test_a_policy_maintainer_opens_an_edition_and_nothing_else(client, policy_maintainer, reference_rows) -> None:
    edition = PolicyEdition.objects.get()
    assert client.get(f"/admin/calculator/policyedition/{edition.pk}/change/").status_code == 200
    assert client.get("/admin/catalogue/certificate/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(f"/admin/calculator/averagewage/{AverageWage.objects.first().pk}/delete/").status_code == 403


def test_the_wage_history_shows_old_and_new_values(client, policy_maintainer, reference_rows) -> None:
    wage = AverageWage.objects.get(start=date(2025, 7, 1))
    data = {"start": "2025-07-01", "end": "2026-06-01", "average": "12500", "ceiling": "37302", "floor": "7460"}
    assert client.post(f"/admin/calculator/averagewage/{wage.pk}/change/", data).status_code == 302
    html = client.get(f"/admin/calculator/averagewage/{wage.pk}/history/").content.decode()
    assert "<strong>月平均工资（元）</strong>：12434 → 12500" in html
    assert "li" in html and "修改原因" in html


@pytest.fixture
def catalogue_maintainer(client) -> User:
    user = User.objects.create_user("wei", is_staff=True)
    user.groups.add(Group.objects.get(name="目录维护"))
    client.force_login(user)
    return user


def test_the_catalogue_history_shows_labels_old_and_new(client, catalogue_maintainer) -> None:
    from catalogue.models import Certificate

    entry = Certificate.objects.create(kind="title", series="经济", name="经济师", level="中级", tier="intermediate")
    entry.tier, entry.active, entry._change_reason = "senior", False, "更正计分档"
    entry.save()
    html = client.get(f"/admin/catalogue/certificate/{entry.pk}/history/").content.decode()
    assert f"<strong>计分档</strong>：{Tier.INTERMEDIATE.label} → {Tier.SENIOR.label}" in html
    assert "<strong>启用</strong>：是 → 否" in html
    assert "更正计分档" in html and "None" not in html


def test_an_import_records_the_file_name_as_the_reason(client, catalogue_maintainer) -> None:
    import io
    import re

    from catalogue.models import Certificate

    upload = io.BytesIO("名称,所属目录,启用\n焊工,,是\n".encode())
    upload.name = "2026年工种.csv"
    preview = client.post("/admin/catalogue/trade/import/", {"format": "0", "import_file": upload}).content.decode()
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview))
    assert client.post("/admin/catalogue/trade/process_import/", fields).status_code == 302
    from catalogue.models import Trade

    trade = Trade.objects.get(name="焊工")
    assert trade.history.latest().history_change_reason == "导入文件 2026年工种.csv"
    html = client.get(f"/admin/catalogue/trade/{trade.pk}/history/").content.decode()
    assert "导入文件 2026年工种.csv" in html
    assert not Certificate.objects.exists()
