"""The console's record tables: filters, search, sort and keyset paging over
the shared record tables, always within the caller's regency.

Six kinds (the shared RECORD_KINDS): three entities (businesses,
cooperatives, aid applicants) and a visit kind for each. A page is read by
keyset (the sort value and the id of the last row shown), so page 500 costs
what page 1 does; the s0010 indexes serve each order, within a regency or
across the province. A search is by name (part of it, any case), by a whole
NIK (16 digits; sent in a form's body, never in an address) or by a whole
NIB (13 digits).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.models import RECORD_KINDS, Region, RecordKind, VisitStatus
from desktop_app.models.rules.nik import mask_nik
from desktop_app.protocol import Role

from ..tables import Officer
from .sessions import Visitor

PAGE_SIZE = 50
#: Totals are counted exactly up to this many rows; beyond, the page says "more than".
COUNT_CAP = 10_000
#: ... and up to this many for a search by part of a name (a substring scans
#: the table: counting ten thousand matches of a common word read most of it).
SEARCH_COUNT_CAP = 1_000
NIK_SHAPE = re.compile(r"^\d{16}$")
NIB_SHAPE = re.compile(r"^\d{13}$")
#: The URL slug of each kind, and back.
SLUGS = {"business": "businesses", "cooperative": "cooperatives", "aid_applicant": "applicants",
         "umkm_survey": "surveys", "cooperative_audit": "audits",
         "aid_verification": "verifications"}
KIND_OF_SLUG = {slug: kind for kind, slug in SLUGS.items()}
#: Sort keys: (label key, column role, descending)
ENTITY_SORTS = {"name": ("sort_name", "title", False), "-name": ("sort_name_desc", "title", True)}
VISIT_SORTS = {"-date": ("sort_newest", "date", True), "date": ("sort_oldest", "date", False)}


class FilterError(ValueError):
    """A filter the caller may not use (another regency), or a malformed one."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Filters:
    regency: str | None = None
    district: str | None = None
    village: str | None = None
    status: str | None = None
    officer: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""  # a name, or a NIB (never a NIK: that is ``nik``)
    nik: str | None = None
    sort: str = ""
    after: str | None = None
    before: str | None = None

    def query_params(self, **overrides: Any) -> dict[str, str]:
        """What goes in a link's query string: never the NIK."""
        values = replace(self, **overrides) if overrides else self
        out = {}
        for key in ("regency", "district", "village", "status", "officer", "q", "sort", "after",
                    "before"):
            value = getattr(values, key)
            if value:
                out[key] = str(value)
        for key in ("date_from", "date_to"):
            value = getattr(values, key)
            if value:
                out[key] = value.isoformat()
        return out


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError("bad_date") from None


def read_filters(params: Mapping[str, str], visitor: Visitor, kind: RecordKind) -> Filters:
    """The filters of a request, scoped: a supervisor's or officer's regency is
    their own, and asking for another is refused (FilterError('forbidden_regency'))."""
    regency = (params.get("regency") or "").strip() or None
    if visitor.role != Role.ADMIN:
        if regency not in (None, visitor.regency_code):
            raise FilterError("forbidden_regency")
        regency = visitor.regency_code
    district = (params.get("district") or "").strip() or None
    village = (params.get("village") or "").strip() or None
    if district and regency and not district.startswith(regency + "."):
        district = None  # the regency changed; its old district no longer applies
    if village and (not district or not village.startswith(district + ".")):
        village = None
    q = (params.get("q") or "").strip()[:100]
    nik = (params.get("nik") or "").strip() or None
    if NIK_SHAPE.match(q):  # a NIK typed in the name box of a GET: never echo it
        nik, q = q, ""
    sorts = VISIT_SORTS if kind.is_visit else ENTITY_SORTS
    sort = params.get("sort") or next(iter(sorts))
    if sort not in sorts:
        sort = next(iter(sorts))
    status = (params.get("status") or "").strip() or None
    if status not in {s for s, _l in status_choices(kind)}:
        status = None
    return Filters(regency=regency, district=district, village=village, status=status,
                   officer=(params.get("officer") or "").strip() or None,
                   date_from=_date(params.get("date_from")), date_to=_date(params.get("date_to")),
                   q=q, nik=nik if nik and NIK_SHAPE.match(nik) else None, sort=sort,
                   after=params.get("after") or None, before=params.get("before") or None)


def status_choices(kind: RecordKind) -> list[tuple[str, str]]:
    """(value, label key) of the status filter of a kind."""
    if kind.is_visit:
        return [(VisitStatus.DRAFT.value, "status_draft"), (VisitStatus.FINALISED.value, "status_final")]
    if kind.name == "cooperative":
        return [("active", "active"), ("inactive", "inactive")]
    return []


@dataclass
class Row:
    id: str
    title: str
    nik: str = ""
    nib: str = ""
    regency: str = ""
    district: str = ""
    village: str = ""
    status: str = ""
    result: str = ""
    officer: str = ""
    date: str = ""
    parent_id: str = ""


