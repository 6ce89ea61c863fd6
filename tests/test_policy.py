"""The policy data layer: fixture, models and their validation, the loader and its cache, the admin."""

import dataclasses
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F

from calculator import cache, policy
from calculator.models import (
    AverageWage,
    AwardPoints,
    BaseTierRule,
    DataVersion,
    DeductionRule,
    EducationPoints,
    PolicyEdition,
    TierPoints,
    YearRate,
)
from calculator.scoring import month_index
from tests.factories import AVERAGES, rules_policy

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(settings.FIXTURE_DIRS[0]) / "policy.json"
RULES_DAY = date(2026, 1, 15)


@pytest.fixture
def reference(db) -> None:
    call_command("load_reference", str(FIXTURE), verbosity=0)


def clone_edition(effective_from: date, **changes) -> PolicyEdition:
    """A copy of the 2018 edition, with all its tables, effective from another date."""
    return PolicyEdition.objects.get(effective_from=date(2018, 1, 1)).copy(effective_from, **changes)


def wage(start: date, end: date, average: int = 13000, ceiling: int = 39000, floor: int = 7800) -> AverageWage:
    return AverageWage(start=start, end=end, average=average, ceiling=ceiling, floor=floor)


def messages(error: ValidationError) -> list[str]:
    return [text for texts in error.message_dict.values() for text in texts]


# ---------------------------------------------------------------------------------------------
# The fixture


@pytest.mark.parametrize(
    ("model", "count"),
    [
        (PolicyEdition, 1),
        (EducationPoints, 6),
        (TierPoints, 6),
        (BaseTierRule, 4),
        (YearRate, 4),
        (AwardPoints, 3),
        (DeductionRule, 3),
        (AverageWage, 9),
    ],
)
def test_fixture_loads_every_row(reference, model, count) -> None:
    assert model.objects.count() == count


def test_fixture_uses_natural_keys_only() -> None:
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all("pk" not in obj for obj in objects)
    assert all(isinstance(obj["fields"]["edition"], list) for obj in objects if "edition" in obj["fields"])


def test_load_reference_never_overwrites_staff_edits(reference) -> None:
    master = EducationPoints.objects.get(code="master")
    master.points = 105
    master.save()
    call_command("load_reference", str(FIXTURE), verbosity=0)
    assert EducationPoints.objects.get(code="master").points == 105
    assert EducationPoints.objects.count() == 6
    assert AverageWage.objects.count() == 9


def test_load_reference_never_restores_a_deleted_row(reference) -> None:
    AverageWage.objects.get(start=date(2019, 4, 1)).delete()
    call_command("load_reference", str(FIXTURE), verbosity=0)
    assert not AverageWage.objects.filter(start=date(2019, 4, 1)).exists()
    assert AverageWage.objects.count() == 8


def test_natural_keys_round_trip(reference) -> None:
    edition = PolicyEdition.objects.get()
    master = EducationPoints.objects.get(code="master")
    tier = BaseTierRule.objects.get(points=120)
    assert PolicyEdition.objects.get_by_natural_key(*edition.natural_key()) == edition
    assert EducationPoints.objects.get_by_natural_key(*master.natural_key()) == master
    assert BaseTierRule.objects.get_by_natural_key(*tier.natural_key()) == tier
    wage_row = AverageWage.objects.get(start=date(2025, 7, 1))
    assert AverageWage.objects.get_by_natural_key(*wage_row.natural_key()) == wage_row


