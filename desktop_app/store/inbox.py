"""Applying pulled changes: one page and its cursor in one transaction.

Pulled writes run with ``local_state.applying = 1`` so the capture triggers
do not log them again. A field this laptop changed and has not yet sent is
not overwritten: the local value goes up with the next push and the server
merges it. The hybrid clock moves past every stamp seen.

Nothing from the wire becomes SQL (docs/SECURITY.md): a change is applied
only to a table this laptop's models know, by the models' own column names,
with values of the column's type and length; an insert must be a complete
row. A change that cannot be applied (an unknown table or column, a wrong
value, a missing required field, a row that points at nothing) is *set
aside* in ``set_aside_change`` with its reason, naming the field and the
rule and never the value, and the cursor moves on: one bad change never
stops a laptop's pulls. The officer sees them (:func:`set_aside_list`) and
the next sync reports them to the server (sync/engine.py).
"""

from __future__ import annotations

import json
import math
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.orm import Session

from ..models import Base, synced_tables
from ..models.reference_data import version_ordinal
from ..models.types import JSONList, utc_now
from ..protocol.checksum import scope_checksum as digest_of
from ..protocol.wire import WireError, to_python
from . import refdata
from .store import Store

_SYNCED = frozenset(synced_tables())
_INT64 = 2**63
#: Longest reason and names kept for a set-aside change.
_NAME_CHARS = 40
OPS = ("insert", "update", "delete")


@dataclass(frozen=True, slots=True)
class Incoming:
    """A pulled change (see protocol.ServerChange)."""

    server_seq: int
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]
    hlc: int


@dataclass
class ApplyResult:
    applied: int = 0
    skipped_fields: int = 0
    unknown_rows: int = 0
    set_aside: int = 0


@dataclass(frozen=True, slots=True)
class SetAside:
    """A pulled change this laptop could not apply, as the officer sees it."""

    id: int
    scope: str
    server_seq: int
    table: str
    row_id: str
    reason_id: str
    reason_en: str
    set_aside_at: str
    reported: bool


