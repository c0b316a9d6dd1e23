"""Accounts and devices as an office manages them: the use cases the command
line (``python -m server officers|devices``), the web console and the API
share.

Every function takes a Session (the caller's transaction) and the acting
:class:`~server.audit.Actor`, checks what the actor may do, changes the
rows, and appends its audit line in the same transaction. No FastAPI, no
Qt; refusals are :class:`~server.errors.ApiError` (a status, a code and a
sentence in Indonesian and English, naming the field and what to do).

Rules:

- three roles: officer, supervisor (of one regency), admin (the province);
- a supervisor manages only *officers* of their own regency: adds them,
  changes their name and contacts, resets their password, deactivates and
  reactivates them; only an admin makes or changes supervisors and admins,
  or moves an officer to another regency;
- a new account and a reset get a one-time password (shown once to the
  person who made it, stored only as its Argon2 hash) that must be replaced
  at the next sign-in and stops working after :data:`ONE_TIME_LIFETIME`;
- deactivating revokes every token of the officer at once and the devices
  that were theirs alone (unless the laptop was handed back, ``keep_devices``:
  then another officer of the regency signs in on it and sends what is left);
- nobody deactivates or demotes themselves, and the last active admin stays.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.models import Region
from desktop_app.models.types import utc_now
from desktop_app.protocol import ErrorCode, Role

from . import audit, errors, sheet_import
from .audit import Action, Actor
from .account_state import MIN_PASSWORD, account_deactivated, sign_in_refusal  # noqa: F401
from .auth import hash_password, password_matches
# ImportRefused and format_problems: the names the CLI and console use.
from .sheet_import import ImportRefused, SheetReport, format_problems  # noqa: F401
from .tables import Device, Officer, Token

#: How long a one-time password works before a new reset is needed.
ONE_TIME_LIFETIME = timedelta(days=7)
MAX_PASSWORD = 256
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,28}$")
NIP = re.compile(r"^[0-9 ]{8,30}$")
#: Passwords too common to allow (a short list: the length rule does the rest).
COMMON = frozenset({"password123", "1234567890", "qwertyuiop", "passwordpassword",
                    "tapis-demo-2026", "katasandi123", "lampung123", "admin12345",
                    "0123456789", "abcdefghij", "1111111111", "12345678910"})
#: One-time passwords: no look-alike characters (0/O, 1/l/I).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class OfficerView:
    """An account as the command line and the console show it (never the hash)."""

    id: str
    username: str
    full_name: str
    role: str
    regency_code: str | None
    active: bool
    must_change_password: bool
    nip: str | None
    phone: str | None
    email: str | None
    created_at: datetime
    password_changed_at: datetime | None
    deactivated_at: datetime | None

    @classmethod
    def of(cls, officer: Officer) -> OfficerView:
        return cls(officer.id, officer.username, officer.full_name, officer.role,
                   officer.regency_code, officer.active, officer.must_change_password,
                   officer.nip, officer.phone, officer.email, officer.created_at,
                   officer.password_changed_at, officer.deactivated_at)


@dataclass(frozen=True)
class OneTimePassword:
    """What a new account or a reset hands over: said once, never stored."""

    officer: OfficerView
    password: str
    expires_at: datetime


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    registered_by: str            # username
    registered_at: datetime
    revoked_at: datetime | None
    officers: tuple[str, ...]     # usernames that ever signed in on it
    last_seen: datetime | None    # the newest token issued on it
    regency_code: str | None


@dataclass(frozen=True)
class OfficerDetail:
    officer: OfficerView
    devices: tuple[DeviceView, ...]
    live_tokens: int
    last_sign_in: datetime | None


@dataclass(frozen=True)
class Deactivation:
    officer: OfficerView
    tokens_revoked: int
    devices_revoked: tuple[str, ...]
    devices_kept: tuple[str, ...]


#: What an officers' spreadsheet import made: each account with its one-time password.
ImportReport = SheetReport["OneTimePassword"]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# --- who may do what ----------------------------------------------------------


def _require_manager(actor: Actor) -> None:
    if actor.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise errors.forbidden("mengelola akun (hanya admin atau supervisor)",
                               "managing accounts (admins and supervisors only)")


def _may_manage(actor: Actor, officer: Officer) -> bool:
    if actor.role == Role.ADMIN:
        return True
    return (actor.role == Role.SUPERVISOR and officer.role == Role.OFFICER
            and officer.regency_code is not None and officer.regency_code == actor.regency_code)


def _check_manage(actor: Actor, officer: Officer) -> None:
    _require_manager(actor)
    if not _may_manage(actor, officer):
        raise errors.forbidden(
            f"akun '{officer.username}' (supervisor hanya mengelola petugas kabupatennya; "
            "admin mengelola supervisor dan admin)",
            f"the account '{officer.username}' (a supervisor manages only the officers of "
            "their own regency; admins manage supervisors and admins)")


def _check_grant(actor: Actor, role: str, regency_code: str | None) -> None:
    """May the actor give this role in this regency?"""
    if actor.role == Role.ADMIN:
        return
    if role != Role.OFFICER:
        raise errors.forbidden("membuat atau mengubah supervisor/admin (hanya admin provinsi)",
                               "making or changing supervisors and admins (provincial admin only)")
    if regency_code != actor.regency_code:
        raise errors.forbidden(
            "petugas di kabupaten lain (supervisor hanya mengelola kabupatennya sendiri)",
            "an officer of another regency (a supervisor manages their own regency only)")


def _keeps_an_admin(session: Session, officer: Officer) -> None:
    if officer.role != Role.ADMIN or not officer.active:
        return
    others = session.scalar(select(func.count()).select_from(Officer).where(
        Officer.role == Role.ADMIN.value, Officer.active.is_(True), Officer.id != officer.id))
    if not others:
        raise errors.ApiError(409, ErrorCode.CONFLICT,
                              "Ini admin aktif terakhir; buat admin lain dulu.",
                              "This is the last active admin; make another admin first.",
                              {"field": "role"})


# --- checks of values ---------------------------------------------------------


def _invalid(field_name: str, message_id: str, message_en: str) -> errors.ApiError:
    return errors.invalid(message_id, message_en, field=field_name)


def check_username(username: str) -> str:
    name = (username or "").strip()
    if not USERNAME.match(name):
        raise _invalid("username",
                       "Nama pengguna: 3-64 huruf kecil, angka, titik, garis bawah atau tanda "
                       "hubung, diawali huruf/angka (contoh: petugas.metro2).",
                       "Username: 3-64 lowercase letters, digits, dots, underscores or hyphens, "
                       "starting with a letter or digit (e.g. petugas.metro2).")
    return name


def check_full_name(full_name: str) -> str:
    name = " ".join((full_name or "").split())
    if not 2 <= len(name) <= 200:
        raise _invalid("full_name", "Nama lengkap wajib diisi (2-200 karakter).",
                       "The full name is required (2-200 characters).")
    return name


def check_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in {r.value for r in Role}:
        raise _invalid("role", "Peran harus officer, supervisor atau admin.",
                       "The role must be officer, supervisor or admin.")
    return value


def check_regency(session: Session, role: str, regency_code: str | None) -> str | None:
    code = (regency_code or "").strip() or None
    if role == Role.ADMIN:
        if code is not None:
            raise _invalid("regency_code", "Admin provinsi tidak terikat kabupaten; kosongkan "
                           "kode kabupaten.",
                           "A provincial admin belongs to no regency; leave the regency code empty.")
        return None
    if code is None:
        raise _invalid("regency_code", "Petugas dan supervisor wajib punya kode kabupaten/kota "
                       "(contoh 18.71).",
                       "Officers and supervisors need a regency code (e.g. 18.71).")
    level = session.scalar(select(Region.level).where(Region.code == code))
    if level != "regency":
        raise _invalid("regency_code", f"Kode kabupaten/kota '{code}' tidak dikenal (contoh 18.71 "
                       "Kota Bandar Lampung).",
                       f"Unknown regency code '{code}' (e.g. 18.71 for Kota Bandar Lampung).")
    return code


def _optional(value: str | None, pattern: re.Pattern[str], field_name: str, what_id: str,
              what_en: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and not pattern.match(text):
        raise _invalid(field_name, f"{what_id} tidak sah.", f"The {what_en} is not valid.")
    return text


def password_problem(password: str, username: str) -> errors.ApiError | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        return _invalid("new_password",
                        f"Kata sandi baru minimal {MIN_PASSWORD} karakter (paling banyak "
                        f"{MAX_PASSWORD}).",
                        f"The new password needs at least {MIN_PASSWORD} characters (at most "
                        f"{MAX_PASSWORD}).")
    lowered = password.lower()
    if username and username.lower() in lowered:
        return _invalid("new_password", "Kata sandi tidak boleh memuat nama pengguna.",
                        "The password must not contain the username.")
    if lowered in COMMON or len(set(password)) < 4:
        return _invalid("new_password", "Kata sandi ini terlalu mudah ditebak; pilih yang lain.",
                        "This password is too easy to guess; choose another.")
    return None


def new_one_time_password() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- finding -------------------------------------------------------------------


def find(session: Session, who: str) -> Officer:
    """An account by username or id (404 otherwise)."""
    officer = session.scalar(select(Officer).where(or_(Officer.username == who.strip(),
                                                       Officer.id == who.strip())))
    if officer is None:
        raise errors.not_found(f"akun '{who}'", f"account '{who}'")
    return officer


def _visible(actor: Actor) -> Any:
    """The WHERE clause of the accounts the actor may see."""
    if actor.role == Role.ADMIN:
        return True
    return Officer.regency_code == actor.regency_code


# --- use cases ------------------------------------------------------------------


def add(session: Session, actor: Actor, *, username: str, full_name: str,
        role: str = Role.OFFICER.value, regency_code: str | None = None, nip: str | None = None,
        phone: str | None = None, email: str | None = None, _record: bool = True) -> OneTimePassword:
    """A new account with a one-time password (shown once)."""
    _require_manager(actor)
    username = check_username(username)
    role = check_role(role)
    regency = check_regency(session, role, regency_code)
    _check_grant(actor, role, regency)
    values = dict(full_name=check_full_name(full_name),
                  nip=_optional(nip, NIP, "nip", "NIP", "staff number (NIP)"),
                  phone=_optional(phone, PHONE, "phone", "Nomor telepon", "phone number"),
                  email=_optional(email, EMAIL, "email", "Alamat email", "email address"))
    if session.scalar(select(Officer.id).where(Officer.username == username)):
        raise errors.ApiError(409, ErrorCode.CONFLICT,
                              f"Nama pengguna '{username}' sudah dipakai; pilih yang lain.",
                              f"The username '{username}' is taken; choose another.",
                              {"field": "username"})
    password = new_one_time_password()
    officer = Officer(username=username, role=role, regency_code=regency,
                      password_hash=hash_password(password), must_change_password=True,
                      one_time_expires_at=utc_now() + ONE_TIME_LIFETIME, **values)
    session.add(officer)
    session.flush()
    if _record:
        audit.record(session, Action.OFFICER_ADD, actor=actor, target_type="officer",
                     target_id=username, regency_code=regency, detail={"role": role})
    return OneTimePassword(OfficerView.of(officer), password, officer.one_time_expires_at)  # type: ignore[arg-type]


def list_officers(session: Session, actor: Actor, *, regency_code: str | None = None,
                  role: str | None = None, active: bool | None = None,
                  search: str | None = None) -> list[OfficerView]:
    _require_manager(actor)
    stmt = select(Officer).where(_visible(actor))
    if regency_code:
        stmt = stmt.where(Officer.regency_code == regency_code)
    if role:
        stmt = stmt.where(Officer.role == check_role(role))
    if active is not None:
        stmt = stmt.where(Officer.active.is_(active))
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Officer.username).like(like),
                              func.lower(Officer.full_name).like(like)))
    stmt = stmt.order_by(Officer.regency_code, Officer.role, Officer.username)
    return [OfficerView.of(o) for o in session.scalars(stmt)]


def show(session: Session, actor: Actor, who: str) -> OfficerDetail:
    _require_manager(actor)
    officer = find(session, who)
    if actor.role != Role.ADMIN and officer.regency_code != actor.regency_code:
        raise errors.forbidden(f"melihat akun '{officer.username}'",
                               f"viewing the account '{officer.username}'")
    device_ids = set(session.scalars(select(Token.device_id).where(Token.officer_id == officer.id)))
    device_ids |= set(session.scalars(select(Device.id).where(Device.registered_by == officer.id)))
    devices = tuple(_device_views(session, select(Device).where(Device.id.in_(device_ids))))
    now = utc_now()
    live = session.scalar(select(func.count()).select_from(Token).where(
        Token.officer_id == officer.id, Token.revoked_at.is_(None), Token.expires_at > now)) or 0
    last = session.scalar(select(func.max(Token.issued_at)).where(Token.officer_id == officer.id))
    return OfficerDetail(OfficerView.of(officer), devices, int(live), last)


def set_officer(session: Session, actor: Actor, who: str, *, full_name: str = UNSET,
                role: str = UNSET, regency_code: str | None = UNSET, nip: str | None = UNSET,
                phone: str | None = UNSET, email: str | None = UNSET) -> OfficerView:
    """Change what is given (``UNSET`` leaves a field as it is)."""
    officer = find(session, who)
    _check_manage(actor, officer)
    changed: dict[str, Any] = {}
    new_role = check_role(role) if role is not UNSET else officer.role
    new_regency = officer.regency_code if regency_code is UNSET else regency_code
    if new_role == Role.ADMIN and regency_code is UNSET:
        new_regency = None
    if new_role != officer.role or new_regency != officer.regency_code:
        new_regency = check_regency(session, new_role, new_regency)
        _check_grant(actor, new_role, new_regency)
        if officer.id == actor.officer_id and new_role != officer.role:
            raise errors.forbidden("mengubah peran sendiri", "changing your own role")
        if new_role != Role.ADMIN:
            _keeps_an_admin(session, officer)
    if full_name is not UNSET:
        name = check_full_name(full_name)
        if name != officer.full_name:
            officer.full_name, changed["full_name"] = name, name
    for name, value, pattern, what_id, what_en in (
            ("nip", nip, NIP, "NIP", "staff number (NIP)"),
            ("phone", phone, PHONE, "Nomor telepon", "phone number"),
            ("email", email, EMAIL, "Alamat email", "email address")):
        if value is UNSET:
            continue
        checked = _optional(value, pattern, name, what_id, what_en)
        if checked != getattr(officer, name):
            setattr(officer, name, checked)
            changed[name] = "changed"  # contacts are not copied into the log
    role_change: dict[str, Any] = {}
    if new_role != officer.role:
        role_change = {"from": officer.role, "to": new_role}
        officer.role = new_role
    if new_regency != officer.regency_code:
        changed["regency"] = {"from": officer.regency_code, "to": new_regency}
        officer.regency_code = new_regency
    if role_change:
        audit.record(session, Action.ROLE_CHANGE, actor=actor, target_type="officer",
                     target_id=officer.username, regency_code=officer.regency_code,
                     detail=role_change)
        _revoke_tokens(session, officer.id)  # the new role takes effect at the next sign-in
    if changed:
        audit.record(session, Action.OFFICER_CHANGE, actor=actor, target_type="officer",
                     target_id=officer.username, regency_code=officer.regency_code, detail=changed)
    session.flush()
    return OfficerView.of(officer)


def deactivate(session: Session, actor: Actor, who: str, *, reason: str = "",
               keep_devices: bool = False) -> Deactivation:
    """The officer can no longer sign in or sync: every token revoked at once,
    and each device that was theirs alone revoked too (``keep_devices`` when
    the laptop was handed back, so a colleague can send what is left on it)."""
    officer = find(session, who)
    _check_manage(actor, officer)
    if officer.id == actor.officer_id:
        raise errors.forbidden("menonaktifkan akun sendiri", "deactivating your own account")
    if not officer.active:
        raise errors.ApiError(409, ErrorCode.CONFLICT,
                              f"Akun '{officer.username}' sudah nonaktif.",
                              f"The account '{officer.username}' is already deactivated.")
    _keeps_an_admin(session, officer)
    now = utc_now()
    officer.active = False
    officer.deactivated_at = now
    device_ids = set(session.scalars(select(Token.device_id).where(Token.officer_id == officer.id)))
    device_ids |= set(session.scalars(select(Device.id).where(Device.registered_by == officer.id)))
    tokens = _revoke_tokens(session, officer.id)
    revoked: list[str] = []
    kept: list[str] = []
    for device_id in sorted(device_ids):
        device = session.get(Device, device_id)
        if device is None or device.revoked_at is not None:
            continue
        shared = session.scalar(select(func.count()).select_from(Token).join(
            Officer, Officer.id == Token.officer_id).where(
            Token.device_id == device_id, Token.officer_id != officer.id,
            Officer.active.is_(True)))
        if keep_devices or shared:
            kept.append(device_id)
            continue
        _revoke_device_row(session, device, now)
        revoked.append(device_id)
        audit.record(session, Action.DEVICE_REVOKE, actor=actor, target_type="device",
                     target_id=device_id, regency_code=officer.regency_code,
                     detail={"because": "officer_deactivated", "officer": officer.username})
    audit.record(session, Action.OFFICER_DEACTIVATE, actor=actor, target_type="officer",
                 target_id=officer.username, regency_code=officer.regency_code,
                 detail={"reason": reason.strip()[:200], "tokens_revoked": tokens,
                         "devices_revoked": len(revoked), "devices_kept": len(kept)})
    session.flush()
    return Deactivation(OfficerView.of(officer), tokens, tuple(revoked), tuple(kept))


def reactivate(session: Session, actor: Actor, who: str) -> OneTimePassword:
    """Back at work: active again with a fresh one-time password (the old
    sessions stay revoked; a revoked laptop stays revoked)."""
    officer = find(session, who)
    _check_manage(actor, officer)
    if officer.active:
        raise errors.ApiError(409, ErrorCode.CONFLICT,
                              f"Akun '{officer.username}' sudah aktif.",
                              f"The account '{officer.username}' is already active.")
    officer.active = True
    officer.deactivated_at = None
    password = _set_one_time(officer)
    audit.record(session, Action.OFFICER_REACTIVATE, actor=actor, target_type="officer",
                 target_id=officer.username, regency_code=officer.regency_code)
    session.flush()
    return OneTimePassword(OfficerView.of(officer), password, officer.one_time_expires_at)  # type: ignore[arg-type]


def reset_password(session: Session, actor: Actor, who: str) -> OneTimePassword:
    """A new one-time password; the officer's sessions end (their laptops ask
    for the password at the next sync)."""
    officer = find(session, who)
    _check_manage(actor, officer)
    password = _set_one_time(officer)
    tokens = _revoke_tokens(session, officer.id)
    audit.record(session, Action.PASSWORD_RESET, actor=actor, target_type="officer",
                 target_id=officer.username, regency_code=officer.regency_code,
                 detail={"tokens_revoked": tokens})
    session.flush()
    return OneTimePassword(OfficerView.of(officer), password, officer.one_time_expires_at)  # type: ignore[arg-type]


def change_password(session: Session, officer: Officer, new_password: str, *,
                    current_password: str | None = None, device_id: str | None = None,
                    address: str | None = None) -> None:
    """The officer's own new password, after the caller checked the current
    one through the throttled password check. Given ``current_password``
    (the API route), the new one is compared with it, no second Argon2
    inside the transaction; otherwise (the console) with the stored hash."""
    problem = password_problem(new_password, officer.username)
    if problem is not None:
        raise problem
    same = (new_password == current_password if current_password is not None
            else password_matches(officer.password_hash, new_password))
    if same:
        raise _invalid("new_password", "Kata sandi baru harus berbeda dari yang lama.",
                       "The new password must differ from the old one.")
    officer.password_hash = hash_password(new_password)
    officer.must_change_password = False
    officer.one_time_expires_at = None
    officer.password_changed_at = utc_now()
    audit.record(session, Action.PASSWORD_CHANGE, actor=Actor.of_officer(
        officer, device_id=device_id, address=address), target_type="officer",
        target_id=officer.username, regency_code=officer.regency_code)


def _set_one_time(officer: Officer) -> str:
    password = new_one_time_password()
    officer.password_hash = hash_password(password)
    officer.must_change_password = True
    officer.one_time_expires_at = utc_now() + ONE_TIME_LIFETIME
    return password


def _revoke_tokens(session: Session, officer_id: str) -> int:
    result = session.execute(update(Token).where(Token.officer_id == officer_id,
                                                 Token.revoked_at.is_(None))
                             .values(revoked_at=utc_now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _revoke_device_row(session: Session, device: Device, now: datetime) -> None:
    device.revoked_at = now
    session.execute(update(Token).where(Token.device_id == device.id, Token.revoked_at.is_(None))
                    .values(revoked_at=now))


def unlock(session: Session, actor: Actor, who: str) -> bool:
    """Lift a sign-in lock (too many wrong passwords) and its count before it
    ends by itself; True when there was one. The same rights as a reset."""
    from .sign_in import unlock_officer

    officer = find(session, who)
    _check_manage(actor, officer)
    lifted = unlock_officer(session, officer.username)
    audit.record(session, Action.UNLOCK, actor=actor, target_type="officer",
                 target_id=officer.username, regency_code=officer.regency_code,
                 detail={"was_locked": lifted})
    return lifted


def unlock_address(session: Session, actor: Actor, address: str) -> bool:
    """Lift a network address's sign-in lock (admins only: an address may be
    a whole office behind one router)."""
    from .sign_in import unlock_address as lift

    if actor.role != Role.ADMIN:
        raise errors.forbidden("membuka kunci alamat jaringan (hanya admin)",
                               "unlocking a network address (admins only)")
    lifted = lift(session, address.strip())
    audit.record(session, Action.UNLOCK, actor=actor, target_type="address",
                 target_id=address.strip(), detail={"was_locked": lifted})
    return lifted


# --- devices --------------------------------------------------------------------


def list_devices(session: Session, actor: Actor, *, officer: str | None = None,
                 regency_code: str | None = None, include_revoked: bool = True) -> list[DeviceView]:
    _require_manager(actor)
    stmt = select(Device)
    if officer:
        who = find(session, officer)
        used = select(Token.device_id).where(Token.officer_id == who.id)
        stmt = stmt.where(or_(Device.registered_by == who.id, Device.id.in_(used)))
    if not include_revoked:
        stmt = stmt.where(Device.revoked_at.is_(None))
    views = _device_views(session, stmt.order_by(Device.registered_at))
    regency = regency_code or (actor.regency_code if actor.role != Role.ADMIN else None)
    if regency:
        views = [v for v in views if v.regency_code == regency]
    return views


def _device_views(session: Session, stmt: Any) -> list[DeviceView]:
    devices = list(session.scalars(stmt))
    if not devices:
        return []
    ids = [d.id for d in devices]
    names = dict(session.execute(select(Officer.id, Officer.username)).all())
    regencies = dict(session.execute(select(Officer.id, Officer.regency_code)).all())
    users: dict[str, set[str]] = {i: set() for i in ids}
    seen: dict[str, datetime] = {}
    for device_id, officer_id, issued in session.execute(
            select(Token.device_id, Token.officer_id, func.max(Token.issued_at))
            .where(Token.device_id.in_(ids)).group_by(Token.device_id, Token.officer_id)):
        users[device_id].add(names.get(officer_id, officer_id))
        if device_id not in seen or issued > seen[device_id]:
            seen[device_id] = issued
    return [DeviceView(d.id, d.name, names.get(d.registered_by, d.registered_by),
                       d.registered_at, d.revoked_at, tuple(sorted(users[d.id])), seen.get(d.id),
                       regencies.get(d.registered_by)) for d in devices]


def revoke_device(session: Session, actor: Actor, device_id: str, *, reason: str = "") -> DeviceView:
    """A lost or stolen laptop: it can no longer sign in, sync or upload a
    bundle; every token on it dies. Admins revoke any device, supervisors
    those registered by their regency's officers."""
    _require_manager(actor)
    device = session.get(Device, device_id.strip())
    if device is None:
        matches = list(session.scalars(select(Device).where(Device.id.like(f"{device_id.strip()}%"))
                                       .limit(2))) if len(device_id.strip()) >= 8 else []
        if len(matches) != 1:
            raise errors.not_found(f"perangkat '{device_id}'", f"device '{device_id}'")
        device = matches[0]
    owner = session.get(Officer, device.registered_by)
    if actor.role != Role.ADMIN and (owner is None or owner.regency_code != actor.regency_code):
        raise errors.forbidden("mencabut perangkat ini (bukan dari kabupaten Anda)",
                               "revoking this device (not of your regency)")
    if device.revoked_at is not None:
        raise errors.ApiError(409, ErrorCode.CONFLICT, "Perangkat ini sudah dicabut.",
                              "This device is already revoked.")
    _revoke_device_row(session, device, utc_now())
    audit.record(session, Action.DEVICE_REVOKE, actor=actor, target_type="device",
                 target_id=device.id, regency_code=owner.regency_code if owner else None,
                 detail={"reason": reason.strip()[:200]} if reason.strip() else {})
    session.flush()
    return _device_views(session, select(Device).where(Device.id == device.id))[0]


