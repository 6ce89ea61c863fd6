"""The input vocabulary: the form's fields and what they say, the canonical query, Profile changes as
parameters and links, the inputs in words. Without the database: the policy is built by hand."""

import dataclasses
from urllib.parse import parse_qsl

import pytest
from django.http import QueryDict

from calculator import vocabulary
from calculator.forms import ProfileForm
from calculator.scoring import CertificateClaim, SIPeriod, YearRate, month_index
from tests.factories import TYPICAL, rules_policy

POLICY = rules_policy()


def test_the_vocabulary_names_every_field_of_the_form() -> None:
    assert set(vocabulary.FIELDS) == set(ProfileForm.base_fields)


def test_a_valid_query_becomes_a_profile() -> None:
    form = ProfileForm(QueryDict(TYPICAL), policy=POLICY)
    assert form.is_valid(), form.errors
    profile = form.to_profile()
    assert (profile.age, profile.education, profile.spouse_years) == (35, "bachelor_degree", 3)
    assert profile.si_periods == (SIPeriod(month_index(2021, 11), None, 15000),)


def test_labels_help_and_limits_come_from_the_policy() -> None:
    changed = dataclasses.replace(
        rules_policy(), investment_years=5, spouse=YearRate(points_per_year=6, cap=48), age=dataclasses.replace(
            POLICY.age, min_age=18
        )
    )  # fmt: skip
    form = ProfileForm(QueryDict("age=17"), policy=changed)
    assert form.fields["invest_tax"].label == "个人投资企业近 5 年年均纳税（元）"
    assert form.fields["spouse_years"].help_text == "每满 1 年 6 分，最高 48 分。"
    assert 'min="18"' in str(form["age"])
    assert not form.is_valid() and form.errors["age"][0] == "年龄须满 18 周岁：请填写 18 到 99 之间的整数。"
    assert ProfileForm(QueryDict("age=17"), policy=POLICY).is_valid()


def test_fields_render_with_their_help_and_error_ids() -> None:
    html = str(ProfileForm(QueryDict("age=abc"), policy=POLICY)["age"])
    assert 'aria-describedby="age-help err-age"' in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("as_of=2026-11-15&age= 30 &q=jjs&add_row=1", "age=30&as_of=2026-11-15"),
        ("si_base=9000&si_from=2020-01&si_to=&age=30", "age=30&si_from=2020-01&si_to=&si_base=9000"),
        ("age=30&si_from=2020-01&si_base=&si_max=0", "age=30&si_from=2020-01&si_to=&si_base=max"),
        ("age=30&si_from=&si_to=&si_base=", "age=30"),
    ],
)
def test_canonical_query(query: str, canonical: str) -> None:
    assert vocabulary.canonical(QueryDict(query)) == canonical


def test_profile_changes_become_parameters() -> None:
    periods = (SIPeriod(month_index(2020, 1), month_index(2026, 11), 9000), SIPeriod(month_index(2026, 12), None, None))
    claim = CertificateClaim("（模拟）", "senior", job_match=True, in_shanghai=True)
    assert vocabulary.profile_params({"education": "master", "shortage_major": True}) == {
        "education": ["master"],
        "shortage_major": ["on"],
    }
    assert vocabulary.profile_params({"si_periods": periods, "certificate": claim}) == {
        "si_from": ["2020-01", "2026-12"],
        "si_to": ["2026-11", ""],
        "si_base": ["9000", "max"],
        "cert_job_match": ["on"],
        "cert_in_shanghai": ["on"],
        "cert_registered": [],
    }


def test_a_link_replaces_only_what_changes() -> None:
    base = "age=30&si_from=2020-01&si_to=&si_base=9000&si_max=0&cert_registered=on&spouse_years=2"
    params = {"si_from": ["2020-01", "2026-12"], "si_to": ["2026-11", ""], "si_base": ["9000", "12434"]}
    pairs = parse_qsl(vocabulary.with_params(base, params | {"cert_registered": []}), keep_blank_values=True)
    assert pairs == [
        ("age", "30"),
        ("spouse_years", "2"),
        ("si_from", "2020-01"),
        ("si_to", "2026-11"),
        ("si_base", "9000"),
        ("si_from", "2026-12"),
        ("si_to", ""),
        ("si_base", "12434"),
    ]


def test_the_inputs_in_words() -> None:
    query = TYPICAL + "&si_from=2019-01&si_to=2019-12&si_base=max&award=national"
    words = dict(vocabulary.summary(query, None))
    assert words["年龄"] == "35 周岁" and words["最高学历"] == "大学本科 + 学士学位"
    assert words["社保缴费"] == "2021-11 至今：15000 元；2019-01 至 2019-12：封顶"
    assert words["表彰奖励"] == "省部级及以上表彰奖励" and words["与本市户籍配偶结婚"] == "3 年"