# Every number of RULES.md, written by hand from it, against what the loader builds from the fixture.
RULES_NUMBERS = [
    ("edition", "《上海市居住证积分管理办法》"),
    ("document", "沪府发〔2017〕98号"),
    ("effective_from", date(2018, 1, 1)),
    ("threshold", 120),
    ("age.min_age", 16),
    ("age.base_from", 56),
    ("age.max_age", 60),
    ("age.base_points", 5),
    ("age.per_year", 2),
    ("age.cap", 30),
    ("education_points.none", 0),
    ("education_points.junior_college", 50),
    ("education_points.bachelor", 60),
    ("education_points.bachelor_degree", 90),
    ("education_points.master", 100),
    ("education_points.doctor", 110),
    ("tier_points.skill_5", 15),
    ("tier_points.skill_4", 30),
    ("tier_points.skill_3", 60),
    ("tier_points.intermediate", 100),
    ("tier_points.senior", 140),
    ("tier_points.none", 0),
    ("base_test_tiers", frozenset({"intermediate", "senior"})),
    ("base_test_multiple", Decimal("1")),
    ("base_test_window", 12),
    ("base_test_months", 6),
    ("si_years.points_per_year", 3),
    ("si_years.min_years", 0),
    ("si_years.cap", None),
    ("base_tiers.0.points", 25),
    ("base_tiers.0.multiple", Decimal("0.8")),
    ("base_tiers.0.window", 48),
    ("base_tiers.0.months", 36),
    ("base_tiers.1.points", 50),
    ("base_tiers.1.multiple", Decimal("1")),
    ("base_tiers.1.window", 48),
    ("base_tiers.1.months", 36),
    ("base_tiers.2.points", 100),
    ("base_tiers.2.multiple", Decimal("2")),
    ("base_tiers.2.window", 48),
    ("base_tiers.2.months", 36),
    ("base_tiers.3.points", 120),
    ("base_tiers.3.multiple", Decimal("3")),
    ("base_tiers.3.window", 36),
    ("base_tiers.3.months", 24),
    ("shortage_major_points", 30),
    ("investment_tax_step", 100_000),
    ("investment_hires_step", 10),
    ("investment_points_per_step", 10),
    ("investment_cap", 120),
    ("public_service.points_per_year", 4),
    ("public_service.min_years", 5),
    ("public_service.cap", None),
    ("remote_area.points_per_year", 2),
    ("remote_area.min_years", 5),
    ("remote_area.cap", 20),
    ("lingang.points_per_year", 2),
    ("lingang.min_years", 3),
    ("lingang.cap", 20),
    ("fresh_graduate_points", 10),
    ("fresh_graduate_months", 12),
    ("investment_years", 3),
    ("spouse.points_per_year", 4),
    ("spouse.min_years", 0),
    ("spouse.cap", 40),
    ("award_points.none", 0),
    ("award_points.municipal_special", 30),
    ("award_points.municipal_general", 60),
    ("award_points.national", 110),
    ("talent_points", 120),
    ("deductions.false_material.points", -150),
    ("deductions.false_material.window_years", 3),
    ("deductions.detention.points", -50),
    ("deductions.detention.window_years", 5),
    ("deductions.crime.points", -150),
    ("deductions.crime.window_years", 5),
    ("eligibility_months", 6),
    ("eligibility_window", 12),
]


def lookup(value: object, path: str) -> object:
    for part in path.split("."):
        if isinstance(value, tuple):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value[part]
        else:
            value = getattr(value, part)
    return value


@pytest.mark.parametrize(("path", "expected"), RULES_NUMBERS, ids=[path for path, _ in RULES_NUMBERS])
def test_fixture_number_equals_rules(reference, path, expected) -> None:
    assert lookup(policy.get_policy(RULES_DAY), path) == expected


def test_fixture_has_nothing_beyond_rules(reference) -> None:
    built = policy.get_policy(RULES_DAY)
    assert set(built.education_points) == {p.split(".")[1] for p, _ in RULES_NUMBERS if p.startswith("education_")}
    assert set(built.tier_points) == {p.split(".")[1] for p, _ in RULES_NUMBERS if p.startswith("tier_points.")}
    assert set(built.award_points) == {p.split(".")[1] for p, _ in RULES_NUMBERS if p.startswith("award_points.")}
    assert set(built.deductions) == {"false_material", "detention", "crime"}
    assert len(built.base_tiers) == 4


@pytest.mark.parametrize(
    ("index", "row"), list(enumerate(AVERAGES)), ids=[f"{r[0][0]}-{r[0][1]:02d}" for r in AVERAGES]
)
def test_fixture_average_wage_equals_csv(reference, index, row) -> None:
    (start, end, average, ceiling, floor) = row
    built = policy.get_policy(RULES_DAY).averages[index]
    assert (built.start, built.end) == (month_index(*start), month_index(*end))
    assert (built.average, built.ceiling, built.floor) == (average, ceiling, floor)
    assert built.source


def test_loaded_policy_equals_the_scoring_tests_policy(reference) -> None:
    """The fixture and the hand-built policy the scoring tests use are the same numbers."""
    built = policy.get_policy(RULES_DAY)
    without_sources = tuple(dataclasses.replace(w, source="") for w in built.averages)
    assert dataclasses.replace(built, averages=without_sources) == rules_policy()


# ---------------------------------------------------------------------------------------------
# get_policy: the edition in force


def test_get_policy_picks_the_latest_edition_effective_on_or_before_the_date(reference) -> None:
    clone_edition(date(2027, 1, 1), threshold=130)
    assert policy.get_policy(date(2018, 1, 1)).threshold == 120
    assert policy.get_policy(date(2026, 12, 31)).threshold == 120
    assert policy.get_policy(date(2027, 1, 1)).threshold == 130
    assert policy.get_policy(date(2040, 6, 1)).effective_from == date(2027, 1, 1)


