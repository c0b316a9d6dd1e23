"""Who verifies each imported applicant: the one step of the list import
that hands work to officers. The regency's active officers, the least
loaded first (applicants already assigned to them), in turn; each choice
is an open assignment of the province's kind 'verification'
(server/assignments.py), so it shows on the officer's home page and is
done when the verification arrives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant

from . import assignments
from .tables import Officer


def choose_officers(session: Session, regency_code: str, count: int) -> list[str | None]:
    """An officer id for each of ``count`` new applicants of the regency
    (None when the regency has no active officer yet)."""
    officers = list(session.scalars(select(Officer.id).where(
        Officer.regency_code == regency_code, Officer.role == "officer", Officer.active.is_(True))
        .order_by(Officer.username)))
    if not officers:
        return [None] * count
    load = dict.fromkeys(officers, 0)
    for officer_id, n in session.execute(
            select(AidApplicant.assigned_officer_id, func.count())
            .where(AidApplicant.assigned_officer_id.in_(officers),
                   AidApplicant.deleted_at.is_(None))
            .group_by(AidApplicant.assigned_officer_id)).all():
        load[officer_id] = n
    chosen: list[str | None] = []
    for _ in range(count):
        officer = min(officers, key=lambda o: (load[o], officers.index(o)))
        load[officer] += 1
        chosen.append(officer)
    return chosen


def assign(session: Session, actor: Any, applicant_id: str, officer_id: str) -> None:
    """The assignment itself (one audit line is written for the whole import)."""
    assignments.assign(session, actor, kind="verification", target=applicant_id,
                       officer=officer_id, note="daftar pemohon / applicant list", _record=False)
