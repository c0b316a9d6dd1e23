"""Whether the province has accepted a verdict (then it is locked: no
correction, no further step), read inside the caller's unit of work; the
rest of the chain is services/approvals.py."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.approvals import AidDecision
from ..models.rules import approval


def is_accepted(session: Session, verification_id: str) -> bool:
    rows = session.execute(select(AidDecision.id, AidDecision.level, AidDecision.action,
                                  AidDecision.note)
                           .where(AidDecision.verification_id == verification_id,
                                  AidDecision.deleted_at.is_(None))).all()
    if not rows:
        return False
    return approval.standing(approval.Step(r.id, r.level, r.action, r.note)
                             for r in rows).stage == approval.Stage.ACCEPTED
