"""Accounts, devices and bearer tokens.

Passwords are stored as Argon2id hashes (argon2-cffi, checked by
server/sign_in.py), tokens only as their SHA-256: neither table holds
anything that signs anyone in. A token belongs to one officer on one device,
expires, and dies with a sign-out or with its device's revocation.

A device is its Ed25519 key: registered at its first sign-in, proven at
every sign-in after (a signature over a single-use nonce), and the key its
sync bundles must be signed with. Knowing a device's id is not enough to
sign in on it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from desktop_app.models.types import utc_now
from desktop_app import protocol as p
from desktop_app.protocol import ErrorCode, Role

from . import errors
from .account_state import account_deactivated
from .tables import Device, LoginChallenge, Officer, Token

TOKEN_LIFETIME = timedelta(days=30)  # an officer may be in blank spots for weeks
_hasher = PasswordHasher()
#: Outstanding (unused, unexpired) sign-in challenges one address may hold.
MAX_CHALLENGES_PER_ADDRESS = 64


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


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one behind ``stored_hash``. Only for checks
    that are not sign-ins (a new password differing from the old); sign-ins go
    through server.sign_in, throttled and outside any transaction. The Argon2
    check waits for one of server/sign_in.py's slots and runs on one thread."""
    from .sign_in import verify_password

    return stored_hash is not None and verify_password(stored_hash, password)


def hash_password(password: str) -> str:
    """Argon2id; checked by server/sign_in.py, outside any transaction."""
    return _hasher.hash(password)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- device proof (docs/PROTOCOL.md, 'Device proof') ---------------------------------


def new_challenge(session: Session, device_id: str, client_address: str) -> tuple[str, datetime]:
    """A single-use nonce for the next sign-in on ``device_id`` (kept as its SHA-256)."""
    now = utc_now()
    session.execute(delete(LoginChallenge).where(LoginChallenge.expires_at <= now))
    outstanding = session.scalar(select(func.count()).select_from(LoginChallenge).where(
        LoginChallenge.client_address == client_address)) or 0
    if outstanding >= MAX_CHALLENGES_PER_ADDRESS:
        raise errors.ApiError(
            429, ErrorCode.TOO_MANY_ATTEMPTS,
            "Terlalu banyak permintaan masuk yang belum dipakai dari alamat jaringan ini. Coba "
            "lagi dalam lima menit.",
            "Too many unused sign-in challenges from this network address. Try again in five "
            "minutes.", {"retry_after": p.CHALLENGE_LIFETIME_SECONDS},
            headers={"Retry-After": str(p.CHALLENGE_LIFETIME_SECONDS)})
    nonce = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=p.CHALLENGE_LIFETIME_SECONDS)
    session.add(LoginChallenge(nonce_hash=token_digest(nonce), device_id=device_id,
                               client_address=client_address, expires_at=expires))
    return nonce, expires


@dataclass(frozen=True, slots=True)
class DeviceProof:
    """A sign-in's proof, checked: the key it was made with (standard base64)."""

    device_id: str
    public_key: str


def check_device_proof(session: Session, body: p.LoginRequest) -> DeviceProof:
    """Use up the sign-in's nonce and check its signature: by the device's
    registered key, or, for a device with none yet, by the key the sign-in
    presents (registered by :func:`issue_token` once the password is right).
    Refusals are 401 ``device_proof_required`` / ``device_proof_invalid``."""
    device = session.get(Device, body.device_id)
    registered = device.signing_key if device is not None else None
    if not (body.nonce and body.device_proof) or (registered is None and not body.device_key):
        raise device_proof_required()
    used = session.execute(delete(LoginChallenge).where(
        LoginChallenge.nonce_hash == token_digest(body.nonce),
        LoginChallenge.device_id == body.device_id, LoginChallenge.expires_at > utc_now()))
    if not used.rowcount:  # type: ignore[attr-defined]
        raise device_proof_invalid()
    presented = _standard_key(body.device_key) if body.device_key else registered
    if presented is None or (registered is not None and presented != registered):
        raise device_proof_invalid()
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(presented)).verify(
            _b64decode(body.device_proof),
            p.device_proof_message(body.nonce, body.device_id, body.username))
    except (InvalidSignature, ValueError):
        raise device_proof_invalid() from None
    return DeviceProof(body.device_id, presented)


