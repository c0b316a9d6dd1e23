"""Saving, finalising, correcting, deleting and reading records.

Each public function is one unit of work: it validates everything first and
writes nothing when any rule is broken (:class:`ValidationFailed` names every
field at fault). Its ``_in`` twin does the same inside a unit of work the
caller holds, so a use case can join several steps in one transaction
(services.forms saves a record and drops its form snapshot together). A
finalised visit record is read-only; a correction is a new draft that
supersedes it, so the chain of corrections is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..models import SYSTEM_FIELDS, CooperativeType, VisitStatus
from ..models.rules.problems import Problem
from ..models.types import utc_now
from ..store import Store
from . import approvals_lock
from .context import Actor
from .errors import InvalidState, NotFound, ReadOnly, ValidationFailed
from .fields import coerce, generic_problems
from .kinds import KINDS, Kind, kind_of
from .reference import load_codes
from .rules_context import RuleContext
from .visit_rules import (
    audit_final_problems, audit_method, survey_final_problems, verdict_for_screen,
    verification_final_problems,
)


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save returns: the record as stored, and warnings that did not
    stop it (e.g. a NIK registered in another regency)."""

    record: dict[str, Any]
    warnings: list[Problem]


def to_dict(row: Any) -> dict[str, Any]:
    """A plain dict of the row's columns: safe to hand to another thread."""
    return {column.key: getattr(row, column.key) for column in row.__mapper__.columns}


def save(store: Store, actor: Actor, kind_name: str, data: Mapping[str, Any],
         *, record_id: str | None = None, today: date | None = None) -> Saved:
    """Create an entity or a draft visit record, or update one.

    ``data`` holds only the fields the form sends; on update, fields not sent
    keep their stored value.
    """
    with store.write() as session:
        return save_in(session, actor, kind_name, data, record_id=record_id, today=today)


def save_in(session: Session, actor: Actor, kind_name: str, data: Mapping[str, Any],
            *, record_id: str | None = None, today: date | None = None) -> Saved:
    """:func:`save` inside the caller's unit of work."""
    kind = kind_of(kind_name)
    ctx = _context(session, today)
    row = _editable(session, kind, record_id) if record_id else None
    return _save_in(ctx, kind, row, data, actor)


def save_batch(store: Store, actor: Actor, kind_name: str,
               items: Sequence[tuple[Mapping[str, Any], bool]], *,
               today: date | None = None) -> list[dict[str, Any]]:
    """Create many records in one unit of work; each (data, finalise) pair is
    saved and, if asked, finalised. All or nothing: one bad item refuses the
    batch, naming the item's fields. For imports and demo data."""
    kind = kind_of(kind_name)
    with store.write() as session:
        ctx = _context(session, today)
        saved = []
        for data, final in items:
            row = _save_row(ctx, kind, None, data, actor)
            if final:
                _finalise_in(ctx, kind, row, actor)
            saved.append(to_dict(row))
        return saved


def finalise(store: Store, actor: Actor, kind_name: str, record_id: str,
             *, today: date | None = None) -> dict[str, Any]:
    """Freeze a draft visit record after checking it is complete."""
    kind = _visit_kind(kind_name)
    with store.write() as session:
        ctx = _context(session, today)
        row = _editable(session, kind, record_id)
        _finalise_in(ctx, kind, row, actor)
        return to_dict(row)


def _context(session: Session, today: date | None) -> RuleContext:
    return RuleContext(today=today or date.today(), codes=load_codes(session), session=session)


def _save_row(ctx: RuleContext, kind: Kind, row: Any, data: Mapping[str, Any], actor: Actor) -> Any:
    values, _ = _validated(ctx, kind, row, data)
    return _apply(ctx.session, kind, row, values, actor)


def _save_in(ctx: RuleContext, kind: Kind, row: Any, data: Mapping[str, Any], actor: Actor) -> Saved:
    values, warnings = _validated(ctx, kind, row, data)
    return Saved(to_dict(_apply(ctx.session, kind, row, values, actor)), warnings)


def _finalise_in(ctx: RuleContext, kind: Kind, row: Any, actor: Actor) -> None:
    values, _ = _validated(ctx, kind, row, {})
    problems = _final_problems(ctx, kind, {**to_dict(row), **values})
    if problems:
        raise ValidationFailed(problems)
    _stamp(row, actor)
    row.status = VisitStatus.FINALISED
    row.finalised_at = utc_now()


