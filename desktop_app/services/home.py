"""What is waiting for the officer: the home screen's one read.

An officer opens the laptop in the morning and needs, at a glance, what to
finish (their drafts), where to go (applicants sent down to them, cooperatives
of their regency not yet audited this year), what has not reached the
province (the change log), when the last sync worked, and which forms a crash
interrupted. One call, one read transaction, a few indexed queries: the page
refreshes after every save, so it must stay fast at 100,000 records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    VISIT_KINDS, AidApplicant, AidVerification, Business, Cooperative, CooperativeAudit, Region,
    UmkmSurvey, VisitStatus,
)
from ..store import Store
from ..store.local_tables import AssignmentRow, ChangeLog, FormSnapshot, PushState, SyncHistory
from .kinds import KINDS, kind_of

#: How many records each card names; the rest are a count and a link to the list.
SHOWN = 5


@dataclass(frozen=True, slots=True)
class WaitingRecord:
    """One record a card names: enough to show a line and open the record."""

    kind: str
    record_id: str
    title: str
    place: str = ""
    day: date | None = None  # visit date of a draft, last audit of a cooperative
    due: date | None = None  # an assignment's due date
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class Waiting:
    """A card's content: how many there are and the first few."""

    total: int = 0
    first: tuple[WaitingRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class RecoveredForm:
    """A form snapshot left by a crash or a flat battery, not yet saved."""

    key: str
    kind: str
    record_id: str | None
    title: str
    saved_at: datetime
    #: a new visit's entity (the business surveyed...), to open its form again
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class SyncAttempt:
    finished_at: datetime
    ok: bool
    pushed: int
    pulled: int
    message: str


@dataclass(frozen=True)
class HomeSummary:
    """Everything the home page shows, as plain data for the GUI thread."""

    drafts: dict[str, Waiting] = field(default_factory=dict)  # per visit kind
    #: Visits the office assigned to the officer (surveys, verifications;
    #: audits when the office plans them), overdue first.
    assigned_visits: Waiting = Waiting()
    audits_due: Waiting = Waiting()
    #: The audits card lists the office's audit plan (assignments), not every
    #: cooperative of the regency not yet audited this year.
    audits_planned: bool = False
    pending_changes: int = 0
    parked_changes: int = 0
    last_success: SyncAttempt | None = None
    last_attempt: SyncAttempt | None = None
    recovered: tuple[RecoveredForm, ...] = ()

    @property
    def assigned_applicants(self) -> Waiting:
        """The card's older name (applicants only, before assignments)."""
        return self.assigned_visits

    @property
    def draft_total(self) -> int:
        return sum(w.total for w in self.drafts.values())


def home_summary(store: Store, officer_id: str, regency_code: str | None, *,
                 today: date | None = None, shown: int = SHOWN) -> HomeSummary:
    """What waits for ``officer_id``; ``regency_code`` None means the whole
    province (the provincial admin)."""
    today = today or date.today()
    with store.read() as session:
        regencies = _regency_names(session)
        pending, parked = _outbox(session)
        success, attempt = _sync_attempts(session)
        visits, audits = _assignments(session, officer_id, today, regencies)
        legacy = [r for r in _assigned(session, officer_id, 10_000, regencies).first
                  if r.record_id not in {v.record_id for v in visits}]
        waiting = visits + legacy  # overdue first, then by due date, then the rest by name
        if audits is not None:
            audits_due = Waiting(len(audits), tuple(audits[:shown]))
        else:
            audits_due = _audits_due(session, regency_code, date(today.year, 1, 1), shown, regencies)
        return HomeSummary(
            drafts={k: _drafts(session, k, officer_id, shown, regencies) for k in VISIT_KINDS},
            assigned_visits=Waiting(len(waiting), tuple(waiting[:shown])),
            audits_due=audits_due, audits_planned=audits is not None,
            pending_changes=pending, parked_changes=parked,
            last_success=success, last_attempt=attempt,
            recovered=_recovered(session, officer_id),
        )


def _regency_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Region.code, Region.name).where(Region.level == "regency")).all())


def _place(village: str | None, regency_code: str | None, regencies: dict[str, str]) -> str:
    parts = [village or "", regencies.get(regency_code or "", regency_code or "")]
    return ", ".join(p for p in parts if p)