def test_every_edition_carries_every_average_wage_sorted(reference) -> None:
    clone_edition(date(2027, 1, 1))
    for day in (date(2020, 1, 1), date(2027, 2, 1)):
        starts = [w.start for w in policy.get_policy(day).averages]
        assert starts == sorted(starts)
        assert len(starts) == 9


@pytest.mark.parametrize("day", [date(2017, 12, 31), date(2000, 1, 1)])
def test_no_policy_before_the_first_edition(reference, day) -> None:
    with pytest.raises(policy.NoPolicy, match="没有生效的积分办法版本"):
        policy.get_policy(day)


def test_no_policy_is_a_lookup_error(db) -> None:
    with pytest.raises(LookupError):
        policy.get_policy(RULES_DAY)


def test_tier_points_of_the_edition_in_force(reference) -> None:
    assert policy.tier_points() == {
        "none": 0,
        "skill_5": 15,
        "skill_4": 30,
        "skill_3": 60,
        "intermediate": 100,
        "senior": 140,
    }


def test_tier_points_none_without_an_edition(db) -> None:
    assert policy.tier_points() is None


def test_an_edition_missing_a_rule_says_which(reference) -> None:
    YearRate.objects.get(code="lingang").delete()
    with pytest.raises(policy.IncompletePolicy, match="临港新片区专项加分"):
        policy.get_policy(RULES_DAY)


def test_today_is_the_date_in_shanghai() -> None:
    evening_utc = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 2026-01-01 01:00 in Shanghai
    with mock.patch("django.utils.timezone.now", return_value=evening_utc):
        assert policy.today() == date(2026, 1, 1)


def test_importing_the_code_reads_no_database(tmp_path) -> None:
    """A query at import time would fail here: the database file's folder does not exist."""
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "jifen_site.settings",
    }
    code = (
        "import django; django.setup(); "
        "import calculator.policy, calculator.admin, calculator.views, catalogue.views, jifen_site.urls; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


# ---------------------------------------------------------------------------------------------
# The cache and the stamp


def test_warm_get_policy_costs_one_query(reference, django_assert_num_queries) -> None:
    policy.get_policy(RULES_DAY)
    with django_assert_num_queries(1):
        policy.get_policy(RULES_DAY)


def test_warm_policy_and_catalogue_cost_one_query_in_a_snapshot(reference, django_assert_max_num_queries) -> None:
    policy.get_policy(RULES_DAY)
    cache.cached("tests.catalogue", lambda: {"built": True})
    with django_assert_max_num_queries(1), cache.snapshot():
        assert policy.get_policy(RULES_DAY) is policy.get_policy(date(2020, 1, 1))
        assert cache.cached("tests.catalogue", dict) == {"built": True}
        assert policy.tier_points()


def test_current_version_is_one_query_and_zero_when_empty(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert cache.current_version() == 0


@pytest.mark.parametrize("model", [AverageWage, EducationPoints, PolicyEdition])
def test_every_save_and_delete_bumps_the_stamp(reference, model) -> None:
    row = model.objects.order_by("pk").last()
    before = cache.current_version()
    row.save()
    assert cache.current_version() == before + 1
    row.delete()
    assert cache.current_version() > before + 1


def test_saving_an_average_wage_reaches_the_next_get_policy(reference) -> None:
    assert policy.get_policy(RULES_DAY).averages[-1].average == 12434
    row = AverageWage.objects.get(start=date(2025, 7, 1))
    row.average = 12500
    row.save()
    assert policy.get_policy(RULES_DAY).averages[-1].average == 12500


def test_another_process_bumping_the_stamp_invalidates_this_cache(reference) -> None:
    """What another process does: change rows and bump the stamp, without touching our memory."""
    policy.get_policy(RULES_DAY)
    EducationPoints.objects.filter(code="master").update(points=105)  # no signal: stamp unchanged
    assert policy.get_policy(RULES_DAY).education_points["master"] == 100
    DataVersion.objects.update(version=F("version") + 1)
    assert policy.get_policy(RULES_DAY).education_points["master"] == 105


def test_bump_version_creates_the_row_when_missing(db) -> None:
    DataVersion.objects.all().delete()
    cache.bump_version()
    cache.bump_version()
    assert DataVersion.objects.get().version == 2


def test_cached_builds_once_per_stamp(reference) -> None:
    calls = []

    def build() -> int:
        calls.append(1)
        return len(calls)

    assert cache.cached("tests.counter", build) == 1
    assert cache.cached("tests.counter", build) == 1
    AwardPoints.objects.get(code="national").save()
    assert cache.cached("tests.counter", build) == 2


def test_catalogue_changes_bump_the_stamp(db) -> None:
    try:
        trade_model = apps.get_model("catalogue", "Trade")
    except LookupError:
        pytest.skip("catalogue.Trade is not defined yet")
    before = cache.current_version()
    trade_model.objects.create(name="测试工种")
    assert cache.current_version() > before


# ---------------------------------------------------------------------------------------------
# Validation (the admin runs full_clean)


def test_average_wage_periods_never_overlap(reference) -> None:
    with pytest.raises(ValidationError) as caught:
        wage(date(2026, 1, 1), date(2026, 12, 1)).full_clean()
    assert caught.value.message_dict["start"] == ["与已有期间 2025-07 至 2026-06 重叠，各期间不能重叠。"]


def test_the_next_period_after_the_last_is_valid(reference) -> None:
    wage(date(2026, 7, 1), date(2027, 6, 1)).full_clean()


def test_editing_a_period_does_not_overlap_itself(reference) -> None:
    row = AverageWage.objects.get(start=date(2025, 7, 1))
    row.average = 12500
    row.full_clean()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ceiling": 12000}, "ceiling", "缴费基数上限不能低于月平均工资。"),
        ({"floor": 14000}, "floor", "缴费基数下限不能高于月平均工资。"),
        ({"end": date(2026, 6, 1)}, "end", "结束月份不能早于起始月份。"),
        ({"average": 0}, "average", "金额必须为正数（元）。"),
        ({"floor": 0}, "floor", "金额必须为正数（元）。"),
    ],
)
def test_average_wage_messages(db, changes, field, message) -> None:
    row = wage(date(2026, 7, 1), date(2027, 6, 1))
    for name, value in changes.items():
        setattr(row, name, value)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert message in caught.value.message_dict[field]


