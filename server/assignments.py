"""Assignments: which officer visits which business, cooperative (the year's
audit plan) or aid applicant, by when.

Admins (anywhere) and supervisors (their own regency) assign, one by one or
from a spreadsheet (all or nothing, with a row-by-row report); an officer's
laptop pulls its open assignments (GET /v1/assignments) and its home page
lists them, overdue first. Assigning a record that already has an open
assignment of the same kind moves it to the new officer. An assignment is
*done* once a visit of its kind for the record reaches the server dated on or
after the day it was given; officers may still record unassigned visits.

Framework-free like server.accounts: a Session, the acting Actor, audit lines
in the same transaction, bilingual ApiErrors naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, AidVerification, Business, Cooperative
from desktop_app.models import CooperativeAudit, UmkmSurvey
from desktop_app.models.types import utc_now
from desktop_app.protocol import ErrorCode, Role

from . import audit, errors, sheet_import
from .audit import Action, Actor
# ImportRefused and format_problems: the names the CLI and console use.
from .sheet_import import ImportRefused, SheetReport, format_problems  # noqa: F401
from .tables import Assignment, Officer


@dataclass(frozen=True)
class Kind:
    name: str            # survey|audit|verification
    model: Any           # the record visited
    visit: Any           # its visit record
    parent_field: str    # the visit's column naming the record
    label_field: str     # what names the record in a listing
    natural_key: str     # what an office's spreadsheet names it by
    what_id: str
    what_en: str


KINDS: dict[str, Kind] = {
    "survey": Kind("survey", Business, UmkmSurvey, "business_id", "name", "nib",
                   "usaha (NIB atau id)", "business (NIB or id)"),
    "audit": Kind("audit", Cooperative, CooperativeAudit, "cooperative_id", "name",
                  "legal_entity_no", "koperasi (nomor badan hukum atau id)",
                  "cooperative (legal entity number or id)"),
    "verification": Kind("verification", AidApplicant, AidVerification, "applicant_id",
                         "full_name", "nik", "calon penerima bantuan (NIK atau id)",
                         "aid applicant (NIK or id)"),
}
#: Other words an office may write in the kind column.
KIND_WORDS = {"survei": "survey", "survey": "survey", "audit": "audit", "pemeriksaan": "audit",
              "verifikasi": "verification", "verification": "verification"}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class AssignmentView:
    id: str
    kind: str
    target_table: str
    target_id: str
    target_label: str
    officer: str           # username
    regency_code: str | None
    due_date: date | None
    plan_year: int | None
    note: str
    status: str            # open|done|cancelled (done: a visit arrived)
    overdue: bool
    assigned_by: str
    assigned_at: datetime


#: What an assignments spreadsheet import made: each assignment.
ImportReport = SheetReport["AssignmentView"]


def kind_of(name: str) -> Kind:
    key = KIND_WORDS.get((name or "").strip().lower())
    if key is None:
        raise errors.invalid("Jenis tugas harus survey, audit atau verification (survei, audit, "
                             "verifikasi).",
                             "The kind must be survey, audit or verification.", field="kind")
    return KINDS[key]


def _require_assigner(actor: Actor) -> None:
    if actor.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise errors.forbidden("memberi tugas (hanya admin atau supervisor)",
                               "assigning visits (admins and supervisors only)")


def _officer(session: Session, actor: Actor, who: str) -> Officer:
    officer = session.scalar(select(Officer).where(or_(Officer.username == (who or "").strip(),
                                                       Officer.id == (who or "").strip())))
    if officer is None:
        raise errors.invalid(f"Petugas '{who}' tidak ada.", f"There is no officer '{who}'.",
                             field="officer")
    if not officer.active:
        raise errors.invalid(f"Akun '{officer.username}' nonaktif; tugaskan petugas lain.",
                             f"The account '{officer.username}' is deactivated; assign another "
                             "officer.", field="officer")
    if officer.role == Role.ADMIN or officer.regency_code is None:
        raise errors.invalid("Tugas diberikan kepada petugas atau supervisor kabupaten, bukan "
                             "admin provinsi.",
                             "Visits are assigned to regency officers or supervisors, not to the "
                             "provincial admin.", field="officer")
    if actor.role != Role.ADMIN and officer.regency_code != actor.regency_code:
        raise errors.forbidden("menugaskan petugas kabupaten lain",
                               "assigning an officer of another regency")
    return officer


def _target(session: Session, kind: Kind, target: str) -> Any:
    """The record by id or by the office's own key (NIB, legal entity
    number, NIK). The key is never repeated in an error (a NIK)."""
    text = (target or "").strip()
    model = kind.model
    if _UUID.match(text):
        row = session.get(model, text)
    elif text:
        rows = list(session.scalars(select(model).where(
            getattr(model, kind.natural_key) == text, model.deleted_at.is_(None)).limit(2)))
        if len(rows) > 1:
            raise errors.invalid(f"Lebih dari satu {kind.what_id} cocok; pakai id rekamannya.",
                                 f"More than one {kind.what_en} matches; use its record id.",
                                 field="target")
        row = rows[0] if rows else None
    else:
        row = None
    if row is None or row.deleted_at is not None:
        raise errors.invalid(f"Tidak ada {kind.what_id} seperti itu di server.",
                             f"There is no such {kind.what_en} on the server.", field="target")
    return row


def _due(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        if text.isdigit() and 20000 < int(text) < 80000:  # an Excel date serial
            from datetime import timedelta
            return date(1899, 12, 30) + timedelta(days=int(text))
        raise errors.invalid("Tenggat harus berupa tanggal TTTT-BB-HH (contoh 2026-03-31).",
                             "The due date must be a date YYYY-MM-DD (e.g. 2026-03-31).",
                             field="due_date") from None


def assign(session: Session, actor: Actor, *, kind: str, target: str, officer: str,
           due_date: str | date | None = None, plan_year: int | str | None = None,
           note: str = "", _record: bool = True) -> AssignmentView:
    """Give the visit to ``officer`` (moving an open one of the same record
    and kind from whoever had it)."""
    _require_assigner(actor)
    kind_ = kind_of(kind)
    who = _officer(session, actor, officer)
    row = _target(session, kind_, target)
    if row.regency_code != who.regency_code:
        raise errors.invalid("Rekaman ini ada di kabupaten lain daripada petugasnya.",
                             "This record is in another regency than the officer's.",
                             field="target")
    due = _due(due_date)
    year = _year(plan_year, due)
    text = " ".join((note or "").split())[:500]
    existing = session.scalar(select(Assignment).where(
        Assignment.kind == kind_.name, Assignment.target_id == row.id,
        Assignment.status == "open"))
    now = utc_now()
    if existing is not None:
        before = session.get(Officer, existing.officer_id)
        changes = {"officer": {"from": before.username if before else existing.officer_id,
                               "to": who.username}} if existing.officer_id != who.id else {}
        if existing.due_date != due:
            changes["due_date"] = {"from": _iso(existing.due_date), "to": _iso(due)}
        existing.officer_id, existing.due_date, existing.plan_year = who.id, due, year
        existing.note, existing.updated_at = text, now
        existing.assigned_by = actor.label
        if changes.get("officer"):  # a new officer: their visit counts from today
            existing.assigned_at, existing.assigned_on = now, now.date()
        if _record and changes:
            audit.record(session, Action.ASSIGNMENT_CHANGE, actor=actor, target_type="assignment",
                         target_id=existing.id, regency_code=who.regency_code, detail=changes)
        session.flush()
        return _view(session, existing)
    made = Assignment(kind=kind_.name, target_table=kind_.model.__tablename__, target_id=row.id,
                      officer_id=who.id, regency_code=who.regency_code, due_date=due,
                      plan_year=year, note=text, status="open", assigned_by=actor.label,
                      assigned_at=now, assigned_on=now.date(), updated_at=now)
    session.add(made)
    session.flush()
    if _record:
        audit.record(session, Action.ASSIGNMENT_ADD, actor=actor, target_type="assignment",
                     target_id=made.id, regency_code=who.regency_code,
                     detail={"kind": kind_.name, "record": row.id, "officer": who.username,
                             "due_date": _iso(due)})
    return _view(session, made)


def _year(plan_year: int | str | None, due: date | None) -> int | None:
    if plan_year in (None, ""):
        return due.year if due else None
    try:
        year = int(str(plan_year).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise errors.invalid("Tahun rencana harus tahun empat angka (contoh 2026).",
                             "The plan year must be a four-digit year (e.g. 2026).",
                             field="plan_year")
    return year


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def cancel(session: Session, actor: Actor, assignment_id: str, *, reason: str = "") -> AssignmentView:
    _require_assigner(actor)
    row = session.get(Assignment, assignment_id.strip())
    if row is None:
        raise errors.not_found(f"tugas '{assignment_id}'", f"assignment '{assignment_id}'")
    if actor.role != Role.ADMIN and row.regency_code != actor.regency_code:
        raise errors.forbidden("membatalkan tugas kabupaten lain",
                               "cancelling another regency's assignment")
    if row.status != "open":
        raise errors.ApiError(409, ErrorCode.CONFLICT, "Tugas ini sudah tidak terbuka.",
                              "This assignment is no longer open.")
    row.status, row.updated_at = "cancelled", utc_now()
    audit.record(session, Action.ASSIGNMENT_CANCEL, actor=actor, target_type="assignment",
                 target_id=row.id, regency_code=row.regency_code,
                 detail={"reason": reason.strip()[:200]} if reason.strip() else {})
    session.flush()
    return _view(session, row)


def move_all(session: Session, actor: Actor, from_officer: str, to_officer: str) -> int:
    """Every open assignment of one officer to another of the same regency
    (an officer who left, or is on leave); how many moved."""
    _require_assigner(actor)
    source = session.scalar(select(Officer).where(or_(Officer.username == from_officer.strip(),
                                                      Officer.id == from_officer.strip())))
    if source is None:
        raise errors.invalid(f"Petugas '{from_officer}' tidak ada.",
                             f"There is no officer '{from_officer}'.", field="from")
    if actor.role != Role.ADMIN and source.regency_code != actor.regency_code:
        raise errors.forbidden("memindahkan tugas kabupaten lain",
                               "moving another regency's assignments")
    target = _officer(session, actor, to_officer)
    rows = list(session.scalars(select(Assignment).where(Assignment.officer_id == source.id,
                                                         Assignment.status == "open")))
    for row in rows:
        assign(session, actor, kind=row.kind, target=row.target_id, officer=target.username,
               due_date=row.due_date, plan_year=row.plan_year, note=row.note, _record=False)
    if rows:
        audit.record(session, Action.ASSIGNMENT_CHANGE, actor=actor, target_type="officer",
                     target_id=source.username, regency_code=source.regency_code,
                     detail={"moved": len(rows), "to": target.username})
    return len(rows)


def open_count(session: Session, officer_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.officer_id == officer_id, Assignment.status == "open")) or 0)


def _done_clause(kind: Kind) -> Any:
    visit = kind.visit
    return exists().where(getattr(visit, kind.parent_field) == Assignment.target_id,
                          visit.deleted_at.is_(None),
                          visit.visit_date >= Assignment.assigned_on)


def listing(session: Session, actor: Actor, *, officer: str | None = None,
            regency_code: str | None = None, kind: str | None = None,
            status: str | None = "open", overdue_only: bool = False,
            today: date | None = None, limit: int = 1000) -> list[AssignmentView]:
    """Assignments the actor may see; an officer sees only their own.
    ``status`` open (no visit yet), done, cancelled or None for all."""
    stmt = select(Assignment)
    if actor.role == Role.OFFICER:
        stmt = stmt.where(Assignment.officer_id == actor.officer_id)
    elif actor.role == Role.SUPERVISOR:
        stmt = stmt.where(Assignment.regency_code == actor.regency_code)
    if officer:
        who = session.scalar(select(Officer).where(or_(Officer.username == officer,
                                                       Officer.id == officer)))
        stmt = stmt.where(Assignment.officer_id == (who.id if who else officer))
    if regency_code:
        stmt = stmt.where(Assignment.regency_code == regency_code)
    if kind:
        stmt = stmt.where(Assignment.kind == kind_of(kind).name)
    if status == "cancelled":
        stmt = stmt.where(Assignment.status == "cancelled")
    elif status in ("open", "done"):
        done = or_(*[and_(Assignment.kind == k.name, _done_clause(k)) for k in KINDS.values()])
        stmt = stmt.where(Assignment.status == "open", ~done if status == "open" else done)
    today = today or date.today()
    if overdue_only:
        stmt = stmt.where(Assignment.due_date < today)
    stmt = stmt.order_by(Assignment.due_date.is_(None), Assignment.due_date,
                         Assignment.assigned_at).limit(limit)
    return [_view(session, a, today=today) for a in session.scalars(stmt)]


def _view(session: Session, row: Assignment, *, today: date | None = None) -> AssignmentView:
    kind = KINDS[row.kind]
    label = session.scalar(select(getattr(kind.model, kind.label_field))
                           .where(kind.model.id == row.target_id)) or ""
    officer = session.get(Officer, row.officer_id)
    status = row.status
    if status == "open":
        visit = kind.visit
        done = session.scalar(select(func.count()).select_from(visit).where(
            getattr(visit, kind.parent_field) == row.target_id, visit.deleted_at.is_(None),
            visit.visit_date >= row.assigned_on))
        status = "done" if done else "open"
    today = today or date.today()
    return AssignmentView(row.id, row.kind, row.target_table, row.target_id, label,
                          officer.username if officer else row.officer_id, row.regency_code,
                          row.due_date, row.plan_year, row.note, status,
                          status == "open" and row.due_date is not None and row.due_date < today,
                          row.assigned_by, row.assigned_at)


def for_officer(session: Session, officer_id: str) -> list[Assignment]:
    """What the laptop pulls: the officer's open assignments (done ones
    included until cancelled: the laptop sees the visit and drops the line)."""
    return list(session.scalars(select(Assignment).where(
        Assignment.officer_id == officer_id, Assignment.status == "open")
        .order_by(Assignment.due_date.is_(None), Assignment.due_date, Assignment.assigned_at)))


# --- spreadsheet ---------------------------------------------------------------

HEADERS: Mapping[str, str] = {
    "kind": "kind", "jenis": "kind", "jenis tugas": "kind",
    "target": "target", "rekaman": "target", "record": "target", "id": "target",
    "nib": "target", "nik": "target", "nomor badan hukum": "target",
    "officer": "officer", "petugas": "officer", "username": "officer",
    "due_date": "due_date", "due date": "due_date", "tenggat": "due_date",
    "plan_year": "plan_year", "tahun": "plan_year", "tahun rencana": "plan_year",
    "note": "note", "catatan": "note",
}


def read_sheet(path: Any) -> list[tuple[int, dict[str, str]]]:
    return sheet_import.read_sheet(path, HEADERS)


def import_assignments(session: Session, actor: Actor,
                       rows: Iterable[tuple[int, Mapping[str, str]]]) -> ImportReport:
    """All or nothing, like the officers' import (server/sheet_import.py)."""
    _require_assigner(actor)
    seen: dict[tuple[str, str], int] = {}

    def make(number: int, row: Mapping[str, str]) -> AssignmentView:
        made = assign(session, actor, kind=row["kind"], target=row["target"],
                      officer=row["officer"], due_date=row.get("due_date"),
                      plan_year=row.get("plan_year"), note=row.get("note", ""), _record=False)
        key = (made.kind, made.target_id)
        if key in seen:
            raise errors.invalid(f"Rekaman yang sama sudah ditugaskan di baris {seen[key]}.",
                                 f"The same record is assigned on row {seen[key]} already.",
                                 field="target")
        seen[key] = number
        return made

    report = sheet_import.import_rows(
        session, rows, required=lambda _row: ("kind", "target", "officer"), make=make,
        nothing=("Tidak ada yang ditugaskan", "Nothing was assigned"))
    audit.record(session, Action.ASSIGNMENT_IMPORT, actor=actor, target_type="assignment",
                 regency_code=actor.regency_code if actor.role != Role.ADMIN else None,
                 detail={"rows": report.rows})
    return report
