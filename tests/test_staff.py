"""The staff groups: 规则维护 does the yearly wage and edition update without a superuser; history
pages say what changed from what to what, and why."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, User

from calculator.models import AverageWage, PolicyEdition

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
