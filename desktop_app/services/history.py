"""The story of one business, cooperative or applicant: every visit, and
every change this laptop recorded, field by field.

A business is surveyed by different officers over years and a finalised
visit is corrected by a new record that supersedes it; an officer or a
supervisor asking "who wrote this, and what was it before?" needs both the
visits with their correction chain and the change log folded row by row
(the log holds only the changed fields, so the old value of an update is the
value the previous entry left). Pulled changes are applied without a log
entry, so an old value is known only when this laptop saw the earlier write;
otherwise it is left out rather than guessed. Values leave here as text in
the officer's language, NIKs masked: the dialog never holds a whole NIK.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, and_, or_, select
from sqlalchemy.orm import Session

from ..models import (
    NIK_FIELDS, SYSTEM_FIELDS, AidRound, CapitalAccess, CooperativeType, DigitalChannel,
    HealthAspect, HealthIndicator, HealthMethod, KbliSection, PandemicImpact, PaymentMethod, Region,
    VisitStatus, code_label,
)
from ..models.rules.eligibility import CheckOutcome, VerdictKind
from ..models.rules.health import HealthCategory
from ..models.rules.nik import mask_nik
from ..models.rules.size_class import Basis, SizeClass
from ..models.types import JSONList, Money, UTCDateTime, parse_utc
from ..protocol.clock import stamp_time as hlc_time  # the wall-clock moment of a stamp
from ..store import Store
from ..store.local_tables import ChangeLog, OfficerAccount
from . import formats
from .kinds import KINDS, Kind, kind_of
from .labels import label

#: Columns that say who wrote a row, not what it says: never listed as a
#: change. A status change is news (a draft finalised), so it is listed.
HIDDEN = SYSTEM_FIELDS - {"status"}
#: Columns shown masked: the NIK of any kind, and the applicant's KK number.
MASKED_FIELDS = NIK_FIELDS | {"kk_number"}
_UNKNOWN = object()

_YES_NO = {"id": ("Ya", "Tidak"), "en": ("Yes", "No")}


@dataclass(frozen=True, slots=True)
class VisitLine:
    """One visit to the entity; ``superseded_by`` names its correction."""

    kind: str
    record_id: str
    visit_date: date
    officer_id: str
    officer_name: str | None
    status: str  # draft|finalised
    status_text: str
    result_text: str  # size class, health category or verdict, in the officer's language
    supersedes_id: str | None
    superseded_by: str | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    old: str | None  # None: not known on this laptop (or the field was new)
    new: str


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One logged write to the entity or one of its visits."""

    seq: int
    when: datetime  # from the write's hybrid clock stamp, UTC
    officer_id: str | None
    officer_name: str | None
    kind: str
    row_id: str
    op: str  # insert|update|delete
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class EntityHistory:
    kind: str
    entity_id: str
    title: str
    visits: tuple[VisitLine, ...]  # newest visit first
    changes: tuple[ChangeLine, ...]  # newest first


def entity_history(store: Store, kind_name: str, entity_id: str, *, language: str = "id") -> EntityHistory:
    """Visits and logged changes of a business, cooperative or aid applicant."""
    kind = kind_of(kind_name)
    if kind.is_visit:
        raise ValueError(f"{kind_name} is a visit; ask for the history of the entity it visits")
    with store.read() as session:
        entity = session.get(kind.model, entity_id)
        title = str(getattr(entity, kind.title_field, "") or "") if entity is not None else ""
        names = _pairs(session, (select(OfficerAccount.officer_id, OfficerAccount.full_name)))
        visits, rows = _visits(session, kind, entity_id, names, language)
        rows[kind.model.__tablename__] = [entity_id]
        shower = ValueShower(session, language)
        changes = _changes(session, rows, names, shower)
    return EntityHistory(kind_name, entity_id, title, visits, changes)


def _visit_kinds(kind: Kind) -> list[Kind]:
    return [k for k in KINDS.values() if k.parent_kind == kind.name]


