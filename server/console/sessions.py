"""Console sessions: a random cookie value, its SHA-256 in the database.

A session belongs to one officer, carries its CSRF token and language, and
ends at sign-out, after :data:`IDLE` without a request, or :data:`LIFETIME`
after sign-in. Deactivating an officer ends their sessions at the next
request (the officer is read on every request). The last-seen stamp is
written at most once a minute, so browsing is mostly reads.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.models.types import utc_now
from desktop_app.protocol import Role

from ..auth import Principal
from ..tables import Officer
from .tables import ConsoleSession

COOKIE = "tapis_console"
#: Before sign-in, the sign-in form's CSRF token rides in this cookie (double submit).
PRE_COOKIE = "tapis_console_pre"
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
#: The device id the console's actions are recorded under (no laptop involved).
CONSOLE_DEVICE = "console"
LANGUAGES = ("id", "en")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Visitor:
    """The officer behind a console request and their session, as plain
    values read once (usable after the request's transaction has ended,
    e.g. to draw an error page)."""

    officer_id: str
    username: str
    full_name: str
    role: Role
    regency_code: str | None
    must_change_password: bool
    language: str
    csrf: str
    token_hash: str

    @property
    def principal(self) -> Principal:
        return Principal(self.officer_id, self.role, self.regency_code, CONSOLE_DEVICE)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


def start(db: Session, officer: Officer, *, language: str, address: str) -> str:
    """A new session for ``officer``; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    db.add(ConsoleSession(token_hash=digest(token), officer_id=officer.id,
                          csrf=secrets.token_urlsafe(32),
                          language=language if language in LANGUAGES else "id",
                          address=address[:64], created_at=now, last_seen_at=now,
                          expires_at=now + LIFETIME))
    return token


def resume(db: Session, token: str | None) -> Visitor | None:
    """The live session behind a cookie value, touched; None when there is none."""
    if not token or len(token) > 100:
        return None
    row = db.get(ConsoleSession, digest(token))
    now = utc_now()
    if row is None or row.ended_at is not None or row.expires_at <= now \
            or row.last_seen_at + IDLE <= now:
        return None
    officer = db.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        row.ended_at = now
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return Visitor(officer_id=officer.id, username=officer.username, full_name=officer.full_name,
                   role=Role(officer.role), regency_code=officer.regency_code,
                   must_change_password=bool(getattr(officer, "must_change_password", False)),
                   language=row.language, csrf=row.csrf, token_hash=row.token_hash)


def end(db: Session, token: str | None) -> None:
    if token:
        db.execute(update(ConsoleSession).where(ConsoleSession.token_hash == digest(token))
                   .values(ended_at=utc_now()))


def end_all_of(db: Session, officer_id: str, *, keep: str | None = None) -> None:
    """End every session of an officer (a password change, a deactivation),
    except the one whose cookie is ``keep``."""
    query = update(ConsoleSession).where(ConsoleSession.officer_id == officer_id,
                                         ConsoleSession.ended_at.is_(None))
    if keep:
        query = query.where(ConsoleSession.token_hash != digest(keep))
    db.execute(query.values(ended_at=utc_now()))


def csrf_ok(expected: str | None, sent: str | None) -> bool:
    return bool(expected) and bool(sent) and hmac.compare_digest(str(expected), str(sent))


def live_sessions(db: Session, officer_id: str) -> int:
    now = utc_now()
    return len(db.scalars(select(ConsoleSession.token_hash).where(
        ConsoleSession.officer_id == officer_id, ConsoleSession.ended_at.is_(None),
        ConsoleSession.expires_at > now)).all())
