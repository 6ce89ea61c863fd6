"""The certificate catalogue as the simulator sees it: entries by id, a search for the no-JavaScript
picker, and one representative entry per tier for the actions' links.

The dependency between the two apps runs one way: the catalogue imports the calculator (the policy's
points, the labels, the data-stamp cache); the calculator never imports the catalogue. The catalogue
app installs its lookup here when Django starts (CatalogueConfig.ready).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Protocol

from calculator import labels
from calculator.cache import cached


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalogue entry, active or retired, as the form, the page and a share snapshot need it."""

    id: int
    name: str
    kind: str  # title, qualification, skill
    series: str
    level: str
    tier: str
    needs_registration: bool
    note: str
    active: bool

    @property
    def tier_label(self) -> str:
        return labels.TIER.get(self.tier, self.tier)

    def as_json(self) -> dict:
        """What a shared snapshot stores (the points are the policy's, looked up when shown)."""
        return asdict(self)


class Catalogue(Protocol):
    def entries(self) -> Mapping[int, Entry]: ...

    def search(self, query: str, limit: int) -> list[Entry]: ...

    def named(self, text: str) -> list[int]: ...


_installed: list[Catalogue] = []


def install(catalogue: Catalogue) -> None:
    _installed[:] = [catalogue]


def _catalogue() -> Catalogue:
    if not _installed:
        raise LookupError("No certificate catalogue is installed (add the catalogue app).")
    return _installed[0]


def entry(pk: int) -> Entry | None:
    return _catalogue().entries().get(pk)


def search(query: str, limit: int = 30) -> list[Entry]:
    """Active entries matching `query`, best first."""
    return _catalogue().search(query, limit)


def named(text: str) -> list[int]:
    """Ids of the entries whose exact name or alias is `text` (as the catalogue compares them): the
    active ones, else the retired ones (a roster names certificates as people write them)."""
    return _catalogue().named(text)


def representatives() -> Mapping[str, int]:
    """One active entry per tier for "obtain a certificate of this tier" links: the generic skill level
    entries first (they need no registration), else any active entry of the tier."""
    return cached("catalogue.representatives", _build_representatives)


def _build_representatives() -> dict[str, int]:
    chosen: dict[str, tuple[int, int]] = {}
    for item in _catalogue().entries().values():
        if not item.active or item.needs_registration or item.tier == "none":
            continue
        rank = (0 if item.kind == "skill" else 1, item.id)
        if item.tier not in chosen or rank < chosen[item.tier]:
            chosen[item.tier] = rank
    return {tier: rank[1] for tier, rank in chosen.items()}