def _visits(session: Session, kind: Kind, entity_id: str, names: dict[str, str],
            language: str) -> tuple[tuple[VisitLine, ...], dict[str, list[str]]]:
    """The live visits, and the ids of every visit row, deleted drafts too
    (their creation and deletion are part of the story)."""
    lines: list[VisitLine] = []
    ids: dict[str, list[str]] = {}
    for visit_kind in _visit_kinds(kind):
        model = visit_kind.model
        every = session.scalars(select(model).where(
            getattr(model, visit_kind.parent_field or "") == entity_id)).all()
        ids[model.__tablename__] = [r.id for r in every]
        rows = [r for r in every if r.deleted_at is None]
        corrected_by = {r.supersedes_id: r.id for r in rows if r.supersedes_id}
        lines += [VisitLine(visit_kind.name, r.id, r.visit_date, r.officer_id, names.get(r.officer_id),
                            r.status, code_label(VisitStatus, r.status, language),
                            result_text(visit_kind.name, r, language),
                            r.supersedes_id, corrected_by.get(r.id)) for r in rows]
    lines.sort(key=lambda v: (v.visit_date, v.record_id), reverse=True)
    return tuple(lines), ids


def result_text(kind_name: str, row: Any, language: str = "id") -> str:
    """What a visit concluded, as the officer reads it."""
    if kind_name == "umkm_survey":
        return code_label(SizeClass, row.size_class, language)
    if kind_name == "cooperative_audit" and row.health_category:
        name = code_label(HealthCategory, row.health_category, language)
        score = (formats.number(row.health_score, 2, language)
                 if row.health_score is not None else "")
        return f"{name} ({score})" if score else name
    if kind_name == "aid_verification":
        return code_label(VerdictKind, row.verdict, language)
    return ""


def _changes(session: Session, rows: dict[str, list[str]], names: dict[str, str],
             shower: ValueShower) -> tuple[ChangeLine, ...]:
    """The log entries of those rows, folded oldest first so each update's old
    values are known, returned newest first."""
    where = or_(*(and_(ChangeLog.table_name == table, ChangeLog.row_id.in_(ids))
                  for table, ids in rows.items()))
    entries = session.execute(select(ChangeLog.seq, ChangeLog.table_name, ChangeLog.row_id, ChangeLog.op,
                                     ChangeLog.fields, ChangeLog.hlc, ChangeLog.officer_id)
                              .where(where).order_by(ChangeLog.seq)).all()
    kinds = {k.model.__tablename__: k for k in KINDS.values()}
    state: dict[str, dict[str, Any]] = {}
    lines = []
    for seq, table, row_id, op, fields_json, hlc, officer in entries:
        kind = kinds[table]
        known = state.setdefault(row_id, {})
        fields = json.loads(fields_json)
        changes = _field_changes(kind, op, fields, known, shower)
        known.update(fields)
        if op == "update" and "deleted_at" in fields and fields["deleted_at"]:
            op = "delete"
        if changes or op != "update":
            lines.append(ChangeLine(seq, hlc_time(hlc), officer, names.get(officer or ""), kind.name,
                                    row_id, op, changes))
    return tuple(reversed(lines))


def _field_changes(kind: Kind, op: str, fields: dict[str, Any], known: dict[str, Any],
                   shower: ValueShower) -> tuple[FieldChange, ...]:
    if op == "delete":
        return ()
    out = []
    for name, value in fields.items():
        if name in HIDDEN or (kind.is_visit and name == kind.parent_field):
            continue
        if op == "insert" and value in (None, "", "[]", 0, False) and name not in ("status",):
            continue  # a new record's empty fields are not news
        before = known.get(name, _UNKNOWN)
        old = None if op == "insert" or before is _UNKNOWN else shower.show(kind, name, before)
        out.append(FieldChange(name, field_label(name, shower.language), old, shower.show(kind, name, value)))
    return tuple(out)


def field_label(name: str, language: str) -> str:
    """The form's name for a field; 'status' is not a form field, so it has none there."""
    if name == "status":
        return "Status"
    return label(name, language)


