"""Each vocabulary's labels exist once (calculator/labels.py): every place that names a code agrees."""

import json
from datetime import date

import pytest
from django.conf import settings

from calculator import labels
from calculator import models as calculator_models
from calculator.forms import ProfileForm
from calculator.scoring import CertificateClaim, Profile, score
from catalogue import models as catalogue_models
from tests.factories import rules_policy

POLICY = rules_policy()


@pytest.mark.parametrize(
    ("choices", "table"),
    [
        (calculator_models.Education, labels.EDUCATION),
        (calculator_models.Tier, labels.TIER),
        (catalogue_models.Tier, labels.TIER),
        (calculator_models.YearRateCode, labels.YEAR_RATE),
        (calculator_models.DeductionCode, labels.DEDUCTION),
        (calculator_models.Award, {k: v for k, v in labels.AWARD.items() if k != "none"}),
    ],
    ids=["education", "tier", "catalogue tier", "year rate", "deduction", "award"],
)
def test_model_choices_are_the_labels(choices, table) -> None:
    assert dict(choices.choices) == dict(table)


@pytest.mark.parametrize("field", ["education", "award", "talent"])
def test_form_choices_are_the_codes_in_the_labels_order(field: str) -> None:
    table = getattr(labels, field.upper())
    for form in (ProfileForm(), ProfileForm(policy=POLICY)):
        assert [code for code, _ in form.fields[field].choices] == list(table)
        assert all(label.startswith(table[code]) for code, label in form.fields[field].choices)


def test_scoring_explains_with_the_labels() -> None:
    claim = CertificateClaim("经济师", "intermediate", job_match=True, in_shanghai=True)
    profile = Profile(age=30, education="master", certificate=claim, award="national", talent="entrepreneur")
    result = score(profile, POLICY, date(2026, 11, 15))
    assert labels.EDUCATION["master"] in result.line("education").explanation
    assert labels.TIER["intermediate"] in result.line("certificate").explanation
    assert labels.AWARD["national"] in result.line("award").explanation
    assert labels.TALENT["entrepreneur"] in result.line("talent").explanation
    assert [result.line(code).label for code in labels.DEDUCTION] == list(labels.DEDUCTION.values())


def test_every_result_line_is_named_by_its_indicator() -> None:
    """One name per indicator: the result's lines, in the order of the 办法, then the 减分 records."""
    result = score(Profile(age=30, education="master"), POLICY, date(2026, 11, 15))
    named = {**labels.INDICATOR, **labels.DEDUCTION}
    assert [line.code for line in result.lines] == list(named)
    assert {line.code: line.label for line in result.lines} == named


def test_the_pages_and_the_path_to_120_say_the_indicators_as_the_lines_do(client, reference_rows) -> None:
    """The rules page, the form, the shared summary and the path to 120's titles read the same labels."""
    from calculator.actions.candidates import EDUCATION_TITLES, SHORTAGE, TIER_TITLES
    from calculator.vocabulary import summary

    rules = client.get("/rules/").content.decode()
    for code in ("age", "education", "certificate", "si_years", "si_base", "investment", "talent"):
        assert labels.INDICATOR[code] in rules, code
    assert f"{labels.YEAR_RATE['spouse']}（按结婚年限）" in rules
    fields = ProfileForm().fields
    assert fields["shortage_major"].label == labels.INDICATOR["shortage_major"]
    assert fields["talent"].label == labels.INDICATOR["talent"]
    assert labels.INDICATOR["fresh_graduate"] in dict(summary("fresh_graduate=on", None))
    assert labels.INDICATOR["shortage_major"] in SHORTAGE.title
    assert EDUCATION_TITLES["master"].endswith(labels.EDUCATION["master"])
    assert TIER_TITLES["senior"].endswith(labels.TIER["senior"])
    assert labels.YEAR_RATE["spouse"] == labels.INDICATOR["spouse"]


def test_the_fixtures_use_only_known_codes() -> None:
    rows = json.loads((settings.FIXTURE_DIRS[0] / "policy.json").read_text(encoding="utf-8"))
    tables = {
        "calculator.educationpoints": labels.EDUCATION,
        "calculator.tierpoints": labels.TIER,
        "calculator.awardpoints": labels.AWARD,
        "calculator.deductionrule": labels.DEDUCTION,
        "calculator.yearrate": labels.YEAR_RATE,
    }
    for row in rows:
        if row["model"] in tables:
            assert row["fields"]["code"] in tables[row["model"]], row


def test_the_pure_modules_import_no_django() -> None:
    """scoring, labels, periods, the vocabulary, the path to 120 and the checklist run without Django."""
    import subprocess
    import sys

    code = (
        "import sys; import calculator.scoring, calculator.labels, calculator.periods, calculator.vocabulary, "
        "calculator.projection, calculator.actions, calculator.chart, calculator.checklist; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert done.stdout.strip() == "[]", done.stderr
