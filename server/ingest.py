"""Applying a pushed batch: once per (device, seq), merged field by field.

The batch is applied in the caller's transaction. Each change runs in a
savepoint, so one bad change is rejected (and reported for the officer to
see) without losing the others. The device's ``last_seq`` moves past every
settled change, which is what makes a resent batch harmless.

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

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.models import STAMP_FIELDS, VISIT_TABLES, VisitStatus
from desktop_app.models.errors import TapisError
from desktop_app.models.rules.changes import ChangeCodes, change_problems, read_codes
from desktop_app.models.rules.problems import Problem
from desktop_app.models.types import utc_now
from desktop_app.protocol import Change, ErrorCode, PushResponse, Rejected, Role
from desktop_app.protocol.wire import WireError, to_python, to_wire

from . import aid_chain, errors
from .auth import Principal
from .scope import (
    may_write, parent_regency_mismatch, row_regency, table_of, without_onupdate,
)
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
    for change in sorted(changes, key=lambda c: c.seq):
        if change.seq <= device.last_seq:
            if change.seq in told:
                outcome.rejected.append(told[change.seq])  # say it again, not 'duplicate'
            else:
                outcome.duplicates += 1
            continue
        if change.seq != device.last_seq + 1:
            if device.last_seq < min(c.seq for c in changes):
                raise errors.ApiError(409, ErrorCode.SEQUENCE_GAP,
                                      "Ada perubahan yang terlewat; kirim ulang dari urutan yang diminta.",
                                      "Changes are missing; resend from the expected sequence.",
                                      {"expected_seq": device.last_seq + 1})
            break  # a gap inside the batch: ack the contiguous part only
        _settle(session, principal, device_id, change, outcome)
        device.last_seq = change.seq
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


def _reject(session: Session, device_id: str, outcome: Outcome, rejected: Rejected) -> None:
    outcome.rejected.append(rejected)
    session.add(RejectedChange(device_id=device_id, device_seq=rejected.seq,
                               code=rejected.code.value, message_id=rejected.message_id[:500],
                               message_en=rejected.message_en[:500]))


def _settle(session: Session, principal: Principal, device_id: str, change: Change,
            outcome: Outcome) -> None:
    if session.scalar(select(AppliedChange.server_seq).where(
            AppliedChange.change_id == change.change_id)) is not None:
        outcome.duplicates += 1  # arrived before by another route (a bundle)
        return
    try:
        with session.begin_nested():
            outcome.conflicts += _apply(session, principal, device_id, change)
        outcome.applied += 1
    except Rejection as exc:
        _reject(session, device_id, outcome, Rejected(seq=change.seq, code=exc.code,
                                                      message_id=exc.message_id,
                                                      message_en=exc.message_en))
    except IntegrityError:
        _reject(session, device_id, outcome, Rejected(
            seq=change.seq, code=ErrorCode.INVALID,
            message_id="Data merujuk ke data lain yang tidak ada di server (atau duplikat).",
            message_en="The record refers to another record the server does not have (or duplicates one)."))


def _apply(session: Session, principal: Principal, device_id: str, change: Change) -> int:
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
    row = _load(session, table, change.row_id)
    if row is None and change.op != "insert":
        raise _not_on_server()
    author = _check_identity(session, principal, device_id, change, row)
    regency = row_regency(session, table, row, change.fields)
    stored = row_regency(session, table, row, {}) if row else regency  # before the change
    if not may_write(principal, regency, stored):
        raise Rejection(ErrorCode.FORBIDDEN,
                        "Data ini (isian 'regency_code') di luar wilayah kerja Anda dan tidak "
                        "diterima server.",
                        "This record ('regency_code') is outside your regency; the server did "
                        "not accept it.")
    if parent_regency_mismatch(session, table, row, change.fields, regency):
        raise Rejection(ErrorCode.FORBIDDEN,
                        "Kunjungan harus berada di wilayah (kabupaten/kota) yang sama dengan "
                        "data yang dikunjungi.",
                        "A visit must be in the same regency as the record it is about.")
    scope = None if principal.role == Role.ADMIN else frozenset({principal.regency_code or ""})
    problems = change_problems(table, change.op, change.row_id, values, row,
                               codes=_codes(session), today=lampung_today(), regencies=scope)
    if problems:
        raise _refused(problems[0])
    chain = aid_chain.refusal(session, principal, table, row, change.op, values)
    if chain is not None:  # the approval chain's rules (steps, the lock on an accepted verdict)
        raise Rejection(chain.code, chain.message_id, chain.message_en)
    merge = _Merge(session, table, change, device_id, author, row, regency)
    return merge.run(values)


def _codes(session: Session) -> ChangeCodes:
    """The reference codes, read once per request's session."""
    if "change_codes" not in session.info:
        session.info["change_codes"] = read_codes(session)
    return session.info["change_codes"]


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


