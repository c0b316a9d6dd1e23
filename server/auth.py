"""Accounts, devices and bearer tokens.

Passwords are stored as Argon2id hashes (argon2-cffi), tokens only as their
SHA-256: neither table holds anything that signs anyone in. A token belongs
to one officer on one device, expires, and dies with a sign-out or with its
device's revocation.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.models.types import utc_now
from desktop_app.protocol import Role

from . import errors
from .account_state import account_deactivated, sign_in_refusal
from .tables import Device, Officer, Token

TOKEN_LIFETIME = timedelta(days=30)  # an officer may be in blank spots for weeks
_hasher = PasswordHasher()
#: Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as the routes need it."""

    officer_id: str
    role: Role
    regency_code: str | None
    device_id: str

    def may_see_regency(self, regency_code: str | None) -> bool:
        return self.role == Role.ADMIN or (regency_code is not None
                                           and regency_code == self.regency_code)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(officer: Officer | None, password: str) -> bool:
    try:
        return _hasher.verify(officer.password_hash if officer else _DUMMY_HASH, password) \
            and officer is not None
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(session: Session, *, username: str, password: str, device_id: str,
            device_name: str) -> tuple[str, datetime, Officer]:
    """A new token for a valid officer on a device that is not revoked."""
    officer = check_credentials(session, username, password)
    device = session.get(Device, device_id)
    refusal = sign_in_refusal(officer, device)  # deactivated, or a one-time password to replace
    if refusal is not None:
        raise refusal
    if device is None:
        device = Device(id=device_id, name=device_name, registered_by=officer.id)
        session.add(device)
    elif device.revoked_at is not None:
        raise errors.device_revoked()
    token = secrets.token_urlsafe(32)
    expires = utc_now() + TOKEN_LIFETIME
    session.add(Token(token_hash=token_digest(token), officer_id=officer.id,
                      device_id=device_id, expires_at=expires))
    return token, expires, officer


def wrong_password() -> errors.ApiError:
    return errors.ApiError(401, errors.ErrorCode.UNAUTHENTICATED,
                           "Nama pengguna atau kata sandi salah.", "Wrong username or password.",
                           {"field": "password"})


def check_credentials(session: Session, username: str, password: str) -> Officer:
    """The account behind a right username and password (401 otherwise; as
    slow for an unknown username as for a wrong password)."""
    officer = session.scalar(select(Officer).where(Officer.username == username))
    if not check_password(officer, password) or officer is None:
        raise wrong_password()
    return officer


def authenticate(session: Session, token: str | None) -> Principal:
    """The caller behind a bearer token, or the right 401/403."""
    if not token:
        raise errors.unauthenticated()
    row = session.get(Token, token_digest(token))
    if row is None:
        raise errors.unauthenticated()
    device = session.get(Device, row.device_id)
    officer = session.get(Officer, row.officer_id)
    if officer is not None and not officer.active:  # its tokens are revoked too; said in words
        raise account_deactivated(laptop_revoked=device is None or device.revoked_at is not None)
    if device is None or device.revoked_at is not None:
        raise errors.device_revoked()  # before the token's own revocation, which it implies
    if officer is None:
        raise errors.unauthenticated()
    if row.revoked_at is not None:
        raise errors.unauthenticated()
    if row.expires_at <= utc_now():
        raise errors.token_expired()
    return Principal(officer.id, Role(officer.role), officer.regency_code, device.id)


def sign_out(session: Session, token: str) -> None:
    session.execute(update(Token).where(Token.token_hash == token_digest(token))
                    .values(revoked_at=utc_now()))


def revoke_device(session: Session, principal: Principal, device_id: str) -> None:
    """Admins revoke any device; supervisors the devices of their regency's
    officers. Every token of the device dies with it."""
    device = session.get(Device, device_id)
    if device is None:
        raise errors.not_found("perangkat", "device")
    owner = session.get(Officer, device.registered_by)
    allowed = principal.role == Role.ADMIN or (
        principal.role == Role.SUPERVISOR and owner is not None
        and owner.regency_code == principal.regency_code)
    if not allowed:
        raise errors.forbidden("mencabut perangkat ini", "revoking this device")
    now = utc_now()
    device.revoked_at = now
    session.execute(update(Token).where(Token.device_id == device_id, Token.revoked_at.is_(None))
                    .values(revoked_at=now))
