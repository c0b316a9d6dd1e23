"""Applying a pushed batch: once per (device, seq), merged field by field.

The batch is applied in the caller's transaction, set-based: one query finds
the change ids already applied, one per table loads (and locks) the rows the
batch touches, one per table their field versions; the merge runs in memory,
change after change in the device's order; then the new rows, the changed
rows, the applied-change log, the field versions, conflicts and refusals are
written with one statement each (multi-row). A change that fails its checks
is rejected (and reported for the officer to see) without losing the others;
should the database still refuse the batch's writes (a foreign key to a
record the server does not have), the batch is rolled back to its savepoint
and settled again one change at a time, each in its own savepoint, so the
one bad change is found and rejected. The device's ``last_seq`` moves past
every settled change, which is what makes a resent batch harmless.

The applied-change log is written last, under one lock per database
(PostgreSQL: a transaction advisory lock; SQLite serialises writers anyway),
held to the commit: ``server_seq`` values become visible in the order they
were given, so a pull's cursor never passes a change another process has not
committed yet (several workers, several server instances on one database).

A field version is stored only when an update or a delete sets a field; a
field without one was set by the row's insert, whose applied change stands
for it (:func:`versions_of`): an insert writes no version rows at all (it
wrote one per field, ~30 a record, before).

Merge rules (docs/PROTOCOL.md, "Conflicts"):
- a field changed on the server since the version the officer started from
  (``base_seq``), by another device, is a conflict;
- descriptive fields: the later hybrid-clock stamp wins, the loser is kept
  in ``conflict`` as 'auto';
- audit and verification fields: the server keeps its value and both are
  kept in an 'open' conflict for a supervisor;
- tombstones win over edits; a finalised visit record is never changed by
  a merge (the edit is kept as an open conflict).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    BigInteger, Column, Integer, MetaData, Table, any_, bindparam, delete, insert, select, text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from desktop_app.models import RECORD_KINDS, STAMP_FIELDS, VISIT_TABLES, Base, VisitStatus
from desktop_app.models.errors import TapisError
from desktop_app.models.ids import uuid7
from desktop_app.models.rules.changes import ChangeCodes, change_problems, read_codes
from desktop_app.models.rules.problems import Problem
from desktop_app.models.types import utc_now
from desktop_app.protocol import Change, ErrorCode, PushResponse, Rejected, Role
from desktop_app.protocol.wire import WireError, to_python, to_wire

from . import aid_chain, errors
from .auth import Principal
from .scope import may_write, regency_after, table_of
from .tables import AppliedChange, Conflict, Device, FieldVersion, Officer, RejectedChange, Token

#: Entity fields whose disagreement a supervisor must settle.
AUDIT_FIELDS = {
    "business": frozenset({"owner_nik", "nib"}),
    "cooperative": frozenset({"is_active", "rat_last_year", "members_male", "members_female",
                              "legal_entity_no"}),
    "aid_applicant": frozenset({"nik", "on_credit_list", "prior_recipient"}),
}


class Rejection(TapisError):
    """One change refused for good; the batch goes on without it."""

    def __init__(self, code: ErrorCode, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, reason=code.value)
        self.code = code


@dataclass
class Outcome:
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: list[Rejected] = field(default_factory=list)



#: One lock key for the order of the applied-change log (PostgreSQL advisory lock).
LOG_LOCK = 0x7461706973  # 'tapis'


def lock_log(session: Session) -> None:
    """Hold the log's order lock to the end of the transaction (PostgreSQL);
    SQLite's BEGIN IMMEDIATE already serialises writers. Call it just before
    writing applied changes: ``server_seq`` values then commit in order."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK})


def apply_push(session: Session, principal: Principal, device_id: str,
               changes: list[Change]) -> PushResponse:
    """Settle every change of the batch in order; report a gap as 409."""
    if device_id != principal.device_id:
        raise errors.forbidden("mengirim atas nama perangkat lain", "pushing for another device")
    device = session.scalar(select(Device).where(Device.id == device_id).with_for_update())
    if device is None:
        raise errors.unauthenticated()
    if len({c.seq for c in changes}) != len(changes):
        raise errors.invalid("Satu kiriman memuat nomor urut ganda.",
                             "One batch holds the same sequence number twice.", field="changes")
    outcome = Outcome()
    told = _rejected_before(session, device_id, [c.seq for c in changes if c.seq <= device.last_seq])
    last = device.last_seq
    todo: list[Change] = []
    for change in sorted(changes, key=lambda c: c.seq):
        if change.seq <= device.last_seq:
            if change.seq in told:
                outcome.rejected.append(told[change.seq])  # say it again, not 'duplicate'
            else:
                outcome.duplicates += 1
            continue
        if change.seq != last + 1:
            if last < min(c.seq for c in changes):
                raise errors.ApiError(409, ErrorCode.SEQUENCE_GAP,
                                      "Ada perubahan yang terlewat; kirim ulang dari urutan yang diminta.",
                                      "Changes are missing; resend from the expected sequence.",
                                      {"expected_seq": last + 1})
            break  # a gap inside the batch: ack the contiguous part only
        todo.append(change)
        last = change.seq
    if todo:
        settle_batch(session, principal, device_id, todo, outcome)
    device.last_seq = last
    return PushResponse(acked_through=device.last_seq, applied=outcome.applied,
                        duplicates=outcome.duplicates, conflicts=outcome.conflicts,
                        rejected=outcome.rejected)