@dataclass
class Page:
    rows: list[Row]
    total: int
    first: bool
    next_cursor: str | None
    previous_cursor: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _parts(kind: RecordKind) -> tuple[Any, Any | None]:
    """(the kind's model, the model of the entity a visit is about or None)."""
    model = kind.model
    parent = RECORD_KINDS[kind.parent_kind].model if kind.parent_kind else None
    return model, parent


def needs_entity(kind: RecordKind, flt: Filters) -> bool:
    """Whether a visit's filters read its entity (place, name, NIK, NIB)."""
    return bool(kind.is_visit and (flt.district or flt.village or flt.nik or flt.q))


def base_query(kind: RecordKind, flt: Filters, *columns: Any, join: bool = True) -> Select[Any]:
    """``columns`` from the kind's table (joined with its entity for a visit,
    unless ``join`` is False and no filter needs it), every filter applied."""
    model, parent = _parts(kind)
    query = select(*columns).select_from(model)
    place = model
    if parent is not None and not join and not needs_entity(kind, flt):
        parent = None
    if parent is not None:
        query = query.join(parent, parent.id == getattr(model, kind.parent_field or ""))
        place = parent
    entity = parent or model
    entity_kind = RECORD_KINDS[kind.parent_kind] if kind.parent_kind and parent is not None \
        else kind
    where: list[Any] = [model.deleted_at.is_(None)]
    if flt.regency:
        where.append(model.regency_code == flt.regency)
    if flt.district:
        where.append(place.district_code == flt.district)
    if flt.village:
        where.append(place.village_code == flt.village)
    if flt.officer:
        where.append(model.created_by == flt.officer)
    if kind.is_visit:
        if flt.status:
            where.append(model.status == flt.status)
        if flt.date_from:
            where.append(model.visit_date >= flt.date_from)
        if flt.date_to:
            where.append(model.visit_date <= flt.date_to)
    else:
        if kind.name == "cooperative" and flt.status:
            where.append(model.is_active.is_(flt.status == "active"))
        if flt.date_from or flt.date_to:
            # an entity's date is when it was recorded (UTC text, ISO: sorts as time)
            if flt.date_from:
                where.append(model.created_at >= _midnight(flt.date_from))
            if flt.date_to:
                where.append(model.created_at < _midnight(flt.date_to, plus_days=1))
    if flt.nik:
        nik_field = entity_kind.nik_field
        where.append(getattr(entity, nik_field) == flt.nik if nik_field else False)
    if flt.q:
        title = getattr(entity, entity_kind.title_field)
        if NIB_SHAPE.match(flt.q) and hasattr(entity, "nib"):
            where.append(or_(entity.nib == flt.q, func.lower(title).contains(flt.q.lower())))
        else:
            where.append(func.lower(title).contains(flt.q.lower(), autoescape=True))
    return query.where(and_(*where))


def _midnight(day: date, plus_days: int = 0) -> Any:
    from datetime import datetime, timedelta, timezone

    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(days=plus_days)


def _sort_column(kind: RecordKind) -> tuple[Any, Any]:
    model, parent = _parts(kind)
    if kind.is_visit:
        return model.visit_date, model.id
    return getattr(model, kind.title_field), model.id


def encode_cursor(value: Any, row_id: str) -> str:
    text = json.dumps([value.isoformat() if isinstance(value, date) else value, row_id])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(kind: RecordKind, cursor: str) -> tuple[Any, str]:
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if kind.is_visit:
            value = date.fromisoformat(value)
        return value, str(row_id)
    except (ValueError, TypeError):
        raise FilterError("bad_cursor") from None


