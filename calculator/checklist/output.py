"""What the checklist gives the pages and the API: the materials (`Item`), the pre-flight checks (`Check`)
with their messages, and the filing steps, as one `Checklist`."""

from __future__ import annotations

from dataclasses import dataclass

from calculator import labels
from calculator.checklist.inputs import StepText


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    group: str
    item: str
    form: str
    provider: str
    provider_label: str
    confirmed: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "group": labels.MATERIAL_GROUP.get(self.group, self.group),
            "item": self.item,
            "form": self.form,
            "provider": self.provider,
            "provider_label": self.provider_label,
            "confirmed": self.confirmed,
        }


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    message: str
    confirmed: bool

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "confirmed": self.confirmed}


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[Item, ...]  # 通用 first, then one group per indicator, in the order of the 办法
    checks: tuple[Check, ...]
    steps: tuple[StepText, ...]

    def as_dict(self) -> dict:
        """The `materials` and `checks` of /api/score (and the `steps` a shared link stores)."""
        return {
            "materials": [item.as_dict() for item in self.items],
            "checks": [check.as_dict() for check in self.checks],
            "steps": [step.text for step in self.steps],
        }
