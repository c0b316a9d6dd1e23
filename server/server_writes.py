"""Rows the server itself writes (an imported applicant list, a step of the
approval chain taken at the server's command line, a merge of duplicate
businesses): each written as a change of device 'server', recorded in the
applied-change log and the field versions, so every laptop in scope pulls
it like any other officer's edit (as a settled conflict is,
server/conflicts.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from desktop_app.models import Base
from desktop_app.models.ids import uuid7
from desktop_app.models.types import utc_now
from desktop_app.protocol.clock import next_stamp
from desktop_app.protocol.wire import to_wire

from .ingest import record_versions
from .scope import without_onupdate
from .tables import AppliedChange, FieldVersion

SERVER_DEVICE = "server"


def _stamp(session: Session, table: str, row_id: str) -> int:
    last = session.scalar(select(func.max(FieldVersion.hlc)).where(
        FieldVersion.table_name == table, FieldVersion.row_id == row_id)) or 0
    return next_stamp(last, int(utc_now().timestamp() * 1000))


def insert_row(session: Session, table_name: str, values: dict[str, Any], *, officer_id: str,
               regency_code: str | None) -> dict[str, Any]:
    """Insert a synced row with the server's stamps; returns the values stored."""
    table: Table = Base.metadata.tables[table_name]
    now = utc_now()
    row = {"id": uuid7(), "created_at": now, "updated_at": now, "created_by": officer_id,
           "officer_id": officer_id, "device_id": SERVER_DEVICE, "deleted_at": None, **values}
    for column in table.columns:  # a complete row: the laptops insert it as it comes
        if column.name not in row:
            default = getattr(column.default, "arg", None)
            row[column.name] = None if callable(default) else default
    session.execute(insert(table).values(**row))
    _log(session, table, row["id"], "insert", row, officer_id=officer_id, owner=row["created_by"],
         regency_code=regency_code)
    return row


def update_row(session: Session, table_name: str, row_id: str, values: dict[str, Any], *,
               officer_id: str, regency_code: str | None) -> None:
    """Change some fields of a synced row as the server."""
    table: Table = Base.metadata.tables[table_name]
    current = dict(session.execute(select(table).where(table.c.id == row_id)).mappings().one())
    stamped = {**values, "updated_at": utc_now(), "officer_id": officer_id,
               "device_id": SERVER_DEVICE}
    session.execute(update(table).where(table.c.id == row_id)
                    .values(without_onupdate(table, current, stamped)))
    _log(session, table, row_id, "update", stamped, officer_id=officer_id,
         owner=current["created_by"], regency_code=regency_code)


def _log(session: Session, table: Table, row_id: str, op: str, values: dict[str, Any], *,
         officer_id: str, owner: str | None, regency_code: str | None) -> None:
    stamp = _stamp(session, table.name, row_id)
    applied = AppliedChange(change_id=uuid7(), device_id=SERVER_DEVICE, device_seq=0,
                            table_name=table.name, row_id=row_id, op=op,
                            fields=to_wire(table, values), hlc=stamp, officer_id=officer_id,
                            owner_officer_id=owner, regency_code=regency_code)
    session.add(applied)
    session.flush()
    record_versions(session, table.name, row_id, [n for n in values if n != "id"], hlc=stamp,
                    device_id=SERVER_DEVICE, officer_id=officer_id,
                    server_seq=applied.server_seq, fresh_row=op == "insert")
