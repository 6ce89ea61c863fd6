"""The public catalogue's searches (the page, the picker's suggestions, the API, the simulator's
no-JavaScript picker) over the active entries, which each process keeps under the data stamp.

They match and rank as EntryQuerySet.search does in the database (models.ranked), so a warm search
costs no query beyond the data stamp: scanning a catalogue of a few hundred entries in Python is
cheaper than building, compiling and running the LIKE query and making its rows into instances.
"""

from __future__ import annotations

from calculator.cache import cached
from catalogue.models import Certificate, Kind, Tier, Trade, normalise, ranked


def certificates() -> tuple[Certificate, ...]:
    """Every active certificate, in catalogue order."""
    return cached(
        "catalogue.active_certificates", lambda: tuple(Certificate.objects.active().order_by("position", "name"))
    )


def trades() -> tuple[Trade, ...]:
    """Every active 工种, in catalogue order."""
    return cached("catalogue.active_trades", lambda: tuple(Trade.objects.active().order_by("position", "name")))


def find_certificates(q: str) -> list[Certificate]:
    """The active certificates matching q, best first; all of them in catalogue order when q is blank."""
    return ranked(certificates(), q)


def find_trades(q: str) -> list[Trade]:
    return ranked(trades(), q)


def suggest(q: str, limit: int) -> list[Certificate]:
    """At most `limit` entries for a certificate picker: the best matches of q and, when q names a
    工种 (焊工), the skill levels its certificates score by."""
    if not normalise(q):
        return []
    found = find_certificates(q)[:limit]
    if len(found) < limit and find_trades(q):
        found += [level for level in skill_levels() if level not in found]
    return found[:limit]


def skill_levels() -> list[Certificate]:
    """The five 技能等级 entries (五级…一级) that skill certificates of any 工种 score by."""
    levels = [entry for entry in certificates() if entry.kind == Kind.SKILL and entry.tier != Tier.NONE]
    return sorted(levels, key=lambda entry: entry.position)
