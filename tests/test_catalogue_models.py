"""The catalogue's models: the reference data as loaded, search keys, validation."""

import io
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from import_export.formats.base_formats import XLSX

from catalogue.models import Certificate, Kind, Registration, Tier, Trade, normalise, pinyin_keys
from catalogue.resources import CertificateResource
from tests.factories import (
    EXPECTED_TIERS,
    HISTORICAL_QUALIFICATIONS,
    QUALIFICATIONS,
    SKILL_ROWS,
    TITLES,
    TRADES,
    UNVERIFIED,
    make_certificate,
)

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
        assert exported.headers[:3] == ["类别", "系列", "名称"]  # the Chinese labels (codes are accepted too)
        assert len(exported) == TITLES + QUALIFICATIONS + SKILL_ROWS - TRADES
        result = CertificateResource().import_data(exported, dry_run=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert {r.import_type for r in result.rows} == {"skip"}

    def test_export_as_xlsx(self) -> None:
        exported = CertificateResource().export(queryset=Certificate.objects.filter(series="经济"))
        assert XLSX().export_data(exported)[:2] == b"PK"


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