class ValueShower:
    """A stored value (as the change log holds it: text dates, 0/1, JSON
    text) written for people, by the column's type and meaning."""

    def __init__(self, session: Session, language: str = "id") -> None:
        self.language = "en" if language == "en" else "id"
        en = self.language == "en"
        self.codes: dict[str, dict[str, str]] = {
            "regency_code": _pairs(session, (select(Region.code, Region.name))),
            "kbli_section": {c: f"{c} {n}" for c, n in session.execute(
                select(KbliSection.code, KbliSection.name_en if en else KbliSection.name_id))},
            "cooperative_type": _pairs(session, (select(
                CooperativeType.code, CooperativeType.name_en if en else CooperativeType.name_id))),
            "digital_channels": _pairs(session, (select(DigitalChannel.code, DigitalChannel.name))),
            "payment_methods": _pairs(session, (select(
                PaymentMethod.code, PaymentMethod.name_en if en else PaymentMethod.name_id))),
            "capital_access": _pairs(session, (select(
                CapitalAccess.code, CapitalAccess.name_en if en else CapitalAccess.name_id))),
            "pandemic_impact": _labels(PandemicImpact, self.language),
            "size_class": _labels(SizeClass, self.language),
            "size_class_basis": _labels(Basis, self.language),
            "health_method": _pairs(session, select(
                HealthMethod.code, HealthMethod.name_en if en else HealthMethod.name_id)),
            "aid_round": _pairs(session, select(
                AidRound.code, AidRound.name_en if en else AidRound.name_id)),
            "health_category": _labels(HealthCategory, self.language),
            "verdict": _labels(VerdictKind, self.language),
            "status": _labels(VisitStatus, self.language),
        }
        self.codes["district_code"] = self.codes["regency_code"]
        self.codes["village_code"] = self.codes["regency_code"]
        self.outcomes = _labels(CheckOutcome, self.language)
        self.aspects = {  # aspects and indicators of every method, by key
            key: name for model in (HealthAspect, HealthIndicator)
            for key, name in session.execute(select(model.key, model.name_en if en else model.name_id))}

    def show(self, kind: Kind, name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if name in MASKED_FIELDS:
            return mask_nik(str(value))
        if name == "aspect_scores":
            return self._aspects(value)
        if name.startswith("check_") and name != "check_notes":
            return self.outcomes.get(str(value), str(value))
        column = kind.model.__table__.columns.get(name)
        column_type = column.type if column is not None else None
        if isinstance(column_type, JSONList):
            items = json.loads(value) if isinstance(value, str) else list(value)
            names = self.codes.get(name, {})
            return ", ".join(names.get(i, str(i)) for i in items) or "—"
        if name in self.codes:
            return self.codes[name].get(str(value), str(value))
        if name == "year_started":
            return str(value)
        if name in ("latitude", "longitude"):
            return formats.number(float(value), 6, self.language)
        return _by_type(column_type, value, self.language)

    def _aspects(self, value: Any) -> str:
        try:
            scores = json.loads(value) if isinstance(value, str) else dict(value)
        except ValueError:
            return str(value)
        return "; ".join(
            f"{self.aspects.get(k, k)} {formats.number(float(v), 2, self.language)}"
            for k, v in scores.items())


def _by_type(column_type: Any, value: Any, language: str) -> str:
    shows: list[tuple[type, Callable[[Any], str]]] = [
        (Boolean, lambda v: _YES_NO[language][0 if v else 1]),
        (Date, lambda v: formats.long_date(v if isinstance(v, date) else date.fromisoformat(str(v)), language)),
        (UTCDateTime, lambda v: formats.local_time(v if isinstance(v, datetime) else parse_utc(str(v)), language)),
        (Money, lambda v: formats.rupiah(int(v), language)),
        (Integer, lambda v: formats.number(int(v), language=language)),
        (Float, lambda v: formats.number(float(v), 2, language)),
    ]
    for type_, show in shows:
        if isinstance(column_type, type_):
            try:
                return show(value)
            except (TypeError, ValueError):
                return str(value)
    return str(value)


def _labels(codes: type[Enum], language: str) -> dict[str, str]:
    return {member.value: code_label(codes, member.value, language) for member in codes}


def _pairs(session: Session, query: Any) -> dict[Any, Any]:
    return dict(session.execute(query).all())
