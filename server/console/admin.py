"""Accounts, devices, assignments and the audit log, with forms, for
supervisors (their regency) and admins (all Lampung).

Every action calls the provincial service's use cases (server/accounts.py,
server/assignments.py, server/audit.py), the ones the command line calls:
the rules (a supervisor manages officers of their regency only, only an
admin makes supervisors and admins, nobody deactivates themselves, the last
admin stays) and the audit lines are theirs, not repeated here. A refusal
comes back as the page with the service's sentence in the visitor's
language. A one-time password is shown once, in the answer to the POST
that made it (never in an address), for the manager to hand over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from desktop_app.models import RECORD_KINDS, AidApplicant, Business, Cooperative
from desktop_app.models.rules.nik import mask_nik
from desktop_app.protocol import Role

from .. import accounts, assignments, audit, errors, sheet_import
from ..tables import Assignment
from . import records
from .routes import console_actor
from .sessions import Visitor, end_all_of
from .web import (
    Db, Posted, Refusal, Upload, Uploaded, check_post, page_visitor, render, url,
)

router = APIRouter(include_in_schema=False)
ASSIGN_PAGE = 50
AUDIT_PAGE = 100
#: The record each kind of assignment is about, and its console slug.
TARGETS = {"verification": (AidApplicant, "full_name", "applicants"),
           "survey": (Business, "name", "businesses"),
           "audit": (Cooperative, "name", "cooperatives")}


def actor(request: Request, visitor: Visitor) -> audit.Actor:
    return console_actor(request, visitor)


def manager(request: Request, session: Db) -> Visitor:
    visitor = page_visitor(request, session)
    if not visitor.is_supervisor:
        raise Refusal(403, "admins_only")
    return visitor


def said(exc: errors.ApiError, visitor: Visitor) -> str:
    return exc.body.message_en if visitor.language == "en" else exc.body.message_id


# -- spreadsheet imports -----------------------------------------------------

@dataclass
class SheetOutcome:
    """What a spreadsheet upload came to, for the page: the rows read, what
    was made (nothing when only checked or refused), each problem in the
    visitor's language, or why the file could not be read."""

    status: int = 200
    rows: int = 0
    made: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked_only: bool = False
    error: str | None = None


Rows = list[tuple[int, dict[str, str]]]


def import_sheet(request: Request, session: Db, upload: Upload, read: Callable[[bytes], Rows],
                 run: Callable[[Any, audit.Actor, Rows], sheet_import.SheetReport[Any]],
                 ) -> tuple[Visitor, SheetOutcome]:
    """A manager's upload (CSRF checked) read and imported by ``run`` (the
    service the command line calls) in a savepoint: rolled back when the
    form asked to check only, or when any row has a problem."""
    visitor = manager(request, session)
    check_post(request, upload.form, visitor.csrf)
    return visitor, _imported(session, visitor, upload, read,
                              lambda rows: run(session, actor(request, visitor), rows))


def _imported(session: Db, visitor: Visitor, upload: Upload, read: Callable[[bytes], Rows],
              run: Callable[[Rows], sheet_import.SheetReport[Any]]) -> SheetOutcome:
    checked_only = upload.form.get("check_only") == "1"
    try:
        if not upload.data:
            raise errors.invalid("Pilih berkas spreadsheet (.xlsx) dahulu.",
                                 "Choose a spreadsheet file (.xlsx) first.", field="file")
        rows = read(upload.data)
        savepoint = session.begin_nested()
        try:
            report = run(rows)
        except BaseException:
            savepoint.rollback()
            raise
        if checked_only:
            savepoint.rollback()
        else:
            savepoint.commit()
    except sheet_import.ImportRefused as refused:
        return SheetOutcome(refused.status, refused.report.rows,
                            problems=sheet_import.format_problems(refused.report.problems,
                                                                  visitor.language),
                            checked_only=checked_only, error=said(refused, visitor))
    except errors.ApiError as exc:
        return SheetOutcome(exc.status, checked_only=checked_only, error=said(exc, visitor))
    return SheetOutcome(200, report.rows, [] if checked_only else report.made,
                        checked_only=checked_only)


