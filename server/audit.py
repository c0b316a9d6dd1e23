"""The server's audit log: an append-only record of who did what, when, and
from which device or address.

What is recorded (``Action``): sign-ins that succeeded or failed, lockouts,
password changes, account and role changes, device revocations, conflict
settlements, assignment changes, exports, backups and restores. Each line
names the actor (an officer, or the machine operator at the command line),
the device or network address, the thing acted on and a few words of detail.

Never a NIK: :func:`record` refuses detail keys that name one and masks any
16-digit run in the values, so a careless caller cannot put one there. The
table itself refuses UPDATE and DELETE (triggers made by migration s0009):
nothing in Tapis edits or prunes it; a backup carries it whole.

Framework-free: the routes, the console and the command line call
:func:`record` with their own Session (the line joins the caller's
transaction, so a refused action that rolls back leaves no line claiming it
happened; failed sign-ins are recorded in a transaction of their own by the
sign-in code) and :func:`query` to read it.
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop_app.logs import redact
from desktop_app.models.types import utc_now
from desktop_app.protocol import Role

from .tables import AuditEvent, Officer


class Action(StrEnum):
    SIGN_IN = "sign_in"                    # outcome ok / refused (wrong password, deactivated, ...)
    SIGN_OUT = "sign_out"
    LOCKOUT = "lockout"
    UNLOCK = "unlock"
    PASSWORD_CHANGE = "password_change"    # by the officer (the one-time password replaced)
    PASSWORD_RESET = "password_reset"      # by an admin/supervisor: a new one-time password
    OFFICER_ADD = "officer_add"
    OFFICER_CHANGE = "officer_change"      # name, contact, regency
    ROLE_CHANGE = "role_change"
    OFFICER_DEACTIVATE = "officer_deactivate"
    OFFICER_REACTIVATE = "officer_reactivate"
    OFFICER_IMPORT = "officer_import"
    DEVICE_REVOKE = "device_revoke"
    CONFLICT_SETTLE = "conflict_settle"
    ASSIGNMENT_ADD = "assignment_add"
    ASSIGNMENT_CHANGE = "assignment_change"
    ASSIGNMENT_CANCEL = "assignment_cancel"
    ASSIGNMENT_IMPORT = "assignment_import"
    EXPORT = "export"
    BACKUP = "backup"
    RESTORE = "restore"


#: Detail keys that may never be recorded, whatever the caller passes.
FORBIDDEN_KEYS = frozenset({"nik", "kk", "kk_number", "password", "new_password", "token",
                            "one_time_password", "password_hash"})
MAX_DETAIL_TEXT = 300


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, as the services and the audit log need it.

    An officer signed in (API or console) has ``officer_id``; the machine
    operator at the server's command line has none and acts with an admin's
    rights (whoever can run ``python -m server`` owns the database anyway).
    """

    label: str
    role: Role
    regency_code: str | None = None
    officer_id: str | None = None
    device_id: str | None = None
    address: str | None = None

    @classmethod
    def operator(cls) -> Actor:
        """The person at the server's terminal: ``operator:user@host``."""
        try:  # the person behind sudo (docs/deploy/tapis-admin), not the service account
            user = os.environ.get("SUDO_USER") or getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return cls(label=f"operator:{user}@{socket.gethostname()}"[:120], role=Role.ADMIN)

    @classmethod
    def of_officer(cls, officer: Officer, *, device_id: str | None = None,
                   address: str | None = None) -> Actor:
        return cls(label=officer.username, role=Role(officer.role),
                   regency_code=officer.regency_code, officer_id=officer.id,
                   device_id=device_id, address=address)

    @classmethod
    def of_principal(cls, session: Session, principal: Any, *, address: str | None = None) -> Actor:
        """From server.auth.Principal (or anything with officer_id, role,
        regency_code and, optionally, device_id)."""
        officer = session.get(Officer, principal.officer_id)
        label = officer.username if officer is not None else principal.officer_id
        return cls(label=label, role=Role(principal.role), regency_code=principal.regency_code,
                   officer_id=principal.officer_id,
                   device_id=getattr(principal, "device_id", None), address=address)

    @property
    def is_operator(self) -> bool:
        return self.officer_id is None