def _rejected_before(session: Session, device_id: str, seqs: list[int]) -> dict[int, Rejected]:
    """Refusals already given for these seqs of the device (rare: one range query)."""
    if not seqs:
        return {}
    rows = session.scalars(select(RejectedChange).where(
        RejectedChange.device_id == device_id,
        RejectedChange.device_seq.between(min(seqs), max(seqs))))
    return {r.device_seq: Rejected(seq=r.device_seq, code=ErrorCode(r.code),
                                   message_id=r.message_id, message_en=r.message_en)
            for r in rows}


@dataclass
class Prepared:
    """A change that passed its own checks: its table and its values as Python."""

    change: Change
    table: Table
    values: dict[str, Any]


def prepare(change: Change) -> Prepared:
    """The checks a change passes on its own, before any row is read: a
    known table, values that fit their columns and both databases. Raises
    :class:`Rejection`. (Validation by the shared rules belongs here too:
    it is per change and needs no database.)"""
    table = table_of(change.table)
    if table is None:
        raise Rejection(ErrorCode.INVALID, f"Tabel '{change.table}' tidak dikenal.",
                        f"Unknown table '{change.table}'.")
    try:
        values = to_python(table, change.fields)
        _check_storable(change, values)
    except WireError as exc:
        raise Rejection(ErrorCode.INVALID, f"Isian '{exc.field}' tidak sesuai ({exc.expected}).",
                        f"Field '{exc.field}' does not fit ({exc.expected}).") from None
    return Prepared(change, table, values)


def settle_batch(session: Session, principal: Principal, device_id: str, changes: list[Change],
                 outcome: Outcome) -> None:
    """Settle contiguous changes of one device (in seq order): duplicates by
    change id, then everything else set-based in one savepoint; one change at
    a time only if the database refuses the batch's writes."""
    ids = [c.change_id for c in changes]
    known = set(session.scalars(select(AppliedChange.change_id)
                                .where(among(session, AppliedChange.change_id, ids))))
    fresh: list[Change] = []
    for change in changes:
        if change.change_id in known:
            outcome.duplicates += 1  # arrived before by another route (a bundle)
            continue
        known.add(change.change_id)  # the same change twice in one batch: once
        fresh.append(change)
    for run in _runs(fresh):
        _settle_run(session, principal, device_id, run, outcome)


#: Tables whose checks read what earlier changes wrote (the approval chain's
#: steps count the decisions and verdicts before them): each such change is
#: settled in a run of its own, after everything before it is written.
READS_EARLIER_WRITES = frozenset({"aid_decision"})


def _runs(changes: list[Change]) -> Iterator[list[Change]]:
    """The batch cut before and after each change of :data:`READS_EARLIER_WRITES`."""
    run: list[Change] = []
    for change in changes:
        if change.table in READS_EARLIER_WRITES:
            if run:
                yield run
            yield [change]
            run = []
        else:
            run.append(change)
    if run:
        yield run


def _settle_run(session: Session, principal: Principal, device_id: str, fresh: list[Change],
                outcome: Outcome) -> None:
    """Contiguous fresh changes, set-based in one savepoint; one at a time
    only if the database refuses the run's writes."""
    try:
        with session.begin_nested():
            batch = _Batch(session, principal, device_id)
            batch.run(fresh)
            batch.write()
        batch.report(outcome)
        return
    except IntegrityError:
        pass  # one change refers to a record the server lacks: find it, one at a time
    for change in fresh:
        try:
            with session.begin_nested():
                batch = _Batch(session, principal, device_id)
                batch.run([change])
                batch.write()
            batch.report(outcome)
        except IntegrityError:
            rejected = Rejected(
                seq=change.seq, code=ErrorCode.INVALID,
                message_id="Data merujuk ke data lain yang tidak ada di server (atau duplikat).",
                message_en="The record refers to another record the server does not have "
                           "(or duplicates one).")
            outcome.rejected.append(rejected)
            _write_rejected(session, device_id, [rejected])


