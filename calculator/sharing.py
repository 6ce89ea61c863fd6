"""Shared results: a snapshot behind an unguessable short link, immutable, expiring, rate-limited."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from calculator import preparation
from calculator.cache import cached
from calculator.certificates import Entry
from calculator.forms import MAX_QUERY_LENGTH
from calculator.models import SharedResult
from calculator.simulation import simulate
from jifen_site.clients import client_address

SLUG_BYTES = 9  # 12 URL-safe characters


class ShareRefused(Exception):
    """The snapshot was not stored; the message says why, in Chinese."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def client_key(request: HttpRequest) -> str:
    """A salted hash of the client address (behind the trusted proxies): enough to rate-limit, never
    the address itself."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def create(query: str, client: str) -> SharedResult:
    """Score `query` now and store everything the link will show, copied; at most JIFEN_SHARE_RATE
    per client and hour, however many requests arrive at once."""
    if len(query) > MAX_QUERY_LENGTH:
        raise ShareRefused(f"输入过长（最多 {MAX_QUERY_LENGTH} 个字符），无法分享。")
    _check_rate(client)  # cheap early refusal; the check that counts is the locked one below
    sim = simulate(QueryDict(query))
    found = preparation.checklist_of(sim)
    if found is None:
        raise ShareRefused("输入有误，无法分享：" + "；".join(_messages(sim.form)))
    entry = sim.form.certificate_entry
    with transaction.atomic():
        lock_client(client)
        _check_rate(client)
        now = timezone.now()
        return SharedResult.objects.create(
            slug=secrets.token_urlsafe(SLUG_BYTES),
            query=sim.query,
            result=preparation.snapshot_json(sim, found),
            certificate=entry.as_json() if entry else None,
            created_at=now,
            expires_at=now + timedelta(days=settings.JIFEN_SHARE_DAYS),
            client=client,
        )


def _check_rate(client: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    if SharedResult.objects.created_by(client, since).count() >= settings.JIFEN_SHARE_RATE:
        raise ShareRefused(
            f"分享太频繁了：每小时最多生成 {settings.JIFEN_SHARE_RATE} 个分享链接，请稍后再试。", status=429
        )


def lock_client(client: str) -> None:
    """Serialise the count and the insert of one client's shares (or rosters) until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on the client hash (other clients do not wait).
    SQLite: the transaction already holds the database's write lock, as settings open every
    transaction with BEGIN IMMEDIATE; a second one waits (the busy timeout) instead of racing.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(client)])
    elif connection.vendor == "sqlite" and connection.transaction_mode != "IMMEDIATE":
        raise ImproperlyConfigured("SQLite needs OPTIONS transaction_mode IMMEDIATE for the per-client limits to hold.")


def _lock_key(client: str) -> int:
    """The advisory lock's 64-bit key for any client string (a hash from client_key, or a test's name)."""
    return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=8).digest(), "big", signed=True)


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    columns: tuple[Any, ...]  # the selected columns (Col expressions), in the order of the SQL
    converters: tuple[tuple[Any, ...], ...]  # per column: the backend's and the field's from_db converters


def find(slug: str) -> SharedResult | None:
    """The snapshot behind `slug`, or None: one query on the unique index.

    Every view of a link runs it. Its SQL is compiled from the ORM once per process (building and
    compiling the query cost several times more than running it); the row becomes a model instance
    through the fields' own converters (the JSON fields decoded, the datetimes aware), as the ORM does."""
    if "\x00" in slug:  # in no slug, and PostgreSQL refuses it in a text parameter
        return None
    compiled = _by_slug(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [
        _converted(value, column, converters)
        for value, column, converters in zip(row, compiled.columns, compiled.converters, strict=True)
    ]
    return SharedResult.from_db(connection.alias, [column.target.attname for column in compiled.columns], values)


@functools.cache
def _by_slug(alias: str) -> _Compiled:
    """`SharedResult.objects.filter(slug=…)[:1]`, unordered, as SQL with one parameter for this database."""
    compiler = SharedResult.objects.filter(slug="").order_by()[:1].query.get_compiler(alias)
    sql, _ = compiler.as_sql()
    columns = tuple(column for column, _, _ in compiler.select)
    database = connections[alias]
    converters = tuple(
        tuple(database.ops.get_db_converters(column) + column.get_db_converters(database)) for column in columns
    )
    return _Compiled(sql, columns, converters)


def _converted(value: Any, column: Any, converters: tuple[Any, ...]) -> Any:
    for converter in converters:
        value = converter(value, column, connection)
    return value


def stored_certificate(shared: SharedResult) -> Entry | None:
    """The certificate a snapshot copied (older snapshots also stored its points and labels)."""
    data = shared.certificate
    if not data:
        return None
    return Entry(**{name: data[name] for name in Entry.__dataclass_fields__ if name in data})


def _messages(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    then: int
    now: int


COMPARED_SIZE = 1000  # snapshots whose comparison a process keeps


def compare(shared: SharedResult) -> dict:
    """The same inputs scored by today's rules, catalogue and averages (on the snapshot's evaluation
    date): the new total and the lines that changed, or nothing when all is the same.

    A snapshot's inputs and result never change, so its comparison is kept per process under the data
    stamp (a staff edit drops it): a link shared to many people is re-scored once, not on every view."""
    compared: dict = cached("sharing.compared", dict)
    key = (shared.slug, shared.query, shared.result.get("as_of"), shared.result.get("total"))
    known = compared.get(key)
    if known is None:
        if len(compared) >= COMPARED_SIZE:
            compared.clear()
        known = compared[key] = _compare(shared)
    return dict(known)


def _compare(shared: SharedResult) -> dict:
    data = QueryDict(shared.query, mutable=True)
    data["as_of"] = shared.result["as_of"]
    sim = simulate(data)
    if sim.result is None:
        return {"current": None, "current_problem": "；".join(_messages(sim.form))}
    current = sim.result.as_dict()
    before = {line["code"]: line for line in shared.result["lines"]}
    changes = [
        Change(line["label"], before[line["code"]]["points"], line["points"])
        for line in current["lines"]
        if line["code"] in before and line["points"] != before[line["code"]]["points"]
    ]
    differs = current["total"] != shared.result["total"] or bool(changes)
    return {"current": current if differs else None, "changes": changes}