# -- officers --------------------------------------------------------------

def _officers_page(request: Request, session: Db, visitor: Visitor, *, status: int = 200,
                   error: str | None = None, secret: Any = None, done: str | None = None,
                   form: dict[str, str] | None = None, sheet: SheetOutcome | None = None
                   ) -> Response:
    params = request.query_params
    regency = params.get("regency") or None
    if regency and not visitor.is_admin and regency != visitor.regency_code:
        raise Refusal(403, "forbidden_regency")
    active = {"active": True, "inactive": False}.get(params.get("active", ""))
    listed = accounts.list_officers(session, actor(request, visitor), regency_code=regency,
                                    role=params.get("role") or None, active=active,
                                    search=(params.get("q") or "").strip()[:64] or None)
    return render(request, "officers.html", visitor=visitor, status=status, officers=listed,
                  regencies=dict(records.regencies(session)), error=error, secret=secret,
                  done=done, form=form or {}, filters=dict(params), sheet=sheet)


@router.get("/console/officers")
def officers(request: Request, session: Db) -> Response:
    visitor = manager(request, session)
    return _officers_page(request, session, visitor)


@router.post("/console/officers")
def add_officer(request: Request, form: Posted, session: Db) -> Response:
    visitor = manager(request, session)
    check_post(request, form, visitor.csrf)
    regency = form.get("regency") or visitor.regency_code
    role = form.get("role") or Role.OFFICER.value
    try:
        with session.begin_nested():  # a refusal undoes only this
            made = accounts.add(session, actor(request, visitor), username=form.get("username"),
                                full_name=form.get("full_name"), role=role,
                                regency_code=None if role == Role.ADMIN.value else regency,
                                phone=form.get("phone") or None, email=form.get("email") or None)
    except errors.ApiError as exc:
        return _officers_page(request, session, visitor, status=exc.status,
                              error=said(exc, visitor), form=form.single())
    return _officers_page(request, session, visitor, secret=made, done="created")


@router.post("/console/officers/import")
def import_officers(request: Request, upload: Uploaded, session: Db) -> Response:
    """Officers from a spreadsheet, all or nothing (server/sheet_import.py);
    the one-time passwords shown once, in this answer."""
    visitor, outcome = import_sheet(request, session, upload, accounts.read_sheet,
                                    accounts.import_officers)
    return _officers_page(request, session, visitor, status=outcome.status, sheet=outcome)


@router.post("/console/officers/{username}/{action}")
def officer_action(username: str, action: str, request: Request, form: Posted,
                   session: Db) -> Response:
    visitor = manager(request, session)
    check_post(request, form, visitor.csrf)
    who = actor(request, visitor)
    secret = None
    if action not in ("deactivate", "reactivate", "reset"):
        raise Refusal(404, "page_not_found")
    try:
        with session.begin_nested():
            if action == "deactivate":
                accounts.deactivate(session, who, username, reason=form.get("reason")[:200],
                                    keep_devices=form.get("keep_devices") == "1")
            elif action == "reactivate":
                secret = accounts.reactivate(session, who, username)
            else:
                secret = accounts.reset_password(session, who, username)
    except errors.ApiError as exc:
        return _officers_page(request, session, visitor, status=exc.status,
                              error=said(exc, visitor))
    if action in ("deactivate", "reset"):  # their console sessions end with their tokens
        end_all_of(session, accounts.find(session, username).id)
    return _officers_page(request, session, visitor, secret=secret, done=action)


# -- devices ---------------------------------------------------------------

