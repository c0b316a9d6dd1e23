"""Who verifies each imported applicant: the one step of the list import
that hands work to officers.

Until the province's assignments (server/assignments.py) land on main this
is the whole rule: the regency's active officers, the least loaded first
(applicants of open lists already assigned to them), in turn. Kept behind
:func:`choose_officers` so the import changes in one place when it does.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant

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
