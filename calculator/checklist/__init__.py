"""What to prepare and what could sink the application: the materials checklist and the pre-flight checks.

Pure, like the scoring package: no Django here. The texts come from the database (staff edit them; see
calculator/models/materials.py) as frozen `Texts`; this package decides only *when* each applies, from
the applicant's profile, the scored result, the inputs that never change the score (`Extras`) and the
two months of the projection (`Timing`). A new kind of condition is a code change here.

`inputs` holds what it reads, `output` what it gives, `materials` when an item applies, `checks` when a
check applies and `messages` what a check's message says; `evaluate` (here) puts them together.
"""

from __future__ import annotations

from calculator import labels
from calculator.checklist.checks import check_applies, needs_timing
from calculator.checklist.inputs import UNCONFIRMED, CheckText, Extras, MaterialText, StepText, Texts, Timing
from calculator.checklist.materials import applies
from calculator.checklist.messages import (
    CHECK_PLACEHOLDERS,
    MATERIAL_PLACEHOLDERS,
    fill,
    material_values,
    message_values,
    placeholders,
    render,
)
from calculator.checklist.output import Check, Checklist, Item
from calculator.scoring import Policy, Profile, Result

__all__ = [
    "CHECK_PLACEHOLDERS",
    "MATERIAL_PLACEHOLDERS",
    "Check",
    "CheckText",
    "Checklist",
    "Extras",
    "Item",
    "MaterialText",
    "StepText",
    "Texts",
    "Timing",
    "applies",
    "evaluate",
    "needs_timing",
    "placeholders",
    "render",
]


def evaluate(
    profile: Profile, result: Result, extras: Extras, texts: Texts, timing: Timing, policy: Policy
) -> Checklist:
    """The materials this applicant gathers (grouped: 通用, then each indicator in the order of the
    办法) and the checks that apply to them, each with its message. Each condition is decided once, however
    many materials name it."""
    verdicts: dict[str, bool] = {}
    items = []
    for condition, item in listed(texts, material_values(policy)):
        verdict = verdicts.get(condition)
        if verdict is None:
            verdict = verdicts[condition] = applies(condition, profile, result, extras)
        if verdict:
            items.append(item)
    checks = tuple(
        Check(c.code, render(c, message_values(c.code, extras, timing, policy)), c.strength != UNCONFIRMED)
        for c in texts.checks
        if check_applies(c.code, profile, extras, timing, policy)
    )
    return Checklist(tuple(items), checks, texts.steps)


_listed: tuple[Texts | None, tuple[tuple[str, str], ...], tuple[tuple[str, Item], ...]] = (None, (), ())


def listed(texts: Texts, values: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, Item], ...]:
    """Every material of `texts` as the Item it shows, with its condition, in display order: 通用 first,
    then each indicator in the order of the 办法 (staff's order within a group), each text filled with
    `values` (material_values of the policy in force). Made once per `Texts` and values (the cache builds
    a new `Texts` whenever staff save a text), not once per applicant."""
    global _listed
    if _listed[0] is not texts or _listed[1] != values:
        _listed = (texts, values, _items(texts.materials, dict(values)))
    return _listed[2]


def _items(materials: tuple[MaterialText, ...], values: dict[str, str]) -> tuple[tuple[str, Item], ...]:
    order = {group: i for i, group in enumerate(labels.MATERIAL_GROUP)}
    ordered = sorted(materials, key=lambda m: order.get(m.group, len(order)))  # stable: staff's order
    return tuple(
        (
            m.condition,
            Item(
                key=m.key,
                group=m.group,
                item=fill(m.item, values),
                form=m.form,
                provider=m.provider,
                provider_label=m.provider_text or labels.PROVIDER.get(m.provider, m.provider),
                confirmed=m.strength != UNCONFIRMED,
            ),
        )
        for m in ordered
    )
