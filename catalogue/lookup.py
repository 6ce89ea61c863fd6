"""The catalogue's side of calculator.certificates: every entry by id, cached under the data stamp."""

from __future__ import annotations

from collections.abc import Mapping

from calculator.cache import cached
from calculator.certificates import Entry
from catalogue.models import Certificate


def entries() -> Mapping[int, Entry]:
    """Every catalogue entry (active or not) by id; rebuilt when staff change the catalogue or the policy."""
    return cached("catalogue.entries", _build)


def _build() -> dict[int, Entry]:
    return {certificate.pk: certificate.entry() for certificate in Certificate.objects.all()}


def search(query: str, limit: int) -> list[Entry]:
    known = entries()
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text; no form field cleaned this one
    return [known[c.pk] for c in Certificate.objects.active().search(query)[:limit] if c.pk in known]