def test_any_day_of_a_month_means_that_month(db) -> None:
    row = wage(date(2026, 7, 15), date(2027, 6, 30))
    row.full_clean()
    row.save()
    assert (row.start, row.end) == (date(2026, 7, 1), date(2027, 6, 1))
    assert row.period == "2026-07 至 2027-06"


def test_edition_effective_date_is_unique(reference) -> None:
    edition = PolicyEdition(name="《上海市居住证积分管理办法》", effective_from=date(2018, 1, 1))
    with pytest.raises(ValidationError) as caught:
        edition.full_clean()
    assert "已有一个同一天生效的版本，生效日期不能重复。" in messages(caught.value)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"base_test_multiple": Decimal("0")}, "base_test_multiple", "倍数必须大于 0。"),
        ({"age_base_from": 62}, "age_base_from", "基础分起始年龄须在最低年龄与最高年龄之间。"),
        ({"base_test_months": 13}, "base_test_months", "须达到的月数不能多于统计月数。"),
        ({"eligibility_months": 13}, "eligibility_months", "申请条件的社保月数不能多于统计月数。"),
        ({"investment_tax_step": 0}, "investment_tax_step", "金额必须为正数（元）。"),
    ],
)
def test_edition_messages(db, changes, field, message) -> None:
    # every other number as in the fixture (the model has no defaults to fall back on)
    rows = json.loads((ROOT / "fixtures" / "policy.json").read_text(encoding="utf-8"))
    numbers = next(row["fields"] for row in rows if row["model"] == "calculator.policyedition")
    edition = PolicyEdition(**{**numbers, "name": "测试版本", "effective_from": date(2030, 1, 1), **changes})
    with pytest.raises(ValidationError) as caught:
        edition.full_clean()
    assert message in caught.value.message_dict[field]


def test_deductions_must_be_negative(reference) -> None:
    row = DeductionRule.objects.get(code="crime")
    row.points = 150
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict["points"] == ["减分分值必须为负数，例如每次扣 10 分填 -10。"]


@pytest.mark.parametrize("model", [EducationPoints, TierPoints, AwardPoints])
def test_points_cannot_be_negative(reference, model) -> None:
    row = model.objects.order_by("pk").first()
    row.points = -1
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "points" in caught.value.message_dict


def test_base_tier_multiple_positive_and_months_within_window(reference) -> None:
    row = BaseTierRule.objects.get(points=25)
    row.multiple = Decimal("0")
    row.months = 60
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict["multiple"] == ["倍数必须大于 0。"]
    assert caught.value.message_dict["months"] == ["须达到的月数不能多于统计月数。"]


