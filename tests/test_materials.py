"""The checklist's texts in the database: the fixture, the admin (history, the 目录维护 group), the stamp."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from calculator import labels
from calculator.cache import cached, current_version
from calculator.models import DataVersion, FilingStep, Material, PreflightCheck, checklist_texts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "materials.json"
TEXT_MODELS = ("material", "preflightcheck", "filingstep")
TEXT_PERMISSIONS = {
    f"{action}_{prefix}{model}"
    for model in TEXT_MODELS
    for prefix in ("", "historical")
    for action in ("add", "change", "view")
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(db) -> None:
    call_command("load_reference", str(FIXTURE), stdout=io.StringIO())


@pytest.fixture
def maintainer(db) -> User:
    user = User.objects.create_user("wei", is_staff=True)
    user.groups.add(Group.objects.get(name="目录维护"))
    return user


def test_the_fixture_loads_every_row_of_materials_md(texts) -> None:
    assert Material.objects.count() == 23
    assert PreflightCheck.objects.count() == len(labels.CHECK) == 9
    assert FilingStep.objects.count() == 4
    assert Material.objects.filter(strength="C").count() == 9
    loaded = checklist_texts()
    assert [m.key for m in loaded.materials][:2] == ["general_intro_letter", "general_application_form"]
    assert loaded.checks[0].code == "permit_expiry"


def test_load_reference_twice_neither_duplicates_nor_overwrites_a_staff_edit(texts) -> None:
    row = Material.objects.get(key="general_id_card")
    row.item = "本人身份证（正反面）"
    row.save()
    out = io.StringIO()
    call_command("load_reference", str(FIXTURE), stdout=out)
    assert "0 inserted" in out.getvalue()
    assert Material.objects.count() == 23
    assert Material.objects.get(key="general_id_card").item == "本人身份证（正反面）"


def test_every_fixture_row_has_a_natural_key_and_no_id() -> None:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all("pk" not in row for row in rows)
    assert len({(r["model"], r["fields"].get("key") or r["fields"].get("code")) for r in rows}) == len(rows)


def test_the_maintainers_group_keeps_the_texts() -> None:
    group = Group.objects.get(name="目录维护")
    granted = set(group.permissions.filter(content_type__app_label="calculator").values_list("codename", flat=True))
    assert granted == TEXT_PERMISSIONS


def test_a_maintainer_edits_a_text_with_history_and_cannot_delete_it(client, maintainer, texts) -> None:
    check = PreflightCheck.objects.get(code="archive_outside")
    client.force_login(maintainer)
    assert client.get("/admin/calculator/material/").status_code == 200
    assert client.get("/admin/calculator/filingstep/").status_code == 200
    url = f"/admin/calculator/preflightcheck/{check.pk}/change/"
    data = {"code": check.code, "message": "档案在外省市：尽早转入。", "fallback": "", "strength": "A", "position": 70}
    response = client.post(url, data | {"active": "on"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.message == "档案在外省市：尽早转入。"
    record = check.history.latest()
    assert (record.history_type, record.history_user) == ("~", maintainer)
    assert "档案在外省市：尽早转入。" in client.get(url.replace("change/", "history/")).content.decode()
    assert client.get(url.replace("change/", "delete/")).status_code == 403


def test_the_admin_refuses_a_placeholder_the_check_cannot_fill(client, maintainer, texts) -> None:
    check = PreflightCheck.objects.get(code="registration")
    client.force_login(maintainer)
    url = f"/admin/calculator/preflightcheck/{check.pk}/change/"
    data = {"code": check.code, "message": "预计 {month} 注册", "fallback": "", "strength": "A", "position": 20}
    page = client.post(url, data | {"active": "on"}).content.decode()
    assert "不认识的占位符 {month}（这一项不用占位符）" in page
    check.refresh_from_db()
    assert "{month}" not in check.message


@pytest.mark.parametrize(
    ("code", "message", "error"),
    [
        ("base_test", "预计 {month} 起满足，{when}", "不认识的占位符 {when}"),
        ("base_test", "预计 {month 起满足", "花括号只能用于占位符"),
        ("employer_registered", "{expires}", "这一项不用占位符"),
    ],
)
def test_a_check_message_may_name_only_its_own_values(code, message, error) -> None:
    with pytest.raises(ValidationError) as raised:
        PreflightCheck(code=code, message=message, strength="A").clean()
    assert error in str(raised.value)
    PreflightCheck(code="base_test", message="预计 {month} 起，{window} 个月中 {months} 个月 ≥{multiple} 倍").clean()


def test_a_material_may_name_only_the_policys_values() -> None:
    fields = {"key": "x", "group": "investment", "form": "复印件", "provider": "applicant", "strength": "C"}
    Material(item="企业近 {investment_years} 年纳税证明", **fields).clean()
    for item, error in (("近 {years} 年", "不认识的占位符 {years}（这一项可用 {investment_years}）"),
                        ("近 {investment_years 年", "花括号只能用于占位符")):  # fmt: skip
        with pytest.raises(ValidationError) as raised:
            Material(item=item, **fields).clean()
        assert error in str(raised.value)


def test_saving_a_text_bumps_the_data_stamp_so_cached_texts_follow(texts) -> None:
    before = current_version()
    first = cached("checklist.texts", checklist_texts)
    step = FilingStep.objects.get(key="review")
    step.text = "审核约需 15 个工作日。"
    step.save()
    assert current_version() > before
    assert DataVersion.objects.get().version == current_version()
    again = cached("checklist.texts", checklist_texts)
    assert again is not first
    assert "审核约需 15 个工作日。" in [s.text for s in again.steps]


def test_retiring_a_text_in_the_admin_takes_it_off_the_checklist(client, maintainer, texts) -> None:
    row = Material.objects.get(key="general_hukou")
    client.force_login(maintainer)
    data = {"action": "retire", "_selected_action": [row.pk]}
    assert client.post("/admin/calculator/material/", data).status_code == 302
    row.refresh_from_db()
    assert row.active is False
    assert row.history.latest().history_change_reason == "批量停用"
    assert "general_hukou" not in [m.key for m in checklist_texts().materials]
