"""Which regency a row belongs to, and whether a caller may touch it.

Every read and write is scoped: officers and supervisors to their regency,
the provincial admin to all. Visits and entities carry ``regency_code``;
an attachment belongs to the regency of the record it is attached to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from desktop_app.models import RECORD_KINDS, Base, synced_tables

from .auth import Principal

SYNCED = frozenset(synced_tables())


def table_of(name: str) -> Table | None:
    return Base.metadata.tables.get(name) if name in SYNCED else None


def row_regency(session: Session, table: Table, row: dict[str, Any] | None,
                fields: dict[str, Any]) -> str | None:
    """The regency of the row after the change (fields win over the stored row)."""
    return regency_after(table, row, fields, lambda owner, owner_id: session.scalar(
        select(owner.c.regency_code).where(owner.c.id == owner_id)))


def regency_after(table: Table, row: dict[str, Any] | None, fields: dict[str, Any],
                  owner_regency: Callable[[Table, str], str | None]) -> str | None:
    """The row's own regency, or (an attachment) its owner's, found by
    ``owner_regency(owner table, owner id)``: a query here, the batch's
    loaded rows at ingest."""
    if "regency_code" in table.columns:
        return fields.get("regency_code") or (row or {}).get("regency_code")
    owner_table = fields.get("owner_table") or (row or {}).get("owner_table")
    owner_id = fields.get("owner_id") or (row or {}).get("owner_id")
    owner = table_of(str(owner_table))
    if owner is None or owner_id is None or "regency_code" not in owner.columns:
        return None
    return owner_regency(owner, str(owner_id))


def parent_regency_mismatch(session: Session, table: Table, row: dict[str, Any] | None,
                            fields: dict[str, Any], regency: str | None) -> bool:
    """True when a visit would sit in another regency than the entity it is
    about: the laptop derives the visit's regency from the entity, so only a
    forged change can disagree, e.g. to reach another regency's business."""
    kind = RECORD_KINDS.get(table.name)
    if kind is None or not kind.parent_field or not kind.parent_kind:
        return False
    parent_id = fields.get(kind.parent_field) or (row or {}).get(kind.parent_field)
    parent = table_of(kind.parent_kind)
    if parent_id is None or parent is None:
        return False
    parent_regency = session.scalar(select(parent.c.regency_code).where(parent.c.id == parent_id))
    return parent_regency is not None and parent_regency != regency


def may_write(principal: Principal, *regencies: str | None) -> bool:
    return all(principal.may_see_regency(r) for r in regencies)


def without_onupdate(table: Table, row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus the row's current value of every column with a
    Python-side ``onupdate`` (updated_at): the server writes exactly what the
    laptops wrote, never a stamp of its own that no laptop would pull."""
    frozen = {c.name: row[c.name] for c in table.columns
              if c.onupdate is not None and c.name not in values and c.name in row}
    return {**frozen, **values}
