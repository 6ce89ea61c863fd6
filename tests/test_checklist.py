"""The materials checklist and the pre-flight checks: a table of profiles against the exact items and
checks MATERIALS.md gives them, with the texts read from fixtures/materials.json (no database)."""

import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from calculator import checklist, labels, projection
from calculator.checklist import Extras, Timing
from calculator.scoring import CertificateClaim, Profile, SIPeriod, month_index, month_of, score
from tests.factories import rules_policy

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "materials.json"
AS_OF = date(2026, 11, 15)
NOW = month_of(AS_OF)

GENERAL = {
    "general_intro_letter",
    "general_application_form",
    "general_permit",
    "general_id_card",
    "general_hukou",
    "general_contract",
    "general_income_tax",
    "general_si_record",
}
COLLEGE = {"education_diploma", "education_chsi_report"}
DEGREE = {"education_degree", "education_degree_report"}
CERTIFICATE = {"certificate_certificate", "certificate_post"}
ALWAYS = {"back_pay", "employer_registered"}


def fixture_texts() -> checklist.Texts:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))

    def of(model: str) -> list[dict]:
        return sorted((r["fields"] for r in rows if r["model"] == model), key=lambda f: f["position"])

    return checklist.Texts(
        materials=tuple(
            checklist.MaterialText(
                f["key"],
                f["group"],
                f["item"],
                f["form"],
                f["provider"],
                f["provider_text"],
                f["condition"],
                f["strength"],
            )  # fmt: skip
            for f in of("calculator.material")
        ),
        checks=tuple(
            checklist.CheckText(f["code"], f["message"], f["fallback"], f["strength"])
            for f in of("calculator.preflightcheck")
        ),
        steps=tuple(checklist.StepText(f["key"], f["text"], f["strength"]) for f in of("calculator.filingstep")),
    )


TEXTS = fixture_texts()
POLICY = rules_policy()
HIGH_SI = (SIPeriod(month_index(2018, 1), None, 20000),)  # > 1x the average every month
LOW_SI = (SIPeriod(month_index(2018, 1), None, 8000),)  # < 1x: the title's base test never holds


def claim(tier: str = "intermediate", **conditions) -> CertificateClaim:
    values = {"job_match": True, "in_shanghai": True} | conditions
    return CertificateClaim(name="（测试）证书", tier=tier, **values)


NONE = Extras()


def run(profile: Profile, extras: Extras = NONE, timing: Timing | None = None) -> checklist.Checklist:
    result = score(profile, POLICY, AS_OF)
    timing = timing or Timing(NOW, reached=NOW, base_test=NOW)
    return checklist.evaluate(profile, result, extras, TEXTS, timing, POLICY)


def keys(found: checklist.Checklist) -> set[str]:
    return {item.key for item in found.items}


def codes(found: checklist.Checklist) -> set[str]:
    return {check.code for check in found.checks}


BASE = Profile(age=30, si_periods=HIGH_SI)

