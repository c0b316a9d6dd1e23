"""Conflicts for supervisors: listing them, and settling an open one, where a
supervisor picks a value (one of the two, or a new one) and it becomes the
field's value everywhere.

The choice is applied as a change of its own (device 'server'), stamped after
both contenders, so every laptop in the regency pulls it like any other edit.
A finalised visit record is not rewritten: there the supervisor may only keep
the stored value, and a real correction is a superseding record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.models import VISIT_TABLES, VisitStatus
from desktop_app.models.ids import uuid7
from desktop_app.models.rules.changes import change_problems, read_codes
from desktop_app.models.types import utc_now
from desktop_app.protocol import ConflictInfo, ErrorCode, Role
from desktop_app.protocol.clock import next_stamp
from desktop_app.protocol.wire import WireError, to_python

from . import errors
from .auth import Principal
from .ingest import lampung_today, record_versions
from .scope import table_of, without_onupdate
from .tables import AppliedChange, Conflict, FieldVersion

SERVER_DEVICE = "server"
#: The most conflicts one listing returns.
LISTING_LIMIT = 500


def listed(session: Session, principal: Principal, status: str) -> list[Conflict]:
    """A supervisor's regency's conflicts in ``status`` (every regency's for
    the provincial admin), oldest first; officers may not list them."""
    if principal.role == Role.OFFICER:
        raise errors.forbidden("melihat konflik (khusus supervisor)",
                               "viewing conflicts (supervisors only)")
    query = (select(Conflict).where(Conflict.status == status).order_by(Conflict.id)
             .limit(LISTING_LIMIT))
    if principal.role != Role.ADMIN:
        query = query.where(Conflict.regency_code == principal.regency_code)
    return list(session.scalars(query))


def info(c: Conflict) -> ConflictInfo:
    """A conflict as the protocol describes it."""
    return ConflictInfo(id=c.id, table=c.table_name, row_id=c.row_id, field=c.field,
                        kept_value=c.kept_value, other_value=c.other_value,
                        kept_officer_id=c.kept_officer_id, other_officer_id=c.other_officer_id,
                        kept_hlc=c.kept_hlc, other_hlc=c.other_hlc, status=c.status,
                        regency_code=c.regency_code)


def settle(session: Session, principal: Principal, conflict_id: str, wire_value: Any) -> Conflict:
    conflict = session.scalar(select(Conflict).where(Conflict.id == conflict_id).with_for_update())
    if conflict is None:
        raise errors.not_found("konflik", "conflict")
    if principal.role == Role.OFFICER or not principal.may_see_regency(conflict.regency_code):
        raise errors.forbidden("menyelesaikan konflik ini", "settling this conflict")
    if conflict.status != "open":
        raise errors.ApiError(409, ErrorCode.CONFLICT, "Konflik ini sudah diselesaikan.",
                              "This conflict has already been settled.")
    table = table_of(conflict.table_name)
    assert table is not None
    try:
        value = to_python(table, {conflict.field: wire_value})[conflict.field]
    except WireError as exc:
        raise errors.invalid(f"Nilai tidak sesuai ({exc.expected}).",
                             f"The value does not fit ({exc.expected}).", field=conflict.field) from None
    row = session.execute(select(table).where(table.c.id == conflict.row_id)).mappings().one()
    _check_rules(session, principal, table, conflict, dict(row), value)
    if conflict.table_name in VISIT_TABLES and row["status"] == VisitStatus.FINALISED \
            and value != row[conflict.field]:
        raise errors.ApiError(409, ErrorCode.CONFLICT,
                              "Data kunjungan sudah final: simpan nilai yang ada, lalu buat koreksi.",
                              "The visit record is finalised: keep the stored value and make a "
                              "correction record.")
    _apply(session, principal, conflict, table, row, value, wire_value)
    conflict.status, conflict.settled_by, conflict.settled_at = "settled", principal.officer_id, utc_now()
    return conflict


def _check_rules(session: Session, principal: Principal, table: Any, conflict: Conflict,
                 row: dict[str, Any], value: Any) -> None:
    """The settled value keeps the same rules as any change (shared models)."""
    scope = None if principal.role == Role.ADMIN else frozenset({principal.regency_code or ""})
    problems = change_problems(table, "update", conflict.row_id, {conflict.field: value}, row,
                               codes=read_codes(session), today=lampung_today(),
                               regencies=scope)
    if problems:
        raise errors.invalid(f"{problems[0].id}", f"{problems[0].en}", field=problems[0].field,
                             rule=problems[0].rule)


def _apply(session: Session, principal: Principal, conflict: Conflict, table: Any,
           row: Any, value: Any, wire_value: Any) -> None:
    version = session.get(FieldVersion, (conflict.table_name, conflict.row_id, conflict.field))
    stamp = next_stamp(max(conflict.kept_hlc, conflict.other_hlc, version.hlc if version else 0),
                       int(utc_now().timestamp() * 1000))
    session.execute(update(table).where(table.c.id == conflict.row_id)
                    .values(without_onupdate(table, dict(row), {conflict.field: value})))
    applied = AppliedChange(change_id=uuid7(), device_id=SERVER_DEVICE, device_seq=0,
                            table_name=conflict.table_name, row_id=conflict.row_id, op="update",
                            fields={conflict.field: wire_value}, hlc=stamp,
                            officer_id=principal.officer_id, owner_officer_id=row["created_by"],
                            regency_code=conflict.regency_code)
    session.add(applied)
    session.flush()
    record_versions(session, conflict.table_name, conflict.row_id, [conflict.field], hlc=stamp,
                    device_id=SERVER_DEVICE, officer_id=principal.officer_id,
                    server_seq=applied.server_seq)