def _write_rejected(session: Session, device_id: str, rejected: list[Rejected]) -> None:
    if rejected:
        session.connection().execute(insert(RejectedChange.__table__), [
            {"device_id": device_id, "device_seq": r.seq, "code": r.code.value,
             "message_id": r.message_id[:500], "message_en": r.message_en[:500]}
            for r in rejected])


@dataclass(frozen=True, slots=True)
class Version:
    """Who last set a field, and when."""

    hlc: int
    device_id: str
    officer_id: str | None
    server_seq: int


Key = tuple[str, str]  # (table, row id)


def among(session: Session, column: Any, values: list[str]) -> Any:
    """``column IN values``; on PostgreSQL ``= ANY`` of one array parameter:
    the same plan, but one parameter instead of up to a thousand, which
    psycopg parsed anew for every statement (~7 % of ingest, issue 17)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def _chunks(items: list[Any], size: int = 1000) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def versions_of(session: Session, table: str, row_ids: list[str]) -> dict[str, dict[str, Version]]:
    """Each row's field versions: its stored ones, and for the fields its
    insert set and nothing set since, the insert's applied change."""
    found: dict[str, dict[str, Version]] = {}
    for part in _chunks(sorted(set(row_ids))):
        inserts = session.execute(
            select(AppliedChange.row_id, AppliedChange.fields, AppliedChange.hlc,
                   AppliedChange.device_id, AppliedChange.officer_id, AppliedChange.server_seq)
            .where(AppliedChange.table_name == table, among(session, AppliedChange.row_id, part),
                   AppliedChange.op == "insert")
            .order_by(AppliedChange.server_seq.desc()))
        for row_id, fields, hlc, device, officer, seq in inserts:
            version = Version(hlc, device, officer, seq)  # the first insert, written last, wins
            found[row_id] = {**found.get(row_id, {}), **{name: version for name in fields or {}}}
        stored = session.scalars(select(FieldVersion).where(
            FieldVersion.table_name == table, among(session, FieldVersion.row_id, part)))
        for v in stored:
            found.setdefault(v.row_id, {})[v.field] = Version(v.hlc, v.device_id, v.officer_id,
                                                               v.server_seq)
    return found


def field_version(session: Session, table: str, row_id: str, name: str) -> Version | None:
    return versions_of(session, table, [row_id]).get(row_id, {}).get(name)


_DEFAULTS: dict[str, tuple[dict[str, Any], list[tuple[str, Any]]]] = {}


def _defaults(table: Table, given: Mapping[str, Any]) -> dict[str, Any]:
    """Column defaults as an insert would fill them; a callable is called
    only for a column not ``given`` (a new key drawn for every insert's id,
    then replaced, was a tenth of ingest's work); the scalar ones worked out
    once per table."""
    known = _DEFAULTS.get(table.name)
    if known is None:
        scalars: dict[str, Any] = {}
        calls: list[tuple[str, Any]] = []
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_callable", False):
                calls.append((column.name, default.arg))  # type: ignore[union-attr]
            elif default is not None and getattr(default, "is_scalar", False):
                scalars[column.name] = default.arg  # type: ignore[union-attr]
            else:
                scalars[column.name] = None
        known = _DEFAULTS[table.name] = (scalars, calls)
    scalars, calls = known
    values = {name: list(v) if isinstance(v, list) else v for name, v in scalars.items()}
    for name, call in calls:
        values[name] = given[name] if name in given else call(None)
    return values


