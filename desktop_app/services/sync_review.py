"""What the officer can read about syncing: the changes the server refused
(with its reason and what to do) and the history of sync attempts.

Plain reads of the laptop's change log and sync history, one unit of work
each; no NIK is shown (a refused change is named by its record's title).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..models import STAMP_FIELDS, SYSTEM_FIELDS
from ..store import Store
from ..store.local_tables import ChangeLog, PushState, SyncHistory
from .kinds import KINDS

#: Bookkeeping columns every change carries: not what the officer typed.
HIDDEN_FIELDS = frozenset(SYSTEM_FIELDS) | frozenset(STAMP_FIELDS) | {"id"}
#: A screen's worth: older entries are counted, not listed.
LIMIT = 500


@dataclass(frozen=True, slots=True)
class RefusedChange:
    seq: int
    kind: str  # '' for a table that is no record kind (a photo)
    record_id: str
    title: str
    fields: tuple[str, ...]
    reason_id: str
    reason_en: str
    #: the record can be opened and corrected (its kind is a form's)
    can_open: bool
    #: the reason names a value the rules refuse (the officer corrects it)
    correctable: bool


@dataclass(frozen=True, slots=True)
class Attempt:
    started_at: datetime
    finished_at: datetime
    ok: bool
    pushed: int
    pulled: int
    message: str


def refused_changes(store: Store, limit: int = LIMIT) -> tuple[list[RefusedChange], int]:
    """The refused changes, newest first (at most ``limit``), and how many there are."""
    with store.read() as session:
        rows = session.scalars(select(ChangeLog).where(ChangeLog.push_state == PushState.PARKED)
                               .order_by(ChangeLog.seq.desc())).all()
        total = len(rows)
        out = []
        for row in rows[:limit]:
            kind = row.table_name if row.table_name in KINDS else ""  # a kind is named by its table
            title = ""
            if kind:
                spec = KINDS[kind]
                title = str(session.scalar(select(getattr(spec.model, spec.title_field))
                                           .where(spec.model.id == row.row_id)) or "")
            reason_id, _, reason_en = (row.push_error or "").partition(" / ")
            try:
                fields = tuple(sorted(f for f in json.loads(row.fields or "{}")
                                      if f not in HIDDEN_FIELDS))
            except ValueError:
                fields = ()
            out.append(RefusedChange(
                row.seq, kind, row.row_id, title, fields, reason_id.strip(),
                (reason_en or reason_id).strip(), can_open=bool(kind),
                correctable=any(word in (row.push_error or "").lower()
                                for word in ("isian", "harus", "must", "field", "wajib"))))
        return out, total


def sync_history(store: Store, limit: int = 200) -> list[Attempt]:
    """The sync attempts, newest first."""
    with store.read() as session:
        rows = session.scalars(select(SyncHistory).order_by(SyncHistory.id.desc())
                               .limit(limit)).all()
        return [Attempt(r.started_at, r.finished_at, bool(r.ok), r.pushed or 0, r.pulled or 0,
                        r.message or "") for r in rows]


def advice(change: RefusedChange, language: str = "id") -> str:
    """What the officer can do about one refused change."""
    if change.correctable and change.can_open:
        return ("Buka data ini, perbaiki isian yang disebut, lalu simpan: versi yang benar "
                "dikirim pada sinkronisasi berikutnya." if language == "id" else
                "Open the record, correct the field named and save: the corrected version is "
                "sent at the next sync.")
    return ("Perubahan ini tetap tersimpan di laptop. Sampaikan alasannya ke kantor dinas; "
            "mereka dapat memeriksanya di server." if language == "id" else
            "The change stays on this laptop. Tell the office the reason; they can look into "
            "it on the server.")