TABLE = [
    # (what, profile, extras, the exact items beyond 通用, the exact checks beyond the two always shown)
    ("大专以下，无证书：只有通用材料", replace(BASE, education="none"), Extras(), set(), set()),
    (
        "大专，无证书：毕业证和学信网报告，无学位、无证书",
        replace(BASE, education="junior_college"),
        Extras(),
        COLLEGE,
        set(),
    ),
    ("本科无学位：无学位材料", replace(BASE, education="bachelor"), Extras(), COLLEGE, set()),
    (
        "本科并学士学位：学位证与学位网报告",
        replace(BASE, education="bachelor_degree"),
        Extras(),
        COLLEGE | DEGREE,
        set(),
    ),
    (
        "硕士 + 注册类证书 + 结婚 3 年：学位报告、注册证书、结婚证",
        replace(
            BASE,
            education="master",
            certificate=claim(needs_registration=True, registered=True),
            spouse_years=3,
        ),
        Extras(),
        COLLEGE | DEGREE | CERTIFICATE | {"certificate_registration", "spouse_marriage"},
        set(),
    ),
    (
        "注册类证书未注册：注册证书材料，并提示先注册",
        replace(BASE, education="master", certificate=claim(needs_registration=True, registered=False)),
        Extras(),
        COLLEGE | DEGREE | CERTIFICATE | {"certificate_registration"},
        {"registration"},
    ),
    (
        "证书计入（高于学历）：学历不计入，无学历材料",
        replace(BASE, education="bachelor_degree", certificate=claim("senior")),
        Extras(),
        CERTIFICATE,
        set(),
    ),
    (
        "外省市取得的证书：复评或认定材料",
        replace(BASE, certificate=claim("skill_3", in_shanghai=False)),
        Extras(),
        CERTIFICATE | {"certificate_recognition"},
        set(),
    ),
    (
        "国（境）外学位：认证书，并提示先认证",
        replace(BASE, education="master"),
        Extras(foreign_degree=True),
        COLLEGE | DEGREE | {"education_foreign_certification"},
        {"foreign_degree"},
    ),
    (
        "应届、投资、公共服务满 5 年、表彰、创业人才：各自一组",
        replace(
            BASE,
            fresh_graduate=True,
            invest_tax=50_000,
            public_service_years=5,
            award="municipal_special",
            talent="entrepreneur",
        ),
        Extras(),
        {"fresh_graduate_records", "investment_records", "key_area_proof", "award_certificate", "talent_recognition"},
        set(),
    ),
    ("公共服务不满 5 年（不计分）：无区域材料", replace(BASE, public_service_years=4), Extras(), set(), set()),
    ("临港满 3 年（计分）：区域材料", replace(BASE, lingang_years=3), Extras(), {"key_area_proof"}, set()),
    ("聘用本市户籍人数：投资材料", replace(BASE, invest_hires=3), Extras(), {"investment_records"}, set()),
    (
        "代缴、个税不一致、档案在外：三条检查，无额外材料",
        BASE,
        Extras(agent_paid=True, tax_mismatch=True, archive_outside=True),
        set(),
        {"agent_paid", "tax_mismatch", "archive_outside"},
    ),
]


@pytest.mark.parametrize(("what", "profile", "extras", "items", "checks"), TABLE, ids=[row[0] for row in TABLE])
def test_each_profile_gets_exactly_its_items_and_checks(what, profile, extras, items, checks) -> None:
    found = run(profile, extras)
    assert keys(found) == GENERAL | items
    assert codes(found) == ALWAYS | checks


def test_groups_come_in_the_order_of_the_measures_general_first() -> None:
    profile = replace(BASE, education="master", certificate=claim(), spouse_years=2, award="national")
    groups = [item.group for item in run(profile).items]
    assert groups == sorted(groups, key=list(labels.MATERIAL_GROUP).index)
    assert groups[0] == "general"
    assert dict.fromkeys(groups).keys() == {"general", "education", "certificate", "spouse", "award"}


def test_a_staff_edit_of_the_texts_is_listed_at_once() -> None:
    """evaluate() makes the Items once per Texts: a new Texts (the cache builds one after any save) is
    listed as it is, not as the one before it was."""
    profile = replace(BASE, spouse_years=2)
    before = run(profile)
    renamed = tuple(
        replace(m, item="（已改）" + m.item, group="general") if m.condition == "spouse" else m for m in TEXTS.materials
    )
    result = score(profile, POLICY, AS_OF)
    timing = Timing(NOW, reached=NOW, base_test=NOW)
    after = checklist.evaluate(profile, result, NONE, replace(TEXTS, materials=renamed), timing, POLICY)
    spouse_before = [i for i in before.items if i.key.startswith("spouse")]
    spouse_after = [i for i in after.items if i.key.startswith("spouse")]
    assert spouse_before and all(not i.item.startswith("（已改）") for i in spouse_before)
    assert [i.item for i in spouse_after] == ["（已改）" + i.item for i in spouse_before]
    assert {i.group for i in spouse_after} == {"general"}  # and placed in its new group's order
    assert [i.group for i in after.items] == sorted(
        (i.group for i in after.items), key=list(labels.MATERIAL_GROUP).index
    )
    assert run(profile) == before  # the fixture's texts again: listed as they were


def test_a_material_states_the_policys_years_not_a_typed_number() -> None:
    """企业近 N 年纳税证明: N is the policy's investment_years (MATERIALS.md says 3, the 2018 办法's value)."""
    profile = replace(BASE, invest_hires=3)
    result = score(profile, POLICY, AS_OF)
    timing = Timing(NOW, reached=NOW, base_test=NOW)

    def investment(policy) -> str:
        found = checklist.evaluate(profile, result, NONE, TEXTS, timing, policy)
        return next(i.item for i in found.items if i.key == "investment_records")

    assert POLICY.investment_years == 3
    assert "企业近 3 年纳税证明" in investment(POLICY)
    assert "企业近 5 年纳税证明" in investment(replace(POLICY, investment_years=5))
    assert "企业近 3 年纳税证明" in investment(POLICY)  # the items kept for 5 years are not reused
    assert "{" not in investment(POLICY)