def _drafts(session: Session, kind_name: str, officer_id: str, shown: int,
            regencies: dict[str, str]) -> Waiting:
    """The officer's own drafts of one visit kind, newest visit first.

    There is no index on the officer, but there is one on (regency, status):
    naming every regency lets SQLite read only the drafts through it instead
    of the whole table (a visit's regency is always one of Lampung's).
    """
    kind = kind_of(kind_name)
    model = kind.model
    parent_kind = kind_of(kind.parent_kind or "")
    parent = parent_kind.model
    where = and_(model.regency_code.in_(sorted(regencies)), model.status == VisitStatus.DRAFT,
                 model.officer_id == officer_id, model.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(model).where(where)) or 0
    rows = session.execute(
        select(model.id, model.visit_date, getattr(parent, parent_kind.title_field), parent.village,
               parent.regency_code)
        .join(parent, parent.id == getattr(model, kind.parent_field or ""))
        .where(where).order_by(model.visit_date.desc(), model.id.desc()).limit(shown)).all()
    return Waiting(total, tuple(WaitingRecord(kind_name, rid, title, _place(village, reg, regencies), day)
                                for rid, day, title, village, reg in rows))


def _assigned(session: Session, officer_id: str, shown: int, regencies: dict[str, str]) -> Waiting:
    """Applicants the office sent down to this officer with no verification yet
    (a draft verification counts as started: it is among the drafts)."""
    started = exists().where(AidVerification.applicant_id == AidApplicant.id,
                             AidVerification.deleted_at.is_(None))
    where = and_(AidApplicant.assigned_officer_id == officer_id, AidApplicant.deleted_at.is_(None),
                 ~started)
    total = session.scalar(select(func.count()).select_from(AidApplicant).where(where)) or 0
    rows = session.execute(
        select(AidApplicant.id, AidApplicant.full_name, AidApplicant.village, AidApplicant.regency_code)
        .where(where).order_by(AidApplicant.full_name).limit(shown)).all()
    return Waiting(total, tuple(WaitingRecord("aid_applicant", rid, name, _place(village, reg, regencies))
                                for rid, name, village, reg in rows))


#: An assignment's kind: the record it names and the visit that fulfils it.
_ASSIGNED = {"survey": (Business, UmkmSurvey, "business_id", "name", "business"),
             "audit": (Cooperative, CooperativeAudit, "cooperative_id", "name", "cooperative"),
             "verification": (AidApplicant, AidVerification, "applicant_id", "full_name",
                              "aid_applicant")}


def _assignments(session: Session, officer_id: str, today: date, regencies: dict[str, str]
                 ) -> tuple[list[WaitingRecord], list[WaitingRecord] | None]:
    """The officer's pulled assignments whose visit has not been started
    (any visit of the kind dated on or after the day it was given; a draft
    is among the drafts): surveys and verifications, and audits apart (None
    when the office gave this officer no audit). Overdue first, then by due
    date, those with none last."""
    rows = session.scalars(select(AssignmentRow).where(AssignmentRow.officer_id == officer_id)).all()
    visits: list[WaitingRecord] = []
    audits: list[WaitingRecord] | None = None
    for kind, (model, visit, parent_field, title_field, entity) in _ASSIGNED.items():
        mine = [r for r in rows if r.kind == kind]
        if kind == "audit" and mine:
            audits = []
        if not mine:
            continue
        ids = [r.target_id for r in mine]
        started: dict[str, Any] = dict(session.execute(
            select(getattr(visit, parent_field), func.max(visit.visit_date))
            .where(getattr(visit, parent_field).in_(ids), visit.deleted_at.is_(None))
            .group_by(getattr(visit, parent_field))).all())
        records = {rid: (title, village, regency) for rid, title, village, regency in session.execute(
            select(model.id, getattr(model, title_field), model.village, model.regency_code)
            .where(model.id.in_(ids), model.deleted_at.is_(None))).all()}
        for row in mine:
            last = _as_date(started.get(row.target_id))
            if last is not None and last >= row.assigned_at.date():
                continue  # visited (or a draft started) since it was given
            if row.target_id not in records:
                continue  # not on this laptop yet: it comes with the next pull
            title, village, regency = records[row.target_id]
            line = WaitingRecord(entity, row.target_id, title, _place(village, regency, regencies),
                                 day=last if kind == "audit" else None, due=row.due_date,
                                 overdue=row.due_date is not None and row.due_date < today)
            (audits if kind == "audit" and audits is not None else visits).append(line)
    order = lambda r: (not r.overdue, r.due is None, r.due or date.max, r.title)  # noqa: E731
    visits.sort(key=order)
    if audits is not None:
        audits.sort(key=order)
    return visits, audits