def _defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The model's default of every column ``values`` leaves out."""
    filled = {}
    for column in table.columns:
        default = column.default
        if column.name in values or default is None or not hasattr(default, "arg"):
            continue
        filled[column.name] = default.arg(None) if callable(default.arg) else default.arg
    return filled


def _load(session: Session, table: Table, row_id: str) -> dict[str, Any] | None:
    found = session.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(found) if found is not None else None


class _Merge:
    """One change merged into one row; records what was applied and lost."""

    def __init__(self, session: Session, table: Table, change: Change, device_id: str,
                 officer_id: str, row: dict[str, Any] | None, regency: str | None) -> None:
        self.session, self.table, self.change = session, table, change
        self.device_id, self.officer_id = device_id, officer_id
        self.row, self.regency = row, regency
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
        values = {**_defaults(self.table, values), **values, "id": self.change.row_id}
        self.session.execute(insert(self.table).values(**values))
        self._record(to_wire(self.table, values), [n for n in values if n != "id"])

    def _tombstone(self) -> None:
        # The server keeps its own values of every other field the delete
        # carried (updated_at, the writer stamps) and sends them back, so the
        # deleting device converges.
        kept = self._server_values([n for n in self.change.fields if n != "deleted_at"])
        if self.row and self.row.get("deleted_at") is not None:
            self._record({**kept, **self._server_values(["deleted_at"])}, [])
            return
        now = utc_now()
        self.session.execute(update(self.table).where(self.table.c.id == self.change.row_id)
                             .values(without_onupdate(self.table, self.row or {},
                                                      {"deleted_at": now})))
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
        self.session.execute(update(self.table).where(self.table.c.id == self.change.row_id)
                             .values(without_onupdate(self.table, row, accepted)))
        wire = {k: self.change.fields[k] for k in accepted}
        self._record({**wire, **self._server_values(lost)}, list(accepted))

    def _server_values(self, names: list[str]) -> dict[str, Any]:
        """The server's values of fields an incoming change lost, so the
        device that sent them converges when it pulls this change back."""
        row = self.row or {}
        return to_wire(self.table, {n: row.get(n) for n in names})

    def _wins(self, name: str, value: Any) -> bool:
        version = self.session.get(FieldVersion, (self.table.name, self.change.row_id, name))
        current = (self.row or {}).get(name)
        concurrent = (version is not None and version.server_seq > self.change.base_seq
                      and version.device_id != self.device_id)
        if not concurrent or current == value:
            return True
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

    def _conflict(self, name: str, kept: Any, other: Any, version: FieldVersion | None,
                  status: str, *, incoming_kept: bool = False) -> None:
        self.conflicts += 1
        server_officer = version.officer_id if version else (self.row or {}).get("officer_id")
        server_hlc = version.hlc if version else 0
        mine = (self.officer_id, self.change.hlc)
        theirs = (server_officer, server_hlc)
        (kept_by, kept_hlc), (other_by, other_hlc) = (mine, theirs) if incoming_kept else (theirs, mine)
        self.session.add(Conflict(
            table_name=self.table.name, row_id=self.change.row_id, field=name,
            kept_value=to_wire(self.table, {name: kept})[name],
            other_value=to_wire(self.table, {name: other})[name],
            kept_officer_id=kept_by, other_officer_id=other_by, kept_hlc=kept_hlc,
            other_hlc=other_hlc, status=status, regency_code=self.regency))

    def _record(self, wire_fields: dict[str, Any], names: list[str]) -> None:
        change = self.change
        owner = (self.row or {}).get("created_by") or change.fields.get("created_by")
        applied = AppliedChange(
            change_id=change.change_id, device_id=self.device_id, device_seq=change.seq,
            table_name=self.table.name, row_id=change.row_id, op=change.op,
            fields=wire_fields, hlc=change.hlc, officer_id=self.officer_id,
            owner_officer_id=owner, regency_code=self.regency)
        self.session.add(applied)
        self.session.flush()
        record_versions(self.session, self.table.name, change.row_id, names, hlc=change.hlc,
                        device_id=self.device_id, officer_id=self.officer_id,
                        server_seq=applied.server_seq, fresh_row=change.op == "insert" and not self.row)


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

