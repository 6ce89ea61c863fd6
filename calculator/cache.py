"""The data stamp and the per-process cache of everything built from policy and catalogue rows.

Every built value is kept per process and stays valid while the data stamp (`DataVersion`, one row
in the database) is unchanged. Saving or deleting any policy or catalogue row bumps the stamp
(signals wired in CalculatorConfig.ready), so every process notices on its next read. Inside an HTTP
request the stamp is read at most once, so a warm request that needs the policy and the catalogue costs
exactly one query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F

from calculator.models import DataVersion

T = TypeVar("T")

_scope = threading.local()  # .depth: nesting of snapshot(); .stamp: the stamp read in it, or None
_cache: tuple[int | None, dict[str, Any]] = (None, {})


def current_version() -> int:
    """The data stamp in the database (one query); 0 before anything was ever saved.

    Plain SQL: every request reads it, and compiling the ORM query cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        row = cursor.fetchone()
    return (row[0] if row else 0) or 0


def _stamp_sql() -> str:
    """`DataVersion.objects.values_list("version").order_by("pk")[:1]` as SQL, for this connection."""
    meta, quote = DataVersion._meta, connection.ops.quote_name
    version, pk = meta.get_field("version").column, meta.pk.column
    return f"SELECT {quote(version)} FROM {quote(meta.db_table)} ORDER BY {quote(pk)} LIMIT 1"


def bump_version() -> None:
    """Mark every process's cached policy and catalogue as stale (call after bulk updates that send
    no signals, e.g. QuerySet.update)."""
    global _cache
    _cache = (None, {})
    _scope.stamp = None
    if not DataVersion.objects.update(version=F("version") + 1):
        _, created = DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
        if not created:
            DataVersion.objects.update(version=F("version") + 1)


def data_changed(**kwargs: Any) -> None:
    """Signal receiver for post_save, post_delete and m2m_changed of policy and catalogue models."""
    bump_version()


@contextmanager
def snapshot() -> Iterator[None]:
    """Within this block the stamp is read at most once: every `cached` value comes from one stamp.
    Each HTTP request runs in one (request_started / request_finished)."""
    _scope.depth = getattr(_scope, "depth", 0) + 1
    if _scope.depth == 1:
        _scope.stamp = None
    try:
        yield
    finally:
        _scope.depth -= 1
        if not _scope.depth:
            _scope.stamp = None


def request_started(**kwargs: Any) -> None:
    _scope.depth = 1
    _scope.stamp = None


def request_finished(**kwargs: Any) -> None:
    _scope.depth = 0
    _scope.stamp = None


def _stamp() -> int:
    if not getattr(_scope, "depth", 0):
        return current_version()
    if _scope.stamp is None:
        _scope.stamp = current_version()
    return _scope.stamp


def cached(key: str, build: Callable[[], T]) -> T:
    """`build()`, kept in this process until the data stamp changes. Use a key per value, e.g.
    "catalogue.lookup"; `build` must read only policy or catalogue data (whatever bumps the stamp)."""
    global _cache
    stamp = _stamp()
    version, values = _cache
    if version != stamp:
        values = {}
        _cache = (stamp, values)
    if key not in values:
        values[key] = build()
    return values[key]
