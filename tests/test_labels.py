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