def supersede(store: Store, actor: Actor, kind_name: str, record_id: str,
              data: Mapping[str, Any] | None = None, *, today: date | None = None) -> Saved:
    """Start a correction of a finalised record: a new draft with its values
    (and ``data`` on top) that points back at it."""
    kind = _visit_kind(kind_name)
    with store.write() as session:
        ctx = _context(session, today)
        old = _live(session, kind, record_id)
        if old.status != VisitStatus.FINALISED:
            raise InvalidState("Hanya data final yang dapat dikoreksi; ubah drafnya langsung.",
                               "Only a finalised record can be corrected; edit the draft itself.")
        if kind.name == "aid_verification" and approvals_lock.is_accepted(session, record_id):
            raise InvalidState("Putusan ini sudah diterima provinsi dan terkunci; tidak dapat "
                               "dikoreksi.", "This verdict was accepted by the province and is "
                               "locked; it cannot be corrected.")
        if _superseded(session, kind, record_id):
            raise InvalidState("Data ini sudah memiliki koreksi; koreksi data terbaru dalam rantai.",
                               "This record already has a correction; correct the newest one.")
        carried = {k: v for k, v in to_dict(old).items()
                   if k in kind.specs and k not in kind.derived_fields}
        saved = _save_in(ctx, kind, None, {**carried, **(data or {})}, actor)
        row = session.get(kind.model, saved.record["id"])
        row.supersedes_id = record_id
        return Saved(to_dict(row), saved.warnings)


def delete(store: Store, actor: Actor, kind_name: str, record_id: str) -> None:
    """Tombstone a record: it disappears from lists and syncs as a delete.

    A finalised visit record cannot be deleted; it can only be superseded.
    An entity with visit records cannot be deleted: the visits would point at
    nothing, and finalised ones are the office's record.
    """
    kind = kind_of(kind_name)
    with store.write() as session:
        row = _editable(session, kind, record_id) if kind.is_visit else _live(session, kind, record_id)
        if not kind.is_visit and _has_visits(session, kind, record_id):
            raise InvalidState(
                "Data ini masih memiliki data kunjungan; hapus draf kunjungannya dahulu "
                "(kunjungan final tidak dapat dihapus).",
                "This record still has visit records; delete their drafts first "
                "(finalised visits cannot be deleted).")
        _stamp(row, actor)
        row.deleted_at = utc_now()


def _has_visits(session: Session, kind: Kind, record_id: str) -> bool:
    for visit in KINDS.values():
        if visit.parent_kind == kind.name:
            model = visit.model
            parent = getattr(model, visit.parent_field or "")
            if session.scalar(select(exists().where(parent == record_id,
                                                    model.deleted_at.is_(None)))):
                return True
    return False


def get(store: Store, kind_name: str, record_id: str) -> dict[str, Any]:
    with store.read() as session:
        return get_in(session, kind_name, record_id)


def get_in(session: Session, kind_name: str, record_id: str) -> dict[str, Any]:
    """A live record as a plain dict; :class:`NotFound` when it is not (or no longer) here."""
    return to_dict(_live(session, kind_of(kind_name), record_id))


def is_superseded(store: Store, kind_name: str, record_id: str) -> bool:
    """Whether a correction has replaced this visit record."""
    with store.read() as session:
        return is_superseded_in(session, kind_name, record_id)


def is_superseded_in(session: Session, kind_name: str, record_id: str) -> bool:
    return _superseded(session, _visit_kind(kind_name), record_id)


def _visit_kind(kind_name: str) -> Kind:
    kind = kind_of(kind_name)
    if not kind.is_visit:
        raise ValueError(f"{kind_name} is not a visit record")
    return kind