# --- import from a spreadsheet -----------------------------------------------------

#: Column headers the officers' spreadsheet may use (Indonesian or English).
HEADERS: Mapping[str, str] = {
    "username": "username", "nama_pengguna": "username", "nama pengguna": "username",
    "full_name": "full_name", "nama": "full_name", "nama lengkap": "full_name",
    "nama_lengkap": "full_name", "full name": "full_name",
    "role": "role", "peran": "role",
    "regency_code": "regency_code", "kode_kabupaten": "regency_code",
    "kode kabupaten": "regency_code", "regency": "regency_code", "kabupaten": "regency_code",
    "nip": "nip", "phone": "phone", "telepon": "phone", "no hp": "phone", "hp": "phone",
    "email": "email",
}
REQUIRED = ("username", "full_name", "role", "regency_code")


def read_sheet(path: Path | bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet (see :data:`HEADERS`); empty rows skipped."""
    return sheet_import.read_sheet(path, HEADERS)


def import_officers(session: Session, actor: Actor,
                    rows: Iterable[tuple[int, Mapping[str, str]]]) -> ImportReport:
    """All or nothing (server/sheet_import.py): every account is created
    with its one-time password, or none."""
    _require_manager(actor)
    seen: dict[str, int] = {}

    def required(row: Mapping[str, str]) -> list[str]:
        admin = (row.get("role") or "").strip().lower() == Role.ADMIN
        return [f for f in REQUIRED if not (f == "regency_code" and admin)]

    def make(number: int, row: Mapping[str, str]) -> OneTimePassword:
        username = (row.get("username") or "").strip()
        if username in seen:
            raise errors.invalid(f"Nama pengguna '{username}' sudah ada di baris {seen[username]}.",
                                 f"The username '{username}' is also on row {seen[username]}.",
                                 field="username")
        seen[username] = number
        return add(session, actor, username=username, full_name=row.get("full_name", ""),
                   role=row.get("role", ""), regency_code=row.get("regency_code"),
                   nip=row.get("nip"), phone=row.get("phone"), email=row.get("email"),
                   _record=False)

    report = sheet_import.import_rows(session, rows, required=required, make=make,
                                      nothing=("Tidak ada yang diimpor", "Nothing was imported"))
    audit.record(session, Action.OFFICER_IMPORT, actor=actor, target_type="officer",
                 detail={"rows": report.rows,
                         "usernames": [c.officer.username for c in report.made][:50]},
                 regency_code=actor.regency_code if actor.role != Role.ADMIN else None)
    for made in report.made:
        audit.record(session, Action.OFFICER_ADD, actor=actor, target_type="officer",
                     target_id=made.officer.username, regency_code=made.officer.regency_code,
                     detail={"role": made.officer.role, "by": "import"})
    return report