def _b64decode(text: str) -> bytes:
    """urlsafe or standard base64, padded or not."""
    text = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _standard_key(text: str) -> str | None:
    """A raw Ed25519 public key as the device table keeps it (standard base64), or None."""
    try:
        raw = _b64decode(text)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None
    return base64.b64encode(raw).decode()


def device_proof_required() -> errors.ApiError:
    return errors.ApiError(
        401, ErrorCode.DEVICE_PROOF_REQUIRED,
        "Laptop ini harus membuktikan kunci perangkatnya untuk masuk. Perbarui Tapis ke versi "
        "terbaru, lalu masuk lagi.",
        "This laptop must prove its device key to sign in. Update Tapis to the latest version, "
        "then sign in again.")


def device_proof_invalid() -> errors.ApiError:
    return errors.ApiError(
        401, ErrorCode.DEVICE_PROOF_INVALID,
        "Bukti perangkat tidak sah: laptop ini bukan perangkat yang terdaftar dengan nomor itu, "
        "atau tantangan masuk sudah dipakai atau kedaluwarsa. Masuk lagi; jika tetap gagal, "
        "hubungi admin kabupaten/provinsi.",
        "The device proof is not valid: this laptop is not the device registered under that "
        "id, or the sign-in challenge was already used or has expired. Sign in again; if it "
        "still fails, contact the regency or provincial admin.")


def issue_token(session: Session, officer: Officer, proof: DeviceProof,
                device_name: str) -> tuple[str, datetime]:
    """A new token for ``officer`` (password checked) on the proven device;
    the device and its key are registered at its first sign-in (first come).
    A device known from before the proof existed takes a key only from an
    officer who held a token on it."""
    device = session.get(Device, proof.device_id, with_for_update=True)
    if device is None:
        device = Device(id=proof.device_id, name=device_name, registered_by=officer.id,
                        signing_key=proof.public_key)
        session.add(device)
        session.flush()  # a concurrent first sign-in on the same id fails here, not later
    elif device.revoked_at is not None:
        raise errors.device_revoked()
    elif device.signing_key is None:
        known = device.registered_by == officer.id or session.scalar(
            select(Token.token_hash).where(Token.device_id == device.id,
                                           Token.officer_id == officer.id).limit(1))
        if not known:
            raise device_proof_invalid()
        device.signing_key = proof.public_key
    elif device.signing_key != proof.public_key:
        raise device_proof_invalid()
    token = secrets.token_urlsafe(32)
    expires = utc_now() + TOKEN_LIFETIME
    session.add(Token(token_hash=token_digest(token), officer_id=officer.id,
                      device_id=device.id, expires_at=expires))
    return token, expires


def register_signing_key(session: Session, caller: Principal, device_id: str,
                         body: p.SigningKeyRequest) -> None:
    """``POST /v1/devices/{id}/signing-key``: the device's key is the one proven
    at sign-in; this only confirms it. Another device's id is 403; another key
    than the registered one is 409 (a stolen token cannot swap the key)."""
    if device_id != caller.device_id:
        raise errors.forbidden("mendaftarkan kunci perangkat lain",
                               "registering another device's key")
    key = _standard_key(body.public_key)
    if key is None:
        raise errors.invalid("Kunci tanda tangan perangkat tidak sah (Ed25519, base64).",
                             "The device signing key is not valid (Ed25519, base64).",
                             field="public_key")
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise errors.unauthenticated()
    if device.signing_key is None:  # a token from before the proof: its laptop's own key
        device.signing_key = key
    elif device.signing_key != key:
        raise errors.ApiError(
            409, ErrorCode.CONFLICT,
            "Perangkat ini sudah terdaftar dengan kunci lain. Kunci perangkat hanya ditetapkan "
            "saat masuk; hubungi admin bila laptop ini diinstal ulang.",
            "This device is already registered with another key. A device's key is set only "
            "at sign-in; contact the admin if this laptop was reinstalled.",
            {"field": "public_key"})


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