class _Batch:
    """One device's changes merged in memory against the rows they touch,
    then written with one statement per kind of write."""

    def __init__(self, session: Session, principal: Principal, device_id: str) -> None:
        self.session, self.principal, self.device_id = session, principal, device_id
        self.rows: dict[Key, dict[str, Any] | None] = {}
        self.regencies: dict[Key, str | None] = {}  # other rows' regency (parents, owners)
        self.versions: dict[Key, dict[str, Version]] = {}
        self.inserted: dict[Key, tuple[Version, dict[str, Any]]] = {}
        self.new: dict[Key, Table] = {}  # inserted by this batch, in order
        self.dirty: dict[Key, Table] = {}  # existing rows this batch changed
        self.applied: list[dict[str, Any]] = []
        self.field_versions: dict[tuple[str, str, str], tuple[int, Version]] = {}
        self.conflicts: list[dict[str, Any]] = []
        self.outcome = Outcome()
        self.postgres = session.get_bind().dialect.name == "postgresql"

    # -- reading, set-based --------------------------------------------------

    def run(self, changes: list[Change]) -> None:
        prepared: list[Prepared | Rejected] = []
        for change in changes:
            try:
                prepared.append(prepare(change))
            except Rejection as exc:
                prepared.append(_rejected(change, exc))
        self._load([p for p in prepared if isinstance(p, Prepared)])
        for item in prepared:
            if isinstance(item, Rejected):
                self.outcome.rejected.append(item)
                continue
            try:
                self.outcome.conflicts += self._settle(item)
                self.outcome.applied += 1
            except Rejection as exc:
                self.outcome.rejected.append(_rejected(item.change, exc))

    def _load(self, prepared: list[Prepared]) -> None:
        by_table: dict[str, set[str]] = {}
        for p in prepared:
            by_table.setdefault(p.table.name, set()).add(p.change.row_id)
        for name in sorted(by_table):  # one lock order for every batch: no deadlocks
            table = table_of(name)
            assert table is not None
            ids = sorted(by_table[name])
            for key in ((name, i) for i in ids):
                self.rows[key] = None
            for part in _chunks(ids):
                query = select(table).where(among(self.session, table.c.id, part)).order_by(table.c.id)
                if self.postgres:  # NO KEY UPDATE: other batches' FK checks (KEY SHARE) still pass
                    query = query.with_for_update(key_share=True)
                for row in self.session.execute(query).mappings():
                    self.rows[(name, row["id"])] = dict(row)
            existing = [i for i in ids if self.rows[(name, i)] is not None]
            for row_id, versions in versions_of(self.session, name, existing).items():
                self.versions[(name, row_id)] = versions
        self._load_regencies(prepared)

    def _load_regencies(self, prepared: list[Prepared]) -> None:
        """The regency of every parent and owner the batch refers to that it
        does not load itself: one query per table."""
        wanted: dict[str, set[str]] = {}
        for p in prepared:
            row = self.rows.get((p.table.name, p.change.row_id)) or {}
            kind = RECORD_KINDS.get(p.table.name)
            if kind is not None and kind.parent_field and kind.parent_kind:
                for source in (p.change.fields, row):
                    if source.get(kind.parent_field):
                        wanted.setdefault(kind.parent_kind, set()).add(str(source[kind.parent_field]))
            if "regency_code" not in p.table.columns:
                for source in (p.change.fields, row):
                    owner = table_of(str(source.get("owner_table")))
                    if owner is not None and source.get("owner_id") \
                            and "regency_code" in owner.columns:
                        wanted.setdefault(owner.name, set()).add(str(source["owner_id"]))
        for name, ids in wanted.items():
            table = table_of(name)
            assert table is not None
            missing = sorted(i for i in ids if (name, i) not in self.rows)
            for part in _chunks(missing):
                for row_id, regency in self.session.execute(
                        select(table.c.id, table.c.regency_code).where(
                            among(self.session, table.c.id, part))):
                    self.regencies[(name, row_id)] = regency

    def _regency_of(self, table_name: str, row_id: str) -> str | None:
        key = (table_name, row_id)
        if key in self.rows:
            row = self.rows[key]
            return row.get("regency_code") if row is not None else None
        if key not in self.regencies:  # not foreseen by _load_regencies: ask
            table = table_of(table_name)
            self.regencies[key] = None if table is None else self.session.scalar(
                select(table.c.regency_code).where(table.c.id == row_id))
        return self.regencies[key]

    def _row_regency(self, table: Table, row: dict[str, Any] | None,
                     fields: dict[str, Any]) -> str | None:
        """As :func:`server.scope.row_regency`, from the batch's rows."""
        return regency_after(table, row, fields,
                             lambda owner, owner_id: self._regency_of(owner.name, owner_id))

    def _parent_mismatch(self, table: Table, row: dict[str, Any] | None,
                         fields: dict[str, Any], regency: str | None) -> bool:
        """As :func:`server.scope.parent_regency_mismatch`, from the batch's rows."""
        kind = RECORD_KINDS.get(table.name)
        if kind is None or not kind.parent_field or not kind.parent_kind:
            return False
        parent_id = fields.get(kind.parent_field) or (row or {}).get(kind.parent_field)
        if parent_id is None or table_of(kind.parent_kind) is None:
            return False
        parent_regency = self._regency_of(kind.parent_kind, str(parent_id))
        return parent_regency is not None and parent_regency != regency

    # -- the merge, in memory ------------------------------------------------

    def _settle(self, p: Prepared) -> int:
        change, table = p.change, p.table
        row = self.rows.get((table.name, change.row_id))
        if row is None and change.op != "insert":
            raise _not_on_server()
        author = _check_identity(self.session, self.principal, self.device_id, change, row)
        regency = self._row_regency(table, row, change.fields)
        stored = self._row_regency(table, row, {}) if row else regency  # before the change
        if not may_write(self.principal, regency, stored):
            raise Rejection(ErrorCode.FORBIDDEN,
                            "Data ini (isian 'regency_code') di luar wilayah kerja Anda dan tidak "
                            "diterima server.",
                            "This record ('regency_code') is outside your regency; the server did "
                            "not accept it.")
        if self._parent_mismatch(table, row, change.fields, regency):
            raise Rejection(ErrorCode.FORBIDDEN,
                            "Kunjungan harus berada di wilayah (kabupaten/kota) yang sama dengan "
                            "data yang dikunjungi.",
                            "A visit must be in the same regency as the record it is about.")
        principal = self.principal
        scope = None if principal.role == Role.ADMIN else frozenset({principal.regency_code or ""})
        problems = change_problems(table, change.op, change.row_id, p.values, row,
                                   codes=_codes(self.session), today=lampung_today(), regencies=scope)
        if problems:
            raise _refused(problems[0])
        chain = aid_chain.refusal(self.session, principal, table, row, change.op, p.values)
        if chain is not None:  # the approval chain's rules (steps, the lock on an accepted verdict)
            raise Rejection(chain.code, chain.message_id, chain.message_en)
        return _Merge(self, table, change, row, regency, author).run(p.values)

    def set_row(self, table: Table, row_id: str, values: dict[str, Any], *, new: bool) -> None:
        key = (table.name, row_id)
        if new:
            self.rows[key] = {**_defaults(table, values), **values}
            self.new[key] = table
        else:
            self.rows[key] = {**(self.rows[key] or {}), **values}
            if key not in self.new:
                self.dirty[key] = table

    def _row_versions(self, key: Key) -> dict[str, Version]:
        if key in self.inserted:  # inserted by this batch: spell its versions out now
            version, fields = self.inserted.pop(key)
            self.versions[key] = {n: version for n in fields}
        return self.versions.setdefault(key, {})

    def version(self, table: str, row_id: str, name: str) -> Version | None:
        return self._row_versions((table, row_id)).get(name)

    def record(self, change: Change, table: Table, row: dict[str, Any] | None, regency: str | None,
               wire_fields: dict[str, Any], names: list[str], author: str) -> None:
        owner = (row or {}).get("created_by") or change.fields.get("created_by")
        officer = author  # who the server verified (the sender, or the hand-over's officer)
        index = len(self.applied)
        self.applied.append({
            "change_id": change.change_id, "device_id": self.device_id, "device_seq": change.seq,
            "table_name": table.name, "row_id": change.row_id, "op": change.op,
            "fields": wire_fields, "hlc": change.hlc, "officer_id": officer,
            "owner_officer_id": owner, "regency_code": regency, "received_at": utc_now()})
        fresh = change.op == "insert" and row is None
        if fresh:
            # The insert's applied change stands for every field it set, the
            # whole row (looked up only if a later change of the batch touches it).
            version = Version(change.hlc, self.device_id, officer, -1 - index)
            self.inserted[(table.name, change.row_id)] = (version, wire_fields)
            return
        for name in names:
            version = Version(change.hlc, self.device_id, officer, -1 - index)
            self._row_versions((table.name, change.row_id))[name] = version
            self.field_versions[(table.name, change.row_id, name)] = (index, version)

    def conflict(self, values: dict[str, Any]) -> None:
        self.conflicts.append(values)

    # -- writing, set-based --------------------------------------------------

    def write(self) -> None:
        session = self.session
        connection = session.connection()
        order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
        for name in sorted({t.name for t in self.new.values()}, key=lambda n: order.get(n, 0)):
            table = table_of(name)
            assert table is not None
            rows = [self.rows[k] for k, t in self.new.items() if t.name == name]
            if self.postgres:
                copy_rows(connection, table, rows)
            else:
                connection.execute(insert(table), rows)
        for name in sorted({t.name for t in self.dirty.values()}, key=lambda n: order.get(n, 0)):
            table = table_of(name)
            assert table is not None
            rows = [self.rows[k] for k, t in self.dirty.items() if t.name == name]
            columns = [c.name for c in table.columns if c.name != "id"]
            connection.execute(update(table).where(table.c.id == bindparam("_id")),
                               [{"_id": r["id"], **{c: r[c] for c in columns}} for r in rows])
        if self.applied:
            log = AppliedChange.__table__
            if self.postgres:
                # The rows are encoded and copied into a staging table first;
                # under the lock only the numbers are drawn and the rows moved
                # inside PostgreSQL, so the section every worker waits for holds
                # no Python work per row (it was a third of a batch's time).
                stage_applied(connection, self.applied)
                lock_log(session)
                seqs = sorted(connection.scalars(text(
                    "SELECT nextval(pg_get_serial_sequence('applied_change', 'server_seq')) "
                    "FROM generate_series(1, :n)"), {"n": len(self.applied)}))
                connection.execute(MOVE_STAGED, {"seqs": seqs})
                connection.execute(CLEAR_STAGED)
            else:
                lock_log(session)
                seqs = list(connection.scalars(
                    insert(log).returning(log.c.server_seq, sort_by_parameter_order=True),
                    self.applied))
            if self.field_versions:
                self._write_versions(seqs)
        if self.conflicts:
            connection.execute(insert(Conflict.__table__), self.conflicts)
        _write_rejected(session, self.device_id, self.outcome.rejected)

    def _write_versions(self, seqs: list[int]) -> None:
        rows = [{"table_name": t, "row_id": r, "field": f, "hlc": v.hlc, "device_id": v.device_id,
                 "officer_id": v.officer_id, "server_seq": seqs[index]}
                for (t, r, f), (index, v) in self.field_versions.items()]
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        statement = upsert(FieldVersion.__table__)
        statement = statement.on_conflict_do_update(
            index_elements=["table_name", "row_id", "field"],
            set_={c: statement.excluded[c] for c in ("hlc", "device_id", "officer_id",
                                                     "server_seq")})
        self.session.connection().execute(statement, rows)

    def report(self, outcome: Outcome) -> None:
        outcome.applied += self.outcome.applied
        outcome.conflicts += self.outcome.conflicts
        outcome.rejected += self.outcome.rejected


def copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows into a PostgreSQL table with COPY: no SQL text with thousands of
    parameters to build and parse (a multi-row INSERT of 250 surveys has
    ~9,000), the way the raw limit in benchmarks/sync_ingest.py writes them.
    Values go through the columns' own bind processing first; a refusal
    comes out as SQLAlchemy's error (IntegrityError, DataError) like any
    statement's."""
    if not rows:
        return
    dialect = connection.dialect
    columns = [c for c in table.columns if c.name in rows[0]]
    processors = [c.type._cached_bind_processor(dialect) for c in columns]  # noqa: SLF001
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN"
    raw = connection.connection.driver_connection
    dbapi = dialect.loaded_dbapi
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([value if process is None or value is None else process(value)
                                for value, process in zip((row[c.name] for c in columns),
                                                          processors)])
    except dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, dbapi.Error) from exc


#: Applied changes of a batch before their numbers: a temporary table of
#: the connection (created once, emptied at each commit and after each move).
STAGING = "tapis_applied_staging"
_LOG_COLUMNS = [c.name for c in AppliedChange.__table__.columns if c.name != "server_seq"]
_STAGED = Table(STAGING, MetaData(),
                *(Column(c.name, c.type) for c in AppliedChange.__table__.columns
                  if c.name != "server_seq"),
                Column("ord", Integer))