def _audits_due(session: Session, regency_code: str | None, year_start: date, shown: int,
                regencies: dict[str, str]) -> Waiting:
    """Cooperatives of the regency with no audit (draft or final) since
    1 January; the never audited first, then the longest ago."""
    audit = aliased(CooperativeAudit)
    this_year = exists().where(audit.cooperative_id == Cooperative.id, audit.deleted_at.is_(None),
                               audit.visit_date >= year_start)
    where = and_(Cooperative.deleted_at.is_(None), ~this_year)
    if regency_code:
        where = and_(where, Cooperative.regency_code == regency_code)
    total = session.scalar(select(func.count()).select_from(Cooperative).where(where)) or 0
    last = (select(func.max(CooperativeAudit.visit_date))
            .where(CooperativeAudit.cooperative_id == Cooperative.id,
                   CooperativeAudit.deleted_at.is_(None),
                   CooperativeAudit.status == VisitStatus.FINALISED)
            .correlate(Cooperative).scalar_subquery())
    rows = session.execute(
        select(Cooperative.id, Cooperative.name, Cooperative.village, Cooperative.regency_code,
               last.label("last"))
        .where(where).order_by(last.is_not(None), last, Cooperative.name).limit(shown)).all()
    return Waiting(total, tuple(WaitingRecord("cooperative", rid, name, _place(village, reg, regencies),
                                              _as_date(day))
                                for rid, name, village, reg, day in rows))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _outbox(session: Session) -> tuple[int, int]:
    """Pending and parked change-log entries, counted on the push index.
    (Counting the distinct records they touch took a quarter of a second at
    100,000 pending entries; changes are what the sync bar counts too.)"""
    counts = dict(session.execute(
        select(ChangeLog.push_state, func.count())
        .where(or_(ChangeLog.push_state == PushState.PENDING, ChangeLog.push_state == PushState.PARKED))
        .group_by(ChangeLog.push_state)).all())
    return int(counts.get(PushState.PENDING, 0)), int(counts.get(PushState.PARKED, 0))


def _sync_attempts(session: Session) -> tuple[SyncAttempt | None, SyncAttempt | None]:
    def newest(*where: Any) -> SyncAttempt | None:
        row = session.scalars(select(SyncHistory).where(*where)
                              .order_by(SyncHistory.id.desc()).limit(1)).first()
        if row is None:
            return None
        return SyncAttempt(row.finished_at, bool(row.ok), row.pushed, row.pulled, row.message)

    return newest(SyncHistory.ok == 1), newest()


def _recovered(session: Session, officer_id: str) -> tuple[RecoveredForm, ...]:
    rows = session.scalars(select(FormSnapshot).where(FormSnapshot.officer_id == officer_id)
                           .order_by(FormSnapshot.saved_at.desc())).all()
    return tuple(RecoveredForm(r.key, r.kind, r.record_id, _snapshot_title(session, r.kind, r.values),
                               r.saved_at, _snapshot_parent(r.kind, r.values))
                 for r in rows if r.kind in KINDS)


def _snapshot_parent(kind_name: str, values_json: str) -> str | None:
    """The entity a new visit's snapshot is about (None for an entity)."""
    kind = kind_of(kind_name)
    if not kind.is_visit:
        return None
    try:
        values = json.loads(values_json or "{}")
    except ValueError:
        return None
    parent = values.get(kind.parent_field or "") if isinstance(values, dict) else None
    return str(parent) if parent else None


def _snapshot_title(session: Session, kind_name: str, values_json: str) -> str:
    """The name the form was about: its own title field, or the visited
    entity's name. Never a NIK: only title fields are read."""
    try:
        values = json.loads(values_json or "{}")
    except ValueError:
        return ""
    if not isinstance(values, dict):
        return ""
    kind = kind_of(kind_name)
    if not kind.is_visit:
        return str(values.get(kind.title_field) or "")
    parent_id = values.get(kind.parent_field or "")
    if not parent_id:
        return ""
    parent_kind = kind_of(kind.parent_kind or "")
    title = session.scalar(select(getattr(parent_kind.model, parent_kind.title_field))
                           .where(parent_kind.model.id == str(parent_id)))
    return str(title or "")


__all__ = ["HomeSummary", "RecoveredForm", "SyncAttempt", "Waiting", "WaitingRecord", "home_summary"]