@pytest.mark.parametrize(
    "query",
    [
        TYPICAL + "&si_from=2019-01&si_to=2019-12&si_base=max&award=national",
        "age=+35+&age=40&education=master&spouse_years=&spouse_years=4&talent=none&invest_tax=0&as_of=2026-11-15"
        "&si_from=&si_to=&si_base=&si_from=2018-03&si_to=2020-02&si_base=+9000+&si_max=1&foreign_degree=on"
        "&permit_expires=+2027-05+&unknown=1&fresh_graduate=true",
        "birth=1990-05&education=none&crime=1&detention=0&si_from=2020-01&si_to=&si_base=max",
    ],
)
def test_the_inputs_in_words_read_alike_from_the_query_and_from_its_canonical_form(query: str) -> None:
    """The page gives the summary the query as typed and the SI rows its form read; a shared link gives it
    the canonical query it stored. Both say the same."""
    form = ProfileForm(QueryDict(query), policy=POLICY)
    form.is_valid()
    typed = vocabulary.summary(QueryDict(query), None, form.period_rows)
    assert typed == vocabulary.summary(vocabulary.canonical(QueryDict(query)), None)
    assert typed == vocabulary.summary(query, None)


def test_a_birth_month_before_1980_is_read_and_an_si_month_is_not() -> None:
    form = ProfileForm(QueryDict("birth=1968-03&education=bachelor&as_of=2026-11-15"), policy=POLICY)
    assert form.is_valid(), form.errors
    assert form.to_profile().birth == month_index(1968, 3) and form.to_profile().age == 58
    assert not ProfileForm(QueryDict("birth=1899-12&as_of=2026-11-15"), policy=POLICY).is_valid()
    old_si = ProfileForm(QueryDict("age=58&si_from=1979-12&si_to=&si_base=9000&as_of=2026-11-15"), policy=POLICY)
    assert not old_si.is_valid()


def test_the_canonical_query_writes_birth_once() -> None:
    query = vocabulary.canonical(QueryDict("birth=1968-03&age=&education=master&birth="))
    assert [key for key, _ in parse_qsl(query)].count("birth") == 1


@pytest.mark.parametrize(
    "query",
    [
        TYPICAL,
        "",
        "age=&education=&award=&talent=&as_of=&birth=&permit_expires=",
        "age=abc&education=phd&invest_tax=-5&spouse_years=999&award=x&as_of=2026-13-01&birth=1990-13",
        "age=30&education=master&shortage_major=on&fresh_graduate=1&veto_serious_crime=true&crime=2"
        "&as_of=2027-03-01&permit_expires=2027-05&foreign_degree=on&si_from=2020-01&si_to=2020-12&si_base=abc",
        "birth=1968-03&age=&education=doctor&invest_hires=12&lingang_years=3&remote_years=0&si_max=0"
        "&si_from=2019-07&si_to=&si_base=",
    ],
)
def test_the_forms_field_loop_cleans_as_djangos_own(query: str) -> None:
    """ProfileForm's own loop over its fields (no BoundField, empty values only converted) gives the same
    cleaned data and the same messages as Django's."""
    from django import forms

    ours = ProfileForm(QueryDict(query), policy=POLICY)
    django = ProfileForm(QueryDict(query), policy=POLICY)
    django._clean_fields = lambda: forms.BaseForm._clean_fields(django)  # type: ignore[method-assign]
    assert ours.is_valid() == django.is_valid()
    assert ours.cleaned_data == django.cleaned_data
    assert ours.errors == django.errors


def test_the_query_string_is_urlencodes() -> None:
    """vocabulary.query_string quotes each name and value once per process, and writes what urllib's
    urlencode writes, twice in a row (the second time from its memory)."""
    from urllib.parse import urlencode

    pairs = [("age", "35"), ("si_from", "2021-11"), ("si_to", ""), ("q", "经济师 a&b=c+d%e/f?"), ("x y", "~._-")]
    assert vocabulary.query_string(pairs) == urlencode(pairs)
    assert vocabulary.query_string(pairs) == urlencode(pairs)
    assert vocabulary.query_string([]) == ""


@pytest.mark.parametrize(
    "text", ["3", "3.0", "3.00 ", " 3 ", "-4", "3.5", "3,000", "abc", "", "٣", "1e3", "0.0", "12.000\n"]
)
def test_the_forms_integers_convert_as_djangos(text: str) -> None:
    """calculator.forms.Integer only compiles IntegerField's pattern up front: the same value or the same
    refusal for every text."""
    from django import forms

    from calculator.forms import Integer

    def converted(field: forms.IntegerField) -> object:
        try:
            return field.to_python(text)
        except forms.ValidationError as error:
            return ("invalid", error.code)

    assert converted(Integer()) == converted(forms.IntegerField())
    assert Integer.re_decimal.pattern == forms.IntegerField.re_decimal.pattern