MOVE_STAGED = text(
    f"INSERT INTO applied_change (server_seq, {', '.join(_LOG_COLUMNS)}) "
    f"SELECT n.seq, {', '.join('s.' + c for c in _LOG_COLUMNS)} FROM {STAGING} s "
    "JOIN unnest(CAST(:seqs AS bigint[])) WITH ORDINALITY AS n(seq, ord) ON n.ord = s.ord + 1"
).bindparams(bindparam("seqs", type_=ARRAY(BigInteger)))
CLEAR_STAGED = text(f"DELETE FROM {STAGING}")


def stage_applied(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """The batch's applied changes, in order, into the staging table (COPY)."""
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ON COMMIT DELETE ROWS AS "
        "SELECT *, 0::integer AS ord FROM applied_change WITH NO DATA")
    copy_rows(connection, _STAGED, [{**row, "ord": index} for index, row in enumerate(rows)])


def _codes(session: Session) -> ChangeCodes:
    """The reference codes, read once per request's session."""
    if "change_codes" not in session.info:
        session.info["change_codes"] = read_codes(session)
    return session.info["change_codes"]  # type: ignore[no-any-return]


def _not_on_server() -> Rejection:
    return Rejection(ErrorCode.NOT_FOUND,
                     "Data yang diubah belum ada di server; ambil data terbaru dahulu.",
                     "The changed record is not on the server; pull first.")


def lampung_today():  # type: ignore[no-untyped-def]
    """Today where the laptops are (UTC+7, WIB; a day's grace for UTC+8/9):
    a child born today has a NIK whose birth date is today."""
    return (utc_now() + timedelta(hours=9)).date()


def _refused(problem: Problem) -> Rejection:
    return Rejection(ErrorCode.INVALID,
                     f"Isian '{problem.field}' ditolak ({problem.rule}): {problem.id}",
                     f"Field '{problem.field}' refused ({problem.rule}): {problem.en}")