def page(session: Session, visitor: Visitor, kind: RecordKind, flt: Filters,
         size: int = PAGE_SIZE) -> Page:
    """One page of the table and the count of all rows matching the filters."""
    model, parent = _parts(kind)
    entity = parent or model
    entity_kind = RECORD_KINDS[kind.parent_kind] if kind.parent_kind else kind
    sort_value, sort_id = _sort_column(kind)
    descending = (VISIT_SORTS if kind.is_visit else ENTITY_SORTS)[flt.sort][2]
    columns = [model.id, getattr(entity, entity_kind.title_field).label("title"),
               model.regency_code, entity.district_code, entity.village, model.created_by]
    if entity_kind.nik_field:
        columns.append(getattr(entity, entity_kind.nik_field).label("nik"))
    if hasattr(entity, "nib"):
        columns.append(entity.nib)
    if kind.is_visit:
        columns += [model.visit_date, model.status, getattr(model, kind.result_field or "status")
                    .label("result"), entity.id.label("parent_id")]
    elif kind.name == "cooperative":
        columns.append(model.is_active)
    query = base_query(kind, flt, *columns)
    backwards = False
    if flt.after or flt.before:
        value, row_id = decode_cursor(kind, flt.after or flt.before or "")
        backwards = bool(flt.before) and not flt.after
        forward_desc = descending != backwards
        if forward_desc:
            query = query.where(or_(sort_value < value, and_(sort_value == value, sort_id < row_id)))
        else:
            query = query.where(or_(sort_value > value, and_(sort_value == value, sort_id > row_id)))
    order_desc = descending != backwards
    query = query.order_by(sort_value.desc() if order_desc else sort_value.asc(),
                           sort_id.desc() if order_desc else sort_id.asc()).limit(size + 1)
    found = session.execute(query).mappings().all()
    more = len(found) > size
    found = list(found[:size])
    if backwards:
        found.reverse()
    total = count(session, kind, flt, cap_of(flt))
    names = officer_names(session)
    regions = region_names(session, {r["regency_code"] for r in found}
                           | {r["district_code"] for r in found if r["district_code"]})
    rows = []
    for r in found:
        rows.append(Row(
            id=r["id"], title=r["title"] or "", nik=mask_nik(r.get("nik")) if "nik" in r else "",
            nib=(r.get("nib") or "") if "nib" in r else "",
            regency=regions.get(r["regency_code"], r["regency_code"] or ""),
            district=regions.get(r["district_code"] or "", ""), village=r["village"] or "",
            status=(r["status"] if kind.is_visit else
                    ("active" if r.get("is_active", True) else "inactive")
                    if kind.name == "cooperative" else ""),
            result=str(r.get("result") or "") if kind.is_visit else "",
            officer=names.get(r["created_by"], ""),
            date=r["visit_date"].isoformat() if kind.is_visit and r["visit_date"] else "",
            parent_id=r.get("parent_id", "") if kind.is_visit else ""))
    at_start = not flt.after and not flt.before or (backwards and not more)
    next_cursor = None
    previous_cursor = None
    if rows:
        last, first_row = found[-1], found[0]
        if (more and not backwards) or backwards:
            next_cursor = encode_cursor(last["visit_date"] if kind.is_visit else last["title"],
                                        last["id"])
        if not at_start:
            previous_cursor = encode_cursor(
                first_row["visit_date"] if kind.is_visit else first_row["title"], first_row["id"])
    return Page(rows=rows, total=int(total), first=at_start, next_cursor=next_cursor,
                previous_cursor=previous_cursor)


def cap_of(flt: Filters) -> int:
    return SEARCH_COUNT_CAP if flt.q else COUNT_CAP


def count(session: Session, kind: RecordKind, flt: Filters, cap: int = COUNT_CAP) -> int:
    """How many rows match, counted up to ``cap`` + 1 (the page then says
    'more than cap'): an exact count of 200,000 rows on every page costs more
    than the page itself, and nobody pages through ten thousand rows: they
    filter. The entity is joined only when a filter reads it."""
    matching = base_query(kind, flt, kind.model.id, join=False).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(matching)) or 0)


def officer_names(session: Session) -> dict[str, str]:
    """Every account's full name by id (a few hundred rows)."""
    return dict(session.execute(select(Officer.id, Officer.full_name)).all())


#: The region list (~3,000 rows of reference data, changed only by
#: ``python -m server init``) read once per worker and kept ten minutes, so
#: a table's filters and names cost no query.
REGIONS_FOR = 600.0
_regions: tuple[float, dict[str, tuple[str, str, str | None]]] | None = None
_regions_lock = threading.Lock()


def _region_table(session: Session) -> dict[str, tuple[str, str, str | None]]:
    """code -> (name, level, parent code)."""
    global _regions
    now = time.monotonic()
    with _regions_lock:
        cached = _regions
    if cached is not None and now - cached[0] < REGIONS_FOR:
        return cached[1]
    table = {code: (name, level, parent) for code, name, level, parent in session.execute(
        select(Region.code, Region.name, Region.level, Region.parent_code))}
    with _regions_lock:
        _regions = (now, table)
    return table


def region_names(session: Session, codes: set[str | None]) -> dict[str, str]:
    table = _region_table(session)
    return {c: table[c][0] for c in codes if c and c in table}


def regencies(session: Session) -> list[tuple[str, str]]:
    return sorted((code, name) for code, (name, level, _p) in _region_table(session).items()
                  if level == "regency")


def children(session: Session, parent_code: str | None) -> list[tuple[str, str]]:
    if not parent_code:
        return []
    return sorted(((code, name) for code, (name, _l, parent) in _region_table(session).items()
                   if parent == parent_code), key=lambda pair: pair[1])


def officers_in_scope(session: Session, visitor: Visitor) -> list[tuple[str, str]]:
    query = select(Officer.id, Officer.full_name).order_by(Officer.full_name)
    if visitor.role != Role.ADMIN:
        query = query.where(Officer.regency_code == visitor.regency_code)
    return [(i, n) for i, n in session.execute(query)]
