"""Form snapshots: what a form held a moment ago, kept until it is saved.

A half-typed form may break rules a record must keep, so it cannot always be
saved as a record; its snapshot can. The GUI writes one a second after the
officer stops typing and removes it when the record is saved or the officer
discards the changes; after a crash the next opening of that form (or the
home screen) offers it back. Snapshots never sync: they stay on the laptop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models.types import utc_now
from ..store import Store
from ..store.local_tables import FormSnapshot


@dataclass(frozen=True, slots=True)
class Snapshot:
    key: str
    kind: str
    record_id: str | None
    values: dict[str, Any]
    saved_at: datetime


def key_for(kind: str, record_id: str | None, draft_token: str) -> str:
    """A record's snapshot key; a record not yet saved uses ``draft_token``
    (the form's officer and the entity a new visit is about)."""
    return f"{kind}:{record_id}" if record_id else f"{kind}:new:{draft_token}"


def keep(store: Store, key: str, kind: str, record_id: str | None, officer_id: str | None,
         values: dict[str, Any]) -> None:
    with store.write() as session:
        keep_in(session, key, kind, record_id, officer_id, values)


def keep_in(session: Session, key: str, kind: str, record_id: str | None,
            officer_id: str | None, values: dict[str, Any]) -> None:
    """:func:`keep` inside the caller's unit of work."""
    payload = json.dumps(values, default=str, sort_keys=True)
    row = session.get(FormSnapshot, key) or FormSnapshot(key=key)
    row.kind, row.record_id, row.officer_id = kind, record_id, officer_id
    row.values, row.saved_at = payload, utc_now()
    session.add(row)


def find(store: Store, key: str) -> Snapshot | None:
    with store.read() as session:
        return find_in(session, key)


def find_in(session: Session, key: str) -> Snapshot | None:
    row = session.get(FormSnapshot, key)
    return _plain(row) if row else None


def discard(store: Store, key: str) -> None:
    with store.write() as session:
        discard_in(session, key)


def discard_in(session: Session, key: str) -> None:
    session.execute(delete(FormSnapshot).where(FormSnapshot.key == key))


def of_officer(store: Store, officer_id: str | None) -> list[Snapshot]:
    """Unsaved forms of one officer, newest first (for 'recovered work')."""
    with store.read() as session:
        rows = session.scalars(select(FormSnapshot).where(FormSnapshot.officer_id == officer_id)
                               .order_by(FormSnapshot.saved_at.desc())).all()
        return [_plain(r) for r in rows]


def _plain(row: FormSnapshot) -> Snapshot:
    return Snapshot(row.key, row.kind, row.record_id, json.loads(row.values), row.saved_at)
