"""Each step of an aid round in the server's audit log (server/audit.py):
rounds created and changed, lists imported, approval steps (from the
command line, a laptop's push or a sync bundle), businesses merged. Never a
NIK: the details name rounds, regencies, counts and record ids only (and
audit.record masks any 16-digit run besides)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .tables import Officer


def actor_for(session: Session, username: str | None = None, *, officer_id: str | None = None,
              device_id: str | None = None) -> audit.Actor | None:
    officer = None
    if officer_id:
        officer = session.get(Officer, officer_id)
    elif username:
        officer = session.scalar(select(Officer).where(Officer.username == username))
    return audit.Actor.of_officer(officer, device_id=device_id) if officer is not None else None


def record(session: Session, actor: str | audit.Actor | None, action: str, *,
           target_type: str | None = None, target_id: str | None = None,
           regency_code: str | None = None, detail: dict[str, Any] | None = None) -> None:
    who = actor if isinstance(actor, audit.Actor) else actor_for(session, actor)
    audit.record(session, action, actor=who,
                 actor_label=None if who else (actor if isinstance(actor, str) else "operator"),
                 target_type=target_type, target_id=target_id, regency_code=regency_code,
                 detail=detail or {})