def test_a_material_saved_with_an_unknown_placeholder_is_shown_as_written() -> None:
    odd = tuple(
        replace(m, item=m.item + "（{unknown}）") if m.key == "investment_records" else m for m in TEXTS.materials
    )
    profile = replace(BASE, invest_hires=3)
    result = score(profile, POLICY, AS_OF)
    found = checklist.evaluate(profile, result, NONE, replace(TEXTS, materials=odd), Timing(NOW), POLICY)
    item = next(i.item for i in found.items if i.key == "investment_records")
    assert item.endswith("（{unknown}）") and "{investment_years}" in item


def test_weak_items_are_unconfirmed_and_the_api_shape_says_so() -> None:
    found = run(replace(BASE, certificate=claim()), Extras(foreign_degree=True))
    shape = found.as_dict()
    post = next(m for m in shape["materials"] if m["item"].startswith("岗位证明"))
    assert post == {
        "key": "certificate_post",
        "group": "职称/技能",
        "item": "岗位证明：聘任文件或单位出具的在岗证明，与证书专业/工种相符",
        "form": "原件",
        "provider": "employer",
        "provider_label": "单位",
        "confirmed": False,
    }
    contract = next(m for m in shape["materials"] if m["item"].startswith("劳动"))
    assert contract["provider"] == "applicant"
    assert contract["provider_label"] == "本人/单位"
    assert contract["confirmed"] is True
    assert {c["code"]: c["confirmed"] for c in shape["checks"]}["foreign_degree"] is False
    assert shape["steps"][0].startswith("只有用人单位")


@pytest.mark.parametrize(
    ("expires", "reached", "flagged"),
    [
        (NOW + 30, NOW + 40, True),  # runs out before the earliest month at 120
        (NOW + 40, NOW + 40, False),  # the same month: not before it
        (NOW + 2, NOW, True),  # passes now, but runs out within 3 months
        (NOW + 3, NOW, True),
        (NOW + 4, NOW, False),
        (NOW - 1, NOW, True),  # already expired
        (NOW + 20, None, False),  # not within the projection: only the 3 months count
        (NOW + 1, None, True),
    ],
)
def test_permit_expiry_flagged_before_reaching_120_or_within_three_months(expires, reached, flagged) -> None:
    found = run(BASE, Extras(permit_expires=expires), Timing(NOW, reached=reached))
    assert ("permit_expiry" in codes(found)) is flagged
    assert keys(found) == GENERAL  # the permit itself is already among 通用


def test_permit_expiry_message_names_the_month() -> None:
    found = run(BASE, Extras(permit_expires=month_index(2027, 1)), Timing(NOW, reached=NOW))
    message = next(c.message for c in found.checks if c.code == "permit_expiry")
    assert message.startswith("你的居住证 2027年1月 到期")


def test_base_test_names_the_month_it_would_pass_from_the_projection() -> None:
    # 6 months of 1x needed in the last 12: a base of 20000 from 2026-09 passes with the 6th month, 2027-02.
    profile = Profile(
        age=30,
        education="bachelor",
        certificate=claim("intermediate"),
        si_periods=(
            SIPeriod(month_index(2020, 1), month_index(2026, 8), 5000),
            SIPeriod(month_index(2026, 9), None, 20000),
        ),
    )
    month = projection.base_test_month(profile, POLICY, AS_OF)
    assert month == month_index(2027, 2)
    found = run(profile, timing=Timing(NOW, base_test=month))
    assert "base_test" in codes(found)
    message = next(c.message for c in found.checks if c.code == "base_test")
    assert "最近 12 个月中有 6 个月" in message
    assert "不低于 1 倍社会平均工资" in message
    assert message.endswith("预计 2027年2月 起满足。")


