"""``GET /v1/assignments``: the signed-in officer's open assignments, whole.

A separate endpoint rather than pulled changes: assignments are the office's
instructions to one officer, not records of the regency, and an officer has
at most a few hundred; the laptop replaces its copy with each answer."""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

from .. import assignments
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Caller, UnitOfWork

router = APIRouter(prefix=f"{p.API_PREFIX}/assignments", tags=["assignments"],
                   dependencies=AUTHENTICATED, responses=ERROR_RESPONSES)


@router.get("", response_model=p.AssignmentsResponse)
def mine(caller: Caller, session: UnitOfWork) -> p.AssignmentsResponse:
    rows = assignments.for_officer(session, caller.officer_id)
    return p.AssignmentsResponse(
        officer_id=caller.officer_id, server_time=format_utc(utc_now()),
        assignments=[p.AssignmentInfo(
            id=a.id, kind=a.kind, target_table=a.target_table, target_id=a.target_id,
            due_date=a.due_date.isoformat() if a.due_date else None, plan_year=a.plan_year,
            note=a.note, assigned_at=format_utc(a.assigned_at)) for a in rows])