@router.get("/console/devices")
def devices(request: Request, session: Db) -> Response:
    visitor = manager(request, session)
    regency = request.query_params.get("regency") or None
    if regency and not visitor.is_admin and regency != visitor.regency_code:
        raise Refusal(403, "forbidden_regency")
    listed = accounts.list_devices(session, actor(request, visitor), regency_code=regency,
                                   include_revoked=request.query_params.get("all") == "1")
    return render(request, "devices.html", visitor=visitor, devices=listed, regency=regency,
                  request_all=request.query_params.get("all") == "1",
                  regencies=dict(records.regencies(session)),
                  done=request.query_params.get("done"))


@router.post("/console/devices/{device_id}/revoke")
def revoke(device_id: str, request: Request, form: Posted, session: Db) -> Response:
    visitor = manager(request, session)
    check_post(request, form, visitor.csrf)
    try:
        accounts.revoke_device(session, actor(request, visitor), device_id[:36],
                               reason=form.get("reason")[:200])
    except errors.ApiError as exc:
        raise Refusal(exc.status, "error", said(exc, visitor)) from None
    return RedirectResponse("/console/devices?done=1", status_code=303)


# -- assignments -----------------------------------------------------------

def _candidates(session: Db, visitor: Visitor, kind: str, regency: str | None, district: str | None,
                q: str) -> list[dict[str, Any]]:
    """Records of the kind without an open assignment, in scope, to tick."""
    model, title, slug = TARGETS[kind]
    taken = select(Assignment.target_id).where(Assignment.kind == kind,
                                               Assignment.status == "open")
    query = select(model.id, getattr(model, title).label("title"), model.regency_code,
                   model.district_code, model.village).where(
        model.deleted_at.is_(None), model.id.not_in(taken))
    if regency:
        query = query.where(model.regency_code == regency)
    if district:
        query = query.where(model.district_code == district)
    if q:
        query = query.where(func.lower(getattr(model, title)).contains(q.lower(), autoescape=True))
    rows = session.execute(query.order_by(getattr(model, title), model.id).limit(ASSIGN_PAGE)).all()
    extra = {}
    if model is AidApplicant and rows:
        extra = dict(session.execute(select(AidApplicant.id, AidApplicant.nik)
                                     .where(AidApplicant.id.in_([r.id for r in rows]))).all())
    names = records.region_names(session, {r.district_code for r in rows})
    return [{"id": r.id, "title": r.title, "district": names.get(r.district_code or "", ""),
             "village": r.village, "slug": slug, "nik": mask_nik(extra.get(r.id))}
            for r in rows]


def _assignments_page(request: Request, session: Db, visitor: Visitor, *, status: int = 200,
                      error: str | None = None, done: str | None = None,
                      sheet: SheetOutcome | None = None) -> Response:
    params = request.query_params
    kind = params.get("kind") if params.get("kind") in TARGETS else "verification"
    regency = params.get("regency") or (None if visitor.is_admin else visitor.regency_code)
    if regency and not visitor.is_admin and regency != visitor.regency_code:
        raise Refusal(403, "forbidden_regency")
    state = params.get("status") if params.get("status") in ("open", "done", "cancelled") else "open"
    listed = assignments.listing(session, actor(request, visitor), kind=kind,
                                 regency_code=regency, status=state, limit=200)
    district = params.get("district") or None
    officers = [(i, n) for i, n in records.officers_in_scope(session, visitor)]
    if regency:
        from ..tables import Officer

        officers = [(o.id, o.full_name) for o in session.scalars(
            select(Officer).where(Officer.regency_code == regency, Officer.active.is_(True),
                                  Officer.role == Role.OFFICER.value).order_by(Officer.full_name))]
    return render(request, "assignments.html", visitor=visitor, status=status, kind=kind,
                  state=state, regency=regency, district=district, listed=listed,
                  candidates=_candidates(session, visitor, kind, regency, district,
                                         (params.get("q") or "").strip()[:100]),
                  officers=officers, regencies=records.regencies(session),
                  districts=records.children(session, regency), error=error,
                  done=done or params.get("done"), q=params.get("q") or "",
                  slugs=records.SLUGS, target_slug=TARGETS[kind][2], sheet=sheet)