def test_base_test_month_from_todays_score_is_the_projections() -> None:
    """Given today's result, a base test it already meets is this month without projecting; every other
    history is projected. Over random histories around the test's line, both give the same month."""
    rng = random.Random(20261203)
    held = projected = 0
    for _ in range(400):
        start = month_index(rng.randint(2016, 2026), rng.randint(1, 12))
        periods, month = [], start
        for last in range(rng.randint(1, 3), 0, -1):
            end = None if last == 1 else month + rng.randint(0, 30)
            periods.append(SIPeriod(month, end, rng.choice((None, rng.randint(4, 30) * 1000))))
            month = (end or month) + rng.randint(1, 6)
        as_of = date(rng.randint(2025, 2027), rng.randint(1, 12), 15)
        profile = Profile(age=30, education="bachelor", certificate=claim("intermediate"), si_periods=tuple(periods))
        today = score(profile, POLICY, as_of)
        expected = projection.base_test_month(profile, POLICY, as_of)
        assert projection.base_test_month(profile, POLICY, as_of, scored=today) == expected
        held += expected == month_of(as_of)
        projected += expected != month_of(as_of)
    assert held > 50 and projected > 50  # both ways were taken


def test_base_test_never_passing_uses_the_fallback() -> None:
    profile = replace(BASE, si_periods=LOW_SI, certificate=claim("senior"))
    assert projection.base_test_month(profile, POLICY, AS_OF) is None
    found = run(profile, timing=Timing(NOW, base_test=None))
    message = next(c.message for c in found.checks if c.code == "base_test")
    assert "按目前基数继续缴纳也不会满足" in message
    assert "{" not in message


def test_base_test_passing_now_or_not_needed_is_not_flagged() -> None:
    passing = replace(BASE, certificate=claim("senior"))
    assert projection.base_test_month(passing, POLICY, AS_OF) == NOW
    assert "base_test" not in codes(run(passing, timing=Timing(NOW, base_test=NOW)))
    skill = replace(BASE, si_periods=LOW_SI, certificate=claim("skill_3"))
    assert projection.base_test_month(skill, POLICY, AS_OF) is None
    assert "base_test" not in codes(run(skill, timing=Timing(NOW, base_test=None)))


def test_a_staff_text_with_a_broken_placeholder_falls_back_instead_of_failing() -> None:
    check = checklist.CheckText("base_test", "预计 {month 起满足", "按目前基数继续缴纳也不会满足。", "rule")
    assert checklist.render(check, {"month": "2027年2月"}) == "按目前基数继续缴纳也不会满足。"
    unknown = checklist.CheckText("base_test", "预计 {when} 起", "", "rule")
    assert checklist.render(unknown, {"month": "2027年2月"}) == "预计 {when} 起"


def test_an_unknown_condition_never_applies() -> None:
    result = score(BASE, POLICY, AS_OF)
    assert checklist.applies("always", BASE, result, Extras()) is True
    assert checklist.applies("moon_phase", BASE, result, Extras()) is False


def test_needs_timing_only_for_a_permit_or_a_title_with_the_base_test() -> None:
    assert checklist.needs_timing(BASE, Extras(), POLICY) is False
    assert checklist.needs_timing(BASE, Extras(permit_expires=NOW + 5), POLICY) is True
    assert checklist.needs_timing(replace(BASE, certificate=claim("intermediate")), Extras(), POLICY) is True
    assert checklist.needs_timing(replace(BASE, certificate=claim("skill_4")), Extras(), POLICY) is False


def test_every_condition_and_check_code_of_the_fixture_is_known() -> None:
    assert {m.condition for m in TEXTS.materials} <= set(labels.CONDITION)
    assert {c.code for c in TEXTS.checks} == set(labels.CHECK)
    assert {m.group for m in TEXTS.materials} == set(labels.MATERIAL_GROUP)
    assert len(TEXTS.materials) == 23 and len(TEXTS.steps) == 4
    for check in TEXTS.checks:
        allowed = checklist.CHECK_PLACEHOLDERS.get(check.code, frozenset())
        assert checklist.placeholders(check.message) <= allowed
        assert checklist.placeholders(check.fallback) <= allowed - {"month", "expires", "earliest"}


def test_the_vocabulary_knows_the_five_answers() -> None:
    """They survive the canonical query and appear in words, under the labels' own names."""
    from urllib.parse import parse_qs

    from calculator import vocabulary

    query = "age=30&permit_expires=2027-01&foreign_degree=on&agent_paid=1&tax_mismatch=&archive_outside=on"
    assert vocabulary.canonical(parse_qs(query, keep_blank_values=True)) == (
        "age=30&foreign_degree=on&agent_paid=1&archive_outside=on&permit_expires=2027-01"
    )
    rows = dict(vocabulary.summary(query, None))
    assert rows[labels.EXTRAS["permit_expires"]] == "2027-01"
    assert rows[labels.EXTRAS["foreign_degree"]] == rows[labels.EXTRAS["agent_paid"]] == "是"
    assert labels.EXTRAS["tax_mismatch"] not in rows