def _check_identity(session: Session, principal: Principal, device_id: str, change: Change,
                    row: dict[str, Any] | None) -> str:
    """Who wrote the change, as verified; refused when a claim differs.

    The sender is the token's officer on its (proven) device, or a bundle's
    verified author. A change may name another officer as its author only
    in the hand-over of issue 13: that officer was deactivated, belongs to
    the sender's regency and had signed in on this same device (a colleague
    sends the work they left on a shared laptop). Naming anyone else,
    another device, or taking over another's record is refused with the field."""
    author = change.officer_id or principal.officer_id
    if author != principal.officer_id and not _handed_over(session, principal, device_id, author):
        raise _impersonation("officer_id")
    claims = {"fields.officer_id": (change.fields.get("officer_id"), author),
              "fields.device_id": (change.fields.get("device_id"), device_id)}
    if "created_by" in change.fields:
        claims["fields.created_by"] = (change.fields["created_by"],
                                       (row or {}).get("created_by") or author)
    for name, (claimed, verified) in claims.items():
        if claimed is not None and claimed != verified:
            raise _impersonation(name)
    return author


def _impersonation(name: str) -> Rejection:
    return Rejection(ErrorCode.FORBIDDEN,
                     f"Isian '{name}' menyebut petugas atau perangkat lain daripada yang "
                     "mengirim (atau petugas yang belum pernah masuk di laptop ini); perubahan "
                     "ini tidak diterima. Kirim dari laptop petugas itu.",
                     f"'{name}' names another officer or device than the one sending (or an "
                     "officer who never signed in on this laptop); the change was not "
                     "accepted. Send it from that officer's laptop.")


def signed_in_on(session: Session, officer_id: str, device_id: str) -> bool:
    """Whether a token was ever issued to this officer on this device: the
    server's proof that the officer used that laptop (kept per request)."""
    known = session.info.setdefault("signed_in_on", {})
    if (officer_id, device_id) not in known:
        known[(officer_id, device_id)] = session.scalar(select(Token.token_hash).where(
            Token.officer_id == officer_id, Token.device_id == device_id).limit(1)) is not None
    return bool(known[(officer_id, device_id)])


def _handed_over(session: Session, principal: Principal, device_id: str, claimed: Any) -> bool:
    """``claimed`` is a deactivated officer of the sender's regency who signed
    in on this device: their unsent work may be sent by the sender."""
    if not isinstance(claimed, str):
        return False
    key = ("handed_over", device_id, claimed)
    if key not in session.info:
        other = session.get(Officer, claimed)
        session.info[key] = bool(
            other is not None and not other.active and other.regency_code is not None
            and (principal.role == Role.ADMIN or other.regency_code == principal.regency_code)
            and signed_in_on(session, claimed, device_id))
    return bool(session.info[key])


def _rejected(change: Change, exc: Rejection) -> Rejected:
    return Rejected(seq=change.seq, code=exc.code, message_id=exc.message_id,
                    message_en=exc.message_en)


_INT64 = range(-(2 ** 63), 2 ** 63)


def _check_storable(change: Change, values: dict[str, Any]) -> None:
    """What both databases can hold: 64-bit integers, text without NUL; and
    a row keeps the id it was created with."""
    if change.hlc not in _INT64:
        raise WireError("hlc", "a 64-bit clock stamp")
    if values.get("id", change.row_id) != change.row_id:
        raise WireError("id", "the change's row_id")
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, int) and not isinstance(item, bool) and item not in _INT64:
                raise WireError(name, "a 64-bit integer")
            if isinstance(item, str) and "\x00" in item:
                raise WireError(name, "text without NUL characters")