def _live(session: Session, kind: Kind, record_id: str) -> Any:
    row = session.get(kind.model, record_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(kind.labels, record_id)
    return row


def _editable(session: Session, kind: Kind, record_id: str) -> Any:
    row = _live(session, kind, record_id)
    if kind.is_visit and row.status == VisitStatus.FINALISED:
        raise ReadOnly(kind.labels, record_id)
    return row


def _superseded(session: Session, kind: Kind, record_id: str) -> bool:
    model = kind.model
    return bool(session.scalar(select(exists().where(
        model.supersedes_id == record_id, model.deleted_at.is_(None)))))


def _validated(ctx: RuleContext, kind: Kind, row: Any,
               data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The full set of values after this save, with derived ones, or
    ValidationFailed. Warnings are returned, not raised."""
    values, merged, problems = _evaluate(ctx, kind, row, data)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationFailed(errors)
    derived = kind.derive(merged, ctx)
    if kind.is_visit:
        derived["regency_code"] = _parent_regency(ctx.session, kind, merged)
    return {**values, **derived}, [p for p in problems if p.severity == "warning"]


def _evaluate(ctx: RuleContext, kind: Kind, row: Any, data: Mapping[str, Any]
              ) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    """Coerced values, the record as it would be, and every problem found."""
    data = {**data, **kind.prepare(dict(data))}
    values, problems = coerce(kind.specs, {k: v for k, v in data.items() if k not in SYSTEM_FIELDS})
    merged = {**(to_dict(row) if row is not None else {}), **values}
    problems += generic_problems(kind.specs, values, creating=row is None)
    problems += kind.rules(merged, ctx)
    return values, merged, problems


@dataclass(frozen=True, slots=True)
class Checked:
    """What a form would get if it saved now, without saving: the problems
    (errors and warnings), the derived values (size class, health score,
    verdict) and what would still stop finalising."""

    problems: list[Problem]
    derived: dict[str, Any]
    final_problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check(store: Store, kind_name: str, data: Mapping[str, Any], *, record_id: str | None = None,
          today: date | None = None) -> Checked:
    """Validate a form's values as the officer types; reads only.

    The same rules as :func:`save`, so the form never shows a record as
    fine that the save would refuse.
    """
    kind = kind_of(kind_name)
    with store.read() as session:
        ctx = _context(session, today)
        row = session.get(kind.model, record_id) if record_id else None
        _, merged, problems = _evaluate(ctx, kind, row, data)
        errors = [p for p in problems if p.severity == "error"]
        failed_fields = {p.field for p in errors}
        derived = _derive_what_can_be(ctx, kind, merged, failed_fields)
        final: list[Problem] = []
        if kind.is_visit and not errors:
            final = _final_problems(ctx, kind, {**merged, **derived})
    return Checked(problems, derived, final)


def _derive_what_can_be(ctx: RuleContext, kind: Kind, merged: dict[str, Any],
                        failed: set[str]) -> dict[str, Any]:
    """Derived values from the fields that passed; a half-typed form still
    shows what it can (a size class from capital alone). Besides the stored
    values, what the screen shows with them: the verdict's English reason
    and round, the audit's method."""
    usable = {k: v for k, v in merged.items() if k not in failed}
    try:
        derived = kind.derive(usable, ctx)
        if kind.name == "aid_verification":
            derived.update(verdict_for_screen(usable, ctx))
        if kind.name == "cooperative_audit":
            derived["health_method"] = audit_method(usable)
        return derived
    except (ValueError, TypeError, ArithmeticError, KeyError):
        return {}


def _parent_regency(session: Session, kind: Kind, values: dict[str, Any]) -> str:
    parent = session.get(kind_of(kind.parent_kind or "").model, values[kind.parent_field or ""])
    return parent.regency_code


def _final_problems(ctx: RuleContext, kind: Kind, values: dict[str, Any]) -> list[Problem]:
    if kind.name == "umkm_survey":
        return survey_final_problems(values)
    if kind.name == "cooperative_audit":
        coop = ctx.session.get(kind_of("cooperative").model, values["cooperative_id"])
        loan = ctx.session.get(CooperativeType, coop.cooperative_type)
        return audit_final_problems(values, bool(loan and loan.is_savings_loan))
    if kind.name == "aid_verification":
        return verification_final_problems(values, ctx)
    return []


def _apply(session: Session, kind: Kind, row: Any, values: dict[str, Any], actor: Actor) -> Any:
    if row is None:
        row = kind.model(created_by=actor.officer_id)
        session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    _stamp(row, actor)
    session.flush()
    return row


def _stamp(row: Any, actor: Actor) -> None:
    row.officer_id = actor.officer_id
    row.device_id = actor.device_id
