"""Issuing the regency bundle keys at sign-in.

A key is made the first time someone of its regency signs in (the province's
when an admin does), so a server needs no extra set-up step and an upgraded
server gets keys without a data migration. Two sign-ins racing to make the
same key both try the same id; the second's insert fails in its savepoint
and it reads the first's.
"""

from __future__ import annotations

import base64
import os

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app import protocol as p
from desktop_app.protocol.bundle import KEY_BYTES

from .tables import BundleKey, Officer

PROVINCE = "prov"


def issue(session: Session, officer: Officer) -> list[p.BundleKey]:
    """The keys this officer may hold: their regency's (the admin: every
    key, the province's included), making the own one if it is missing."""
    _ensure(session, officer.regency_code)
    query = select(BundleKey).order_by(BundleKey.key_id)
    if officer.role != p.Role.ADMIN.value:
        query = query.where(BundleKey.regency_code == officer.regency_code)
    return [p.BundleKey(key_id=k.key_id, regency_code=k.regency_code, key=k.secret)
            for k in session.scalars(query)]


def secret(session: Session, key_id: str) -> bytes | None:
    row = session.get(BundleKey, key_id)
    return base64.b64decode(row.secret) if row is not None else None


def _ensure(session: Session, regency_code: str | None) -> None:
    if session.scalar(select(BundleKey.key_id).where(_same_regency(regency_code)).limit(1)):
        return
    key_id = f"{regency_code or PROVINCE}-1"
    try:
        with session.begin_nested():
            session.add(BundleKey(key_id=key_id, regency_code=regency_code,
                                  secret=base64.b64encode(os.urandom(KEY_BYTES)).decode()))
    except IntegrityError:
        pass  # made meanwhile by another sign-in: use that one


def _same_regency(regency_code: str | None):  # type: ignore[no-untyped-def]
    column = BundleKey.regency_code
    return column.is_(None) if regency_code is None else column == regency_code