def record(session: Session, action: Action | str, *, actor: Actor | None = None,
           actor_label: str | None = None, outcome: str = "ok",
           target_type: str | None = None, target_id: str | None = None,
           regency_code: str | None = None, device_id: str | None = None,
           address: str | None = None, detail: Mapping[str, Any] | None = None,
           at: datetime | None = None) -> AuditEvent:
    """Append one line (in the caller's transaction). ``actor`` or, when the
    actor is not a known account (a failed sign-in), ``actor_label``."""
    if actor is None and not actor_label:
        raise ValueError("an audit line needs an actor or an actor label")
    event = AuditEvent(
        at=at or utc_now(), action=str(action), outcome=outcome,
        actor_officer_id=actor.officer_id if actor else None,
        actor=_text(actor.label if actor else actor_label or "", 120),
        device_id=device_id or (actor.device_id if actor else None),
        address=_text(address or (actor.address if actor else None), 64),
        target_type=target_type, target_id=_text(target_id, 64),
        regency_code=regency_code, detail=_clean(detail or {}))
    session.add(event)
    session.flush()
    return event


def _text(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return redact(str(value))[:limit]


def _clean(detail: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in detail.items():
        if key.lower() in FORBIDDEN_KEYS:
            continue
        cleaned[key] = _clean_value(value)
    return cleaned


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)[:MAX_DETAIL_TEXT]
    if isinstance(value, Mapping):
        return _clean(value)
    if isinstance(value, (list, tuple)):
        return [_clean_value(v) for v in value][:50]
    if isinstance(value, (int, float, bool)) or value is None:
        return redact(str(value)) if isinstance(value, int) and len(str(value)) >= 16 else value
    return redact(str(value))[:MAX_DETAIL_TEXT]


@dataclass(frozen=True)
class AuditFilter:
    """What an admin asks the log for; every field optional."""

    since: datetime | None = None
    until: datetime | None = None
    actions: Sequence[str] = ()
    actor: str | None = None          # a username or operator label (exact) or an officer id
    target_id: str | None = None      # e.g. an officer's id or username, a device id
    regency_code: str | None = None
    device_id: str | None = None
    address: str | None = None
    outcome: str | None = None
    limit: int = 200
    offset: int = 0
    newest_first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def query(session: Session, filters: AuditFilter | None = None, *,
          viewer: Actor | None = None) -> list[AuditEvent]:
    """The lines that match, newest first by default. A supervisor viewer sees
    only lines about their own regency; officers see none (the routes and
    the console check this too; here it is the last line of defence)."""
    f = filters or AuditFilter()
    stmt = select(AuditEvent)
    if viewer is not None and viewer.role != Role.ADMIN:
        if viewer.role != Role.SUPERVISOR or viewer.regency_code is None:
            return []
        stmt = stmt.where(AuditEvent.regency_code == viewer.regency_code)
    if f.since is not None:
        stmt = stmt.where(AuditEvent.at >= f.since)
    if f.until is not None:
        stmt = stmt.where(AuditEvent.at < f.until)
    if f.actions:
        stmt = stmt.where(AuditEvent.action.in_([str(a) for a in f.actions]))
    if f.actor:
        stmt = stmt.where(or_(AuditEvent.actor == f.actor, AuditEvent.actor_officer_id == f.actor))
    if f.target_id:
        stmt = stmt.where(AuditEvent.target_id == f.target_id)
    if f.regency_code:
        stmt = stmt.where(AuditEvent.regency_code == f.regency_code)
    if f.device_id:
        stmt = stmt.where(AuditEvent.device_id == f.device_id)
    if f.address:
        stmt = stmt.where(AuditEvent.address == f.address)
    if f.outcome:
        stmt = stmt.where(AuditEvent.outcome == f.outcome)
    order = AuditEvent.id.desc() if f.newest_first else AuditEvent.id.asc()
    stmt = stmt.order_by(order).limit(max(1, min(f.limit, 10_000))).offset(max(0, f.offset))
    return list(session.scalars(stmt))


def count(session: Session, action: Action | str | None = None) -> int:
    stmt = select(func.count()).select_from(AuditEvent)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == str(action))
    return int(session.scalar(stmt) or 0)


def describe(event: AuditEvent) -> str:
    """One readable line (the command line prints these)."""
    where = event.device_id and f"device {event.device_id[:8]}" or event.address or "-"
    target = (f"{event.target_type}:{event.target_id}" if event.target_id
              else event.target_type or "-")
    detail = ", ".join(f"{k}={v}" for k, v in sorted(event.detail.items())) if event.detail else ""
    stamp = event.at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{stamp}Z  {event.action:20} {event.outcome:8} {event.actor:28} {where:18} {target}" + (
        f"  {detail}" if detail else "")
