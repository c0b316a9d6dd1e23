"""Lists of records, filtered and paged, for the GUI's item models.

A page is read with LIMIT/OFFSET over an indexed order, and the total with
one COUNT over the same filter, so a list over 100,000 records never loads
them all. Rows are plain dicts; NIKs come masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, column, exists, false, func, literal_column, select, table
from sqlalchemy.orm import aliased

from ..models.rules.nik import mask_nik
from ..store import Store
from ..store.fts import MatchQuery
from .kinds import Kind, kind_of

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class ListFilter:
    regency_code: str | None = None
    district_code: str | None = None  # of the entity (a visit's: of the entity visited)
    village: str | None = None
    status: str | None = None  # visits only: draft|finalised
    officer_id: str | None = None
    current_only: bool = True  # visits: hide records a correction replaced
    text: str | None = None  # what was typed in the search box: words or a whole NIK


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    offset: int




#: Columns a list may be sorted by, per kind; anything else sorts newest first.
SORTABLE_ENTITY = ("title", "village", "regency_code", "district_code", "updated_at")
SORTABLE_VISIT = ("visit_date", "title", "village", "status", "result", "updated_at")


def sortable(kind_name: str) -> tuple[str, ...]:
    return SORTABLE_VISIT if kind_of(kind_name).is_visit else SORTABLE_ENTITY


def list_records(store: Store, kind_name: str, flt: ListFilter = ListFilter(), *,
                 offset: int = 0, limit: int = 100, newest_first: bool = True,
                 sort: str | None = None, descending: bool = False, with_total: bool = True) -> Page:
    """One page of live (not deleted) records of a kind, with the total.

    Without ``sort`` the order is the id's (UUIDv7: creation time), which the
    primary key serves without sorting; a chosen column is sorted with the id
    as tie-breaker so pages never overlap. A list scrolling to a further page
    already knows the total: ``with_total=False`` skips the count (total -1).
    """
    kind = kind_of(kind_name)
    limit = max(1, min(limit, MAX_PAGE))
    query = _visit_query(kind, flt) if kind.is_visit else _entity_query(kind, flt)
    query = _matching(kind, query, flt.text)
    model = kind.model
    order: tuple[Any, ...] = (model.id.desc(),) if newest_first else (model.id,)
    if sort in sortable(kind_name):
        column = query.selected_columns[sort]
        order = ((column.desc(), model.id.desc()) if descending else (column, model.id))
    with store.read() as session:
        total = (session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
                 if with_total else -1)
        rows = session.execute(query.order_by(*order).offset(offset).limit(limit)).mappings().all()
    return Page([_masked(kind, dict(r)) for r in rows], int(total or 0), offset)


def _entity_query(kind: Kind, flt: ListFilter) -> Select[Any]:
    model = kind.model
    columns = [model.id, getattr(model, kind.title_field).label("title"), model.regency_code,
               model.district_code, model.village, model.updated_at, model.officer_id]
    if kind.nik_field:
        columns.append(getattr(model, kind.nik_field).label("nik"))
    query = select(*columns).where(model.deleted_at.is_(None))
    for name in ("regency_code", "district_code", "village", "officer_id"):
        value = getattr(flt, name)
        if value:
            query = query.where(getattr(model, name) == value)
    return query


def _visit_query(kind: Kind, flt: ListFilter) -> Select[Any]:
    model = kind.model
    parent_kind = kind_of(kind.parent_kind or "")
    parent = parent_kind.model
    columns = [model.id, model.visit_date, model.status, model.regency_code, model.officer_id,
               model.updated_at, model.supersedes_id,
               getattr(parent, parent_kind.title_field).label("title"), parent.village,
               getattr(model, kind.result_field or "").label("result")]
    query = (select(*columns)
             .join(parent, parent.id == getattr(model, kind.parent_field or ""))
             .where(model.deleted_at.is_(None)))
    for name in ("regency_code", "status", "officer_id"):
        value = getattr(flt, name)
        if value:
            query = query.where(getattr(model, name) == value)
    for name in ("district_code", "village"):
        value = getattr(flt, name)
        if value:
            query = query.where(getattr(parent, name) == value)
    if flt.current_only:
        newer = aliased(model)
        query = query.where(~exists().where(newer.supersedes_id == model.id,
                                            newer.deleted_at.is_(None)))
    return query


def _matching(kind: Kind, query: Select[Any], typed: str | None) -> Select[Any]:
    """Narrow to the entities matching the search box: by full-text words, or
    by equality for a whole NIK (NIKs are not in the full-text index).
    Visits match through the entity they visit."""
    if not typed or not typed.strip():
        return query
    entity_kind = kind_of(kind.parent_kind) if kind.is_visit and kind.parent_kind else kind
    entity = entity_kind.model
    typed = typed.strip()
    nik_field = entity_kind.nik_field
    if typed.isdigit() and len(typed) == 16:
        if nik_field is None:
            return query.where(false())
        return query.where(getattr(entity, nik_field) == typed)
    match = MatchQuery.from_text(typed)
    if match is None:
        return query.where(false())
    fts = table(f"{entity_kind.model.__tablename__}_fts", column("rowid"))
    hits = (select(fts.c.rowid).where(literal_column(f"{fts.name}").op("MATCH")(match.expression)))
    return query.where(literal_column(f"{entity.__tablename__}.rowid").in_(hits.scalar_subquery()))


def _masked(kind: Kind, row: dict[str, Any]) -> dict[str, Any]:
    if "nik" in row:
        row["nik"] = mask_nik(row["nik"])
    return row
