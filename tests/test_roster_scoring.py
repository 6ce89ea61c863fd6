"""A roster row is scored by the simulator's own code: its total is /api/score's, its earliest month and
best single change are advise()'s."""

from datetime import date

import pytest
from django.http import QueryDict

from calculator.actions import advise, outlook
from calculator.forms import ProfileForm
from calculator.roster.cells import row_input
from calculator.roster.scoring import certificates_named, score_row
from tests.factories import roster_rows, rules_policy

AS_OF = date(2026, 11, 15)


def profiles(count: int) -> list:
    out = []
    for row in roster_rows(count, AS_OF, seed=7):
        form = ProfileForm(row_input(row, AS_OF, lambda _: []).data)
        if form.is_valid():
            out.append(form.to_profile())
    return out


def test_outlook_is_advise_without_the_pairs() -> None:
    """The lean path agrees with the full one: the same earliest month and, where advise shows a
    single change, the same first one at the same month."""
    policy = rules_policy()
    compared = 0
    for profile in profiles(150):
        lean, full = outlook(profile, policy, AS_OF), advise(profile, policy, AS_OF)
        assert lean.now.total == full.projection.now.total
        assert lean.reached == full.projection.reached
        singles = [action for action in full.actions if len(action.kinds) == 1] if full.reaching else []
        if singles:
            compared += 1
            assert lean.best is not None
            assert (lean.best.title, lean.best.month_reached) == (singles[0].title, singles[0].month_reached)
        elif full.reaching is False or not full.actions:
            assert lean.best is None
    assert compared >= 10


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_rows")
def test_a_row_scores_as_the_api_does_for_its_link(client) -> None:
    for row in roster_rows(40, AS_OF, certificates=("经济师", "工程师"), seed=3):
        outcome = score_row(row_input(row, AS_OF, certificates_named))
        api = client.get("/api/score?" + outcome.query)
        if outcome.errors:
            assert api.status_code == 400 or any(name in ("certificate", "si") for name, _ in outcome.errors)
            continue
        assert api.status_code == 200
        assert api.json()["total"] == outcome.total
        assert api.json()["passed"] == outcome.passed


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_rows")
def test_a_certificate_name_is_looked_up_in_the_catalogue() -> None:
    [entry] = certificates_named("经济师")
    assert entry.name == "经济师"
    row = row_input({"age": "35", "certificate": "经济师", "cert_job_match": "是"}, AS_OF, certificates_named)
    assert QueryDict(score_row(row).query)["certificate"] == str(entry.id)