def test_one_row_per_code_within_an_edition(reference) -> None:
    edition = PolicyEdition.objects.get()
    with pytest.raises(ValidationError):
        EducationPoints(edition=edition, code="master", points=1).full_clean()


# ---------------------------------------------------------------------------------------------
# The admin


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "unused-password")
    client.force_login(user)
    return client


def admin_form_data(response) -> dict[str, object]:
    """The POST a browser would send for an admin change page as rendered (main form and inlines)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, object] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/calculator/",
        "/admin/calculator/policyedition/",
        "/admin/calculator/policyedition/add/",
        "/admin/calculator/averagewage/",
        "/admin/calculator/averagewage/add/",
    ],
)
def test_admin_pages_open(reference, staff_client, url) -> None:
    assert staff_client.get(url).status_code == 200


def test_admin_change_pages_open(reference, staff_client) -> None:
    edition = PolicyEdition.objects.get()
    row = AverageWage.objects.get(start=date(2025, 7, 1))
    page = staff_client.get(f"/admin/calculator/policyedition/{edition.pk}/change/")
    assert page.status_code == 200
    assert "硕士研究生" in page.content.decode()
    assert staff_client.get(f"/admin/calculator/averagewage/{row.pk}/change/").status_code == 200


def test_admin_saves_an_edition_with_its_inlines(reference, staff_client) -> None:
    edition = PolicyEdition.objects.get()
    url = f"/admin/calculator/policyedition/{edition.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    master = next(k for k, v in data.items() if k.startswith("education_points-") and v == "master")
    data[master.replace("-code", "-points")] = 105
    data["threshold"] = 121
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    built = policy.get_policy(RULES_DAY)
    assert (built.education_points["master"], built.threshold) == (105, 121)


def test_admin_refuses_a_duplicate_code_in_an_inline(reference, staff_client) -> None:
    edition = PolicyEdition.objects.get()
    url = f"/admin/calculator/policyedition/{edition.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    doctor = next(k for k, v in data.items() if k.startswith("education_points-") and v == "doctor")
    data[doctor] = "master"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert EducationPoints.objects.filter(code="doctor").exists()


def test_admin_saves_an_average_wage_and_the_policy_follows(reference, staff_client) -> None:
    row = AverageWage.objects.get(start=date(2025, 7, 1))
    url = f"/admin/calculator/averagewage/{row.pk}/change/"
    data = admin_form_data(staff_client.get(url)) | {"average": 12500}
    assert staff_client.post(url, data).status_code == 302
    assert policy.get_policy(RULES_DAY).averages[-1].average == 12500


def test_admin_adds_next_years_average_wage(reference, staff_client) -> None:
    data = {
        "start": "2026-07-01",
        "end": "2027-06-30",
        "average": 12600,
        "ceiling": 37800,
        "floor": 7560,
        "confidence": "测试",
        "source": "",
    }
    assert staff_client.post("/admin/calculator/averagewage/add/", data).status_code == 302
    latest = policy.get_policy(date(2027, 1, 1)).averages[-1]
    assert (latest.start, latest.end, latest.average) == (month_index(2026, 7), month_index(2027, 6), 12600)


def test_admin_shows_the_overlap_message(reference, staff_client) -> None:
    data = {"start": "2026-01-01", "end": "2026-12-01", "average": 13000, "ceiling": 39000, "floor": 7800}
    response = staff_client.post("/admin/calculator/averagewage/add/", data)
    assert response.status_code == 200
    assert "与已有期间 2025-07 至 2026-06 重叠" in response.content.decode()
    assert AverageWage.objects.count() == 9


def test_admin_copies_an_edition_as_a_draft_that_applies_nowhere(reference, staff_client) -> None:
    edition = PolicyEdition.objects.get()
    data = {"action": "copy_editions", "_selected_action": [edition.pk]}
    assert staff_client.post("/admin/calculator/policyedition/", data).status_code == 302
    draft = PolicyEdition.objects.get(effective_from=date(9999, 12, 31))
    assert draft.name == "《上海市居住证积分管理办法》（草稿）"
    assert draft.education_points.count() == 6
    assert policy.get_policy(date(9999, 12, 30)).effective_from == date(2018, 1, 1)
    assert policy.get_policy(date(9999, 12, 31)) == dataclasses.replace(
        policy.get_policy(RULES_DAY), edition=draft.name, effective_from=draft.effective_from, written_until=None
    )  # a new text states its own validity
    staff_client.post("/admin/calculator/policyedition/", data)  # a second draft is refused
    assert PolicyEdition.objects.count() == 2