class _Merge:
    """One change merged into one row of the batch; records what was applied and lost."""

    def __init__(self, batch: _Batch, table: Table, change: Change,
                 row: dict[str, Any] | None, regency: str | None, author: str) -> None:
        self.batch, self.table, self.change, self.author = batch, table, change, author
        self.device_id, self.row, self.regency = batch.device_id, row, regency
        self.conflicts = 0

    def run(self, values: dict[str, Any]) -> int:
        change = self.change
        if self.row is None:
            if change.op != "insert":
                raise _not_on_server()
            self._insert(values)
            return 0
        if change.op == "delete":
            self._tombstone()
            return 0
        self._update(values)
        return self.conflicts

    def _insert(self, values: dict[str, Any]) -> None:
        """A complete row: the columns the change left out get the defaults
        the laptop's models give them, and the applied change carries every
        column as stored, so a laptop that pulls it can insert it whole."""
        self.batch.set_row(self.table, self.change.row_id, {**values, "id": self.change.row_id},
                           new=True)
        stored = self.batch.rows[(self.table.name, self.change.row_id)] or {}
        self._record(to_wire(self.table, stored), [n for n in stored if n != "id"])

    def _tombstone(self) -> None:
        # The server keeps its own values of every other field the delete
        # carried (updated_at, the writer stamps) and sends them back, so the
        # deleting device converges.
        kept = self._server_values([n for n in self.change.fields if n != "deleted_at"])
        if self.row and self.row.get("deleted_at") is not None:
            self._record({**kept, **self._server_values(["deleted_at"])}, [])
            return
        now = utc_now()
        self.batch.set_row(self.table, self.change.row_id, {"deleted_at": now}, new=False)
        self._record({**kept, **to_wire(self.table, {"deleted_at": now})}, ["deleted_at"])

    def _update(self, values: dict[str, Any]) -> None:
        row = self.row or {}
        if row.get("deleted_at") is not None:
            self._keep_all(values, "auto")  # tombstones win over edits
            return
        if self.table.name in VISIT_TABLES and row.get("status") == VisitStatus.FINALISED:
            self._keep_all(values, "open")  # a finalised visit is never changed by a merge
            return
        accepted = {}
        for name, value in values.items():
            if name in STAMP_FIELDS or self._wins(name, value):
                accepted[name] = value
        lost = [name for name in values if name not in accepted]
        if not set(accepted) - STAMP_FIELDS:
            # Nothing the officer changed was taken: the writer stamps stay the
            # server's too, and go back so the device converges.
            self._record(self._server_values(list(values)), [])
            return
        # The row keeps its updated_at unless the change sets it (without_onupdate).
        self.batch.set_row(self.table, self.change.row_id, accepted, new=False)
        wire = {k: self.change.fields[k] for k in accepted}
        self._record({**wire, **self._server_values(lost)}, list(accepted))

    def _server_values(self, names: list[str]) -> dict[str, Any]:
        """The server's values of fields an incoming change lost, so the
        device that sent them converges when it pulls this change back."""
        row = self.row or {}
        return to_wire(self.table, {n: row.get(n) for n in names})

    def _wins(self, name: str, value: Any) -> bool:
        version = self.batch.version(self.table.name, self.change.row_id, name)
        current = (self.row or {}).get(name)
        concurrent = (version is not None and version.server_seq > self.change.base_seq
                      and version.device_id != self.device_id)
        if not concurrent or current == value:
            return True
        assert version is not None
        if self._audit_field(name):
            self._conflict(name, current, value, version, "open")
            return False
        later = (self.change.hlc, self.device_id) > (version.hlc, version.device_id)
        if later:
            self._conflict(name, value, current, version, "auto", incoming_kept=True)
            return True
        self._conflict(name, current, value, version, "auto")
        return False

    def _audit_field(self, name: str) -> bool:
        return self.table.name in VISIT_TABLES or name in AUDIT_FIELDS.get(self.table.name, ())

    def _keep_all(self, values: dict[str, Any], status: str) -> None:
        for name, value in values.items():
            if name not in STAMP_FIELDS and value != (self.row or {}).get(name):
                self._conflict(name, (self.row or {}).get(name), value, None, status)
        self._record(self._server_values(list(values)), [])

    def _conflict(self, name: str, kept: Any, other: Any, version: Version | None,
                  status: str, *, incoming_kept: bool = False) -> None:
        self.conflicts += 1
        server_officer = version.officer_id if version else (self.row or {}).get("officer_id")
        server_hlc = version.hlc if version else 0
        mine = (self.author, self.change.hlc)
        theirs = (server_officer, server_hlc)
        (kept_by, kept_hlc), (other_by, other_hlc) = (mine, theirs) if incoming_kept else (theirs, mine)
        self.batch.conflict(dict(
            id=uuid7(), table_name=self.table.name, row_id=self.change.row_id, field=name,
            kept_value=to_wire(self.table, {name: kept})[name],
            other_value=to_wire(self.table, {name: other})[name],
            kept_officer_id=kept_by, other_officer_id=other_by, kept_hlc=kept_hlc,
            other_hlc=other_hlc, status=status, regency_code=self.regency,
            created_at=utc_now(), settled_by=None, settled_at=None))

    def _record(self, wire_fields: dict[str, Any], names: list[str]) -> None:
        self.batch.record(self.change, self.table, self.row, self.regency, wire_fields, names,
                          self.author)


def record_versions(session: Session, table: str, row_id: str, names: list[str], *, hlc: int,
                    device_id: str, officer_id: str | None, server_seq: int,
                    fresh_row: bool = False) -> None:
    """Who set these fields of a row, and when: two statements for any number
    of fields (a survey insert sets ~40; one ORM merge each was most of the
    server's time per change)."""
    if not names:
        return
    if not fresh_row:
        session.execute(delete(FieldVersion).where(
            FieldVersion.table_name == table, FieldVersion.row_id == row_id,
            FieldVersion.field.in_(names)))
    session.execute(insert(FieldVersion), [
        {"table_name": table, "row_id": row_id, "field": name, "hlc": hlc, "device_id": device_id,
         "officer_id": officer_id, "server_seq": server_seq} for name in names])