class Unfit(Exception):
    """Why a change cannot be applied here: the field and the rule, no value."""

    def __init__(self, reason_id: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_id, self.reason_en = reason_id, reason_en


@dataclass
class _Page:
    """One attempt at a page: what went in, what was set aside."""

    result: ApplyResult = field(default_factory=ApplyResult)
    touched: list[tuple[Incoming, Table]] = field(default_factory=list)


def cursor(store: Store, scope: str) -> int:
    with store.read() as session:
        value = session.execute(text("SELECT cursor FROM sync_cursor WHERE scope = :s"),
                                {"s": scope}).scalar()
    return int(value or 0)


def reference_cursor(store: Store) -> int:
    """Where a reference pull starts: past the set this laptop already holds.

    The shipped set (loaded from resources/reference at start) and the
    server's set of the same version are the same files, so a laptop asks
    only for a newer one; a new laptop's first sync does not download the
    ~3,000 region and village rows it already has.
    """
    with store.raw() as connection:
        loaded = refdata.loaded_version(connection)
    held = version_ordinal(loaded) if loaded else 0
    return max(cursor(store, "reference"), held)


def apply_page(store: Store, scope: str, changes: list[Incoming], next_cursor: int) -> ApplyResult:
    """Apply ``changes`` and move the scope's cursor, atomically; a change
    that cannot be applied is set aside with its reason."""
    aside: dict[int, Unfit] = {}  # index in ``changes`` -> why
    with store.write() as session:
        session.execute(text("UPDATE local_state SET applying = 1 WHERE id = 1"))
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for _attempt in range(len(changes) + 1):  # each retry sets at least one more aside
            attempt = session.begin_nested()
            page = _apply_all(session, scope, changes, aside)
            dangling = _dangling(session, page.touched, changes)
            if not dangling:
                attempt.commit()
                break
            attempt.rollback()
            aside.update(dangling)
        for index, why in sorted(aside.items()):
            _set_aside(session, scope, changes[index], why)
        session.execute(text("INSERT INTO sync_cursor (scope, cursor) VALUES (:s, :c) "
                             "ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor"),
                        {"s": scope, "c": next_cursor})
        session.execute(text("UPDATE local_state SET applying = 0 WHERE id = 1"))
    page.result.set_aside = len(aside)
    return page.result


def _apply_all(session: Session, scope: str, changes: list[Incoming],
               aside: dict[int, Unfit]) -> _Page:
    """Apply every change not set aside, on the store's own driver connection
    (inside the session's transaction and its savepoints): a province's pull
    is hundreds of thousands of rows, and the ORM's per-statement work was
    most of its time. What is per page, not per row: the fields pending here
    (one query), the hybrid clock (one update), the row versions (one
    executemany). A statement SQLite refuses undoes only itself (its
    default ABORT), so one bad change is set aside without a savepoint each."""
    page = _Page()
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    pending = _pending_by_row(cursor, changes)
    versions: list[tuple[str, str, str, int]] = []
    newest = None
    for index, change in enumerate(changes):
        if index in aside:
            continue
        try:
            table = _known_table(change)
            checked = _checked_fields(table, change)
            try:
                applied = _apply_one(cursor, change, table, checked,
                                     pending.get((table.name, change.row_id), ()), page.result)
            except sqlite3.DatabaseError as exc:  # a constraint of this laptop's schema
                raise _refused_by_store(exc) from None
        except Unfit as why:
            aside[index] = why
            continue
        if applied:
            page.touched.append((change, table))
            versions.append((scope, table.name, change.row_id, change.server_seq))
            newest = change.hlc if newest is None else max(newest, change.hlc)
    if newest is not None:
        cursor.execute("UPDATE local_state SET hlc = max(hlc, ?) WHERE id = 1", (newest,))
    # In page order: a row changed twice in a page keeps its last server_seq.
    cursor.executemany(
        "INSERT INTO sync_row_version (scope, table_name, row_id, server_seq) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (scope, table_name, row_id) DO UPDATE SET server_seq = excluded.server_seq",
        versions)
    return page


def _known_table(change: Incoming) -> Table:
    if change.table not in _SYNCED:
        raise Unfit(f"tabel '{_short(change.table)}' tidak dikenal di laptop ini",
                    f"table '{_short(change.table)}' is unknown on this laptop")
    if change.op not in OPS:
        raise Unfit("jenis perubahan tidak dikenal", "unknown kind of change")
    try:
        if len(change.row_id) != 36 or str(uuid.UUID(change.row_id)) != change.row_id.lower():
            raise ValueError
    except (ValueError, AttributeError, TypeError):
        raise Unfit("id baris bukan UUID", "the row id is not a UUID") from None
    for name, value in (("server_seq", change.server_seq), ("hlc", change.hlc)):
        if not isinstance(value, int) or not 0 <= value < _INT64:
            raise Unfit(f"{name} di luar batas", f"{name} is out of range")
    return Base.metadata.tables[change.table]


def _checked_fields(table: Table, change: Incoming) -> dict[Column[Any], Any]:
    """The change's fields keyed by this laptop's own columns, with values
    of their type; raises :class:`Unfit` naming the first field that fails."""
    if not isinstance(change.fields, dict):
        raise Unfit("isi perubahan bukan objek", "the change's fields are not an object")
    checked: dict[Column[Any], Any] = {}
    for name, value in change.fields.items():
        column = table.columns.get(name) if isinstance(name, str) else None
        if column is None:
            raise Unfit(f"kolom '{_short(str(name))}' tidak ada di {table.name}",
                        f"column '{_short(str(name))}' does not exist in {table.name}")
        checked[column] = _stored_value(table, column, value)
    if change.op == "insert":
        missing = [c.name for c in table.columns
                   if not c.nullable and not c.primary_key and c.server_default is None
                   and c not in checked]
        if missing:
            raise Unfit(f"baris baru tidak lengkap: {', '.join(missing)} tidak ada",
                        f"the new row is incomplete: {', '.join(missing)} missing")
    return checked


def _stored_value(table: Table, column: Column[Any], value: Any) -> Any:
    """``value`` as this laptop stores it (the wire form, checked)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise Unfit(f"{column.name}: harus angka terhingga", f"{column.name}: must be a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and not -_INT64 <= value < _INT64:
        raise Unfit(f"{column.name}: angka di luar batas", f"{column.name}: number out of range")
    try:
        to_python(table, {column.name: value})
    except WireError as exc:
        raise Unfit(f"{column.name}: nilai tidak sesuai ({exc.expected})",
                    f"{column.name}: the value does not fit ({exc.expected})") from None
    if isinstance(column.type, JSONList) and isinstance(value, list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, (dict, list)):
        raise Unfit(f"{column.name}: bukan nilai tunggal", f"{column.name}: not a single value")
    return value


def _refused_by_store(exc: BaseException) -> Unfit:
    """Why the laptop's database refused a change: its own words (a
    constraint's name, never a value), shortened."""
    orig = getattr(exc, "orig", exc)
    detail = str(orig.args[0])[:120] if orig is not None and orig.args else "error"
    return Unfit(f"ditolak basis data laptop: {detail}", f"refused by the laptop's database: {detail}")


def _apply_one(cursor: sqlite3.Cursor, change: Incoming, table: Table,
               checked: dict[Column[Any], Any], pending: set[str] | tuple[()],
               result: ApplyResult) -> bool:
    """Write one checked change by the table's own column names, leaving the
    fields this laptop changed and has not yet sent; False when the row is
    not here and the change is no insert."""
    name = table.name
    fields = {c.name: v for c, v in checked.items() if c.name not in pending and c.name != "id"}
    result.skipped_fields += sum(1 for c in checked if c.name != "id") - len(fields)
    exists = cursor.execute(f'SELECT 1 FROM "{name}" WHERE id = ?', (change.row_id,)).fetchone()
    if exists is not None and fields:
        assignments = ", ".join(f'"{k}" = ?' for k in fields)
        cursor.execute(f'UPDATE "{name}" SET {assignments} WHERE id = ?',
                       (*fields.values(), change.row_id))
    elif exists is None and change.op == "insert":
        columns = {**fields, "id": change.row_id}
        names = ", ".join(f'"{k}"' for k in columns)
        marks = ", ".join("?" for _ in columns)
        cursor.execute(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', tuple(columns.values()))
    elif exists is None:
        result.unknown_rows += 1  # its insert is outside this scope: the checksum will tell
        return False
    result.applied += 1
    return True


def _dangling(session: Session, touched: list[tuple[Incoming, Table]],
              changes: list[Incoming]) -> dict[int, Unfit]:
    """Changes whose row now points at a row that is not here (checked at
    the end of the page: a parent may come later in the same page). Each
    parent is looked up once per page."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    bad: dict[tuple[str, str], Unfit] = {}
    found: dict[tuple[str, str, Any], bool] = {}
    for change, table in touched:
        keys = [(column, key) for column in table.columns if column.name in change.fields
                for key in column.foreign_keys]  # columns not written by this change: as good as they were
        if not keys:
            continue
        for column, key in keys:
            target = key.column
            value = cursor.execute(f'SELECT "{column.name}" FROM "{table.name}" WHERE id = ?',
                                   (change.row_id,)).fetchone()[0]
            if value is None:
                continue
            where = (target.table.name, target.name, value)
            if where not in found:
                found[where] = cursor.execute(
                    f'SELECT 1 FROM "{target.table.name}" WHERE "{target.name}" = ?',
                    (value,)).fetchone() is not None
            if not found[where]:
                bad[(table.name, change.row_id)] = Unfit(
                    f"{column.name}: menunjuk {target.table.name} yang tidak ada di laptop ini",
                    f"{column.name}: points at a {target.table.name} this laptop does not have")
    return {i: bad[(c.table, c.row_id)] for i, c in enumerate(changes) if (c.table, c.row_id) in bad}


def _set_aside(session: Session, scope: str, change: Incoming, why: Unfit) -> None:
    session.execute(text(
        "INSERT INTO set_aside_change (scope, server_seq, table_name, row_id, reason_id, reason_en,"
        " set_aside_at) VALUES (:s, :q, :t, :r, :ri, :re, :at)"),
        {"s": scope, "q": change.server_seq if isinstance(change.server_seq, int)
         and 0 <= change.server_seq < _INT64 else -1,
         "t": _short(str(change.table)), "r": _short(str(change.row_id)),
         "ri": why.reason_id[:500], "re": why.reason_en[:500], "at": _now_text()})


def _now_text() -> str:
    from ..models.types import format_utc

    return format_utc(utc_now())


def _short(name: str) -> str:
    """A name from the wire as it may be shown: printable, at most 40 characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean[:_NAME_CHARS]


def _pending_by_row(cursor: sqlite3.Cursor, changes: list[Incoming]
                    ) -> dict[tuple[str, str], set[str]]:
    """The fields this laptop changed and has not yet had acknowledged, of
    the page's rows, by (table, row id): one look at the queue per page
    (usually empty: a sync pushes before it pulls)."""
    if cursor.execute("SELECT 1 FROM change_log WHERE push_state = 'pending' LIMIT 1"
                      ).fetchone() is None:
        return {}
    ids = sorted({c.row_id for c in changes if isinstance(c.row_id, str)})
    pending: dict[tuple[str, str], set[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for table, row_id, key in cursor.execute(
                "SELECT c.table_name, c.row_id, j.key FROM change_log AS c, json_each(c.fields) AS j "
                f"WHERE c.push_state = 'pending' AND c.row_id IN ({marks})", chunk):
            pending.setdefault((table, row_id), set()).add(key)
    return pending


def set_aside_list(store: Store, limit: int = 200) -> list[SetAside]:
    """The changes set aside here, the newest first."""
    with store.read() as session:
        rows = session.execute(text(
            "SELECT id, scope, server_seq, table_name, row_id, reason_id, reason_en, set_aside_at,"
            " reported_at FROM set_aside_change ORDER BY id DESC LIMIT :n"), {"n": limit}).all()
    return [SetAside(r[0], r[1], r[2], r[3], r[4], r[5], r[6], str(r[7]), r[8] is not None)
            for r in rows]


def unreported(store: Store, limit: int = 500) -> list[SetAside]:
    """Set-aside changes the server has not been told of yet, oldest first."""
    with store.read() as session:
        rows = session.execute(text(
            "SELECT id, scope, server_seq, table_name, row_id, reason_id, reason_en, set_aside_at"
            " FROM set_aside_change WHERE reported_at IS NULL ORDER BY id LIMIT :n"),
            {"n": limit}).all()
    return [SetAside(r[0], r[1], r[2], r[3], r[4], r[5], r[6], str(r[7]), False) for r in rows]


def mark_reported(store: Store, ids: list[int]) -> None:
    with store.write() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            session.execute(text(f"UPDATE set_aside_change SET reported_at = :at WHERE id IN ({marks})"),
                            {"at": _now_text(), **{f"i{n}": v for n, v in enumerate(chunk)}})


def scope_checksum(store: Store, scope: str) -> tuple[str, int]:
    """The same digest the server computes over the rows of a scope, read in
    order from the store's index and streamed (a province is ~600,000 rows)."""
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT table_name, row_id, server_seq FROM sync_row_version WHERE scope = ? "
            "ORDER BY table_name COLLATE BINARY, row_id COLLATE BINARY", (scope,))
        return digest_of(rows, presorted=True)


def reset_scope(store: Store, scope: str) -> None:
    """Forget a drifted scope so the next pull refetches it from the start."""
    with store.write() as session:
        session.execute(text("DELETE FROM sync_row_version WHERE scope = :s"), {"s": scope})
        session.execute(text("DELETE FROM sync_cursor WHERE scope = :s"), {"s": scope})


def apply_reference(store: Store, changes: list[Incoming], next_cursor: int) -> int:
    """Replace the reference data with a newer set pulled from the server;
    the scope cursor moves in the same transaction (also when the local set
    is already as new). Returns the rows applied. A row with a column the
    models do not know, or a value that does not fit, is set aside."""
    version = next((c.row_id for c in changes if c.table == "reference_version"), None)
    rows: dict[str, list[dict[str, Any]]] = {}
    unfit: list[tuple[Incoming, Unfit]] = []
    for change in changes:
        if change.table in refdata.TABLES:
            try:
                rows.setdefault(change.table, []).append(_reference_row(change))
            except Unfit as why:
                unfit.append((change, why))
    if version is not None and (not isinstance(version, str) or len(version) > _NAME_CHARS):
        version = None
    with store.raw() as connection:
        local = refdata.loaded_version(connection)
        try:
            newer = version is not None and (
                local is None or refdata.version_key(version) > refdata.version_key(local))
        except (ValueError, TypeError):
            newer = False
        connection.execute("BEGIN IMMEDIATE")
        try:
            if newer:
                refdata.upsert_rows(connection, version, rows)  # type: ignore[arg-type]
            connection.execute("INSERT INTO sync_cursor (scope, cursor) VALUES ('reference', ?) "
                               "ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor",
                               (next_cursor,))
            connection.executemany(
                "INSERT INTO set_aside_change (scope, server_seq, table_name, row_id, reason_id,"
                " reason_en, set_aside_at) VALUES ('reference', ?, ?, ?, ?, ?, ?)",
                [(c.server_seq, _short(str(c.table)), _short(str(c.row_id)), why.reason_id[:500],
                  why.reason_en[:500], _now_text()) for c, why in unfit])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return sum(len(r) for r in rows.values()) if newer else 0


def _reference_row(change: Incoming) -> dict[str, Any]:
    """A reference row keyed by the model's own column names, values checked."""
    table = Base.metadata.tables[change.table]
    if not isinstance(change.fields, dict):
        raise Unfit("isi perubahan bukan objek", "the change's fields are not an object")
    row = {}
    for name, value in change.fields.items():
        column = table.columns.get(name) if isinstance(name, str) else None
        if column is None:
            raise Unfit(f"kolom '{_short(str(name))}' tidak ada di {table.name}",
                        f"column '{_short(str(name))}' does not exist in {table.name}")
        row[column.name] = _stored_value(table, column, value)
    if "code" not in row:
        raise Unfit(f"baris {table.name} tanpa kode", f"a {table.name} row without its code")
    return row
