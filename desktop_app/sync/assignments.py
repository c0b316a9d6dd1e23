"""The visits the office gave to the signed-in officer, pulled at each sync.

``GET /v1/assignments`` answers the officer's open assignments whole; the
laptop replaces its copy of that officer's (other officers of a shared
laptop keep theirs). Home's cards read them (services/home.py). A server
older than the endpoint answers 404: the laptop keeps what it has.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete

from ..models.types import parse_utc, utc_now
from ..store import Store
from ..store.local_tables import AssignmentRow
from .client import ServerRefused, SyncClient, SyncError


def pull(store: Store, client: SyncClient) -> int | None:
    """Replace the signed-in officer's assignments; how many there are now
    (None when the server does not offer them)."""
    try:
        answer = client.assignments()
    except ServerRefused as exc:
        if exc.status == 404:
            return None
        raise
    except SyncError as exc:  # an old server's bare 404 page
        if "404" in exc.message_en:
            return None
        raise
    now = utc_now()
    with store.write() as session:
        session.execute(delete(AssignmentRow).where(AssignmentRow.officer_id == answer.officer_id))
        session.add_all([AssignmentRow(
            id=a.id, officer_id=answer.officer_id, kind=a.kind, target_table=a.target_table,
            target_id=a.target_id, due_date=date.fromisoformat(a.due_date) if a.due_date else None,
            plan_year=a.plan_year, note=a.note, assigned_at=parse_utc(a.assigned_at),
            pulled_at=now) for a in answer.assignments])
    return len(answer.assignments)