@router.get("/console/assignments")
def assignments_page(request: Request, session: Db) -> Response:
    visitor = manager(request, session)
    return _assignments_page(request, session, visitor)


@router.post("/console/assignments")
def assign(request: Request, form: Posted, session: Db) -> Response:
    """Assign every ticked record to one officer (all or nothing)."""
    visitor = manager(request, session)
    check_post(request, form, visitor.csrf)
    kind = form.get("kind")
    if kind not in TARGETS:
        raise Refusal(400, "error")
    chosen = form.getlist("target")[:ASSIGN_PAGE * 4]
    who = actor(request, visitor)
    back = {"kind": kind, "regency": form.get("regency") or None,
            "district": form.get("district") or None}
    try:
        if not chosen:
            raise errors.invalid("Pilih sedikitnya satu data untuk ditugaskan.",
                                 "Tick at least one record to assign.", field="target")
        with session.begin_nested():  # all or nothing
            for target in chosen:
                assignments.assign(session, who, kind=kind, target=target[:36],
                                   officer=form.get("officer")[:36],
                                   due_date=form.get("due_date") or None,
                                   note=form.get("note")[:500])
    except errors.ApiError as exc:
        request.scope["query_string"] = "&".join(
            f"{k}={v}" for k, v in back.items() if v).encode()
        return _assignments_page(request, session, visitor, status=exc.status,
                                 error=said(exc, visitor))
    return RedirectResponse(url("/console/assignments", done=str(len(chosen)), **back),
                            status_code=303)


@router.post("/console/assignments/import")
def import_assignments(request: Request, upload: Uploaded, session: Db) -> Response:
    """Assignments from a spreadsheet, all or nothing (server/sheet_import.py)."""
    visitor, outcome = import_sheet(request, session, upload, assignments.read_sheet,
                                    assignments.import_assignments)
    return _assignments_page(request, session, visitor, status=outcome.status, sheet=outcome)


@router.post("/console/assignments/{assignment_id}/cancel")
def cancel(assignment_id: str, request: Request, form: Posted, session: Db) -> Response:
    visitor = manager(request, session)
    check_post(request, form, visitor.csrf)
    try:
        row = assignments.cancel(session, actor(request, visitor), assignment_id[:36])
    except errors.ApiError as exc:
        raise Refusal(exc.status, "error", said(exc, visitor)) from None
    return RedirectResponse(url("/console/assignments", kind=row.kind, done="cancelled"),
                            status_code=303)


# -- audit log ---------------------------------------------------------------

@router.get("/console/audit")
def audit_log(request: Request, session: Db) -> Response:
    visitor = manager(request, session)
    params = request.query_params
    try:
        page = max(0, int(params.get("page", "0")))
        since = date.fromisoformat(params["since"]) if params.get("since") else None
        until = date.fromisoformat(params["until"]) if params.get("until") else None
    except ValueError:
        raise Refusal(400, "bad_date") from None
    regency = params.get("regency") or None
    if regency and not visitor.is_admin and regency != visitor.regency_code:
        raise Refusal(403, "forbidden_regency")
    action = params.get("action") or None
    filters = audit.AuditFilter(
        since=datetime(since.year, since.month, since.day, tzinfo=timezone.utc) if since else None,
        until=(datetime(until.year, until.month, until.day, tzinfo=timezone.utc)
               + timedelta(days=1)) if until else None,
        actions=[action] if action else (), actor=(params.get("actor") or "").strip() or None,
        regency_code=regency, limit=AUDIT_PAGE + 1, offset=page * AUDIT_PAGE)
    events = audit.query(session, filters, viewer=actor(request, visitor))
    more = len(events) > AUDIT_PAGE
    return render(request, "audit.html", visitor=visitor, events=events[:AUDIT_PAGE], more=more,
                  page=page, actions=[a.value for a in audit.Action], filters=dict(params),
                  regencies=records.regencies(session))


__all__ = ["router", "RECORD_KINDS"]
