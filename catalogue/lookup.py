"""The catalogue's side of calculator.certificates: every entry by id, cached under the data stamp."""

from __future__ import annotations

from collections.abc import Mapping

from calculator.cache import cached
from calculator.certificates import Entry
from catalogue import search as catalogue_search
from catalogue.models import Certificate, normalise


def entries() -> Mapping[int, Entry]:
    """Every catalogue entry (active or not) by id; rebuilt when staff change the catalogue or the policy."""
    return cached("catalogue.entries", _build)


def _build() -> dict[int, Entry]:
    return {certificate.pk: certificate.entry() for certificate in Certificate.objects.all()}


def search(query: str, limit: int) -> list[Entry]:
    known = entries()
    query = query.replace("\x00", "")  # no form field cleaned this one; NUL is in no search key
    return [known[c.pk] for c in catalogue_search.find_certificates(query)[:limit] if c.pk in known]


def named(text: str) -> list[int]:
    found = cached("catalogue.names", _build_names).get(normalise(text), [])
    active = [pk for pk, is_active in found if is_active]
    return active or [pk for pk, _ in found]


def _build_names() -> dict[str, list[tuple[int, bool]]]:
    """normalised name or alias -> [(id, active)], in the catalogue's order."""
    names: dict[str, list[tuple[int, bool]]] = {}
    rows = Certificate.objects.order_by("position", "pk").values_list("pk", "active", "search_name", "search_aliases")
    for pk, active, name, aliases in rows:
        for key in dict.fromkeys([name, *aliases.split("\n")]):
            if key:
                names.setdefault(key, []).append((pk, active))
    return names
