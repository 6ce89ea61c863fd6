"""The catalogue in the admin: the maintainers group, history, retiring, import and export."""

import io
import json
import re

import pytest
import tablib
from django.contrib.auth.models import Group, User
from import_export.formats.base_formats import XLSX

from catalogue.models import Certificate
from catalogue.resources import CertificateResource
from tests.factories import make_certificate, names

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
