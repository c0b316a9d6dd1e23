"""What waits to be pushed, in batches, and marking it acknowledged.

Batches are cut by size in bytes (before compression) and never split one
local transaction (``txn``). An entry is marked sent only inside the
transaction that records the server's acknowledgement, so a cut link or a
crash can make a batch go twice, never zero times; the server's
(device, seq) check makes twice harmless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from ..models.types import format_utc, utc_now
from .local_tables import PushState
from .store import Store

DEFAULT_BATCH_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One change-log entry ready for the wire (see protocol.Change)."""

    seq: int
    change_id: str
    txn: int
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]
    hlc: int
    officer_id: str | None
    base_seq: int
    size: int


_PENDING = text("""
    SELECT c.seq, c.change_id, c.txn, c.table_name, c.row_id, c.op, c.fields, c.hlc,
           c.officer_id,
           coalesce((SELECT max(v.server_seq) FROM sync_row_version AS v
                     WHERE v.table_name = c.table_name AND v.row_id = c.row_id), 0) AS base_seq
    FROM change_log AS c
    WHERE c.push_state = 'pending' AND c.seq > :after
    ORDER BY c.seq
    LIMIT :limit
""")


def next_batch(store: Store, *, max_bytes: int = DEFAULT_BATCH_BYTES, after: int = 0) -> list[Outgoing]:
    """The next pending entries after seq ``after``, whole transactions only,
    about ``max_bytes`` of JSON (a single larger transaction goes alone)."""
    batch: list[Outgoing] = []
    size = 0
    with store.read() as session:
        rows = session.execute(_PENDING, {"after": after, "limit": _READ_LIMIT}).all()
    for group in _by_txn(rows, truncated=len(rows) == _READ_LIMIT):
        group_size = sum(o.size for o in group)
        if batch and size + group_size > max_bytes:
            break
        batch += group
        size += group_size
        if len(batch) >= 4000:
            break
    return batch


_READ_LIMIT = 5000


def _by_txn(rows: list[Any], *, truncated: bool) -> list[list[Outgoing]]:
    groups: list[list[Outgoing]] = []
    for row in rows:
        item = Outgoing(row.seq, row.change_id, row.txn, row.table_name, row.row_id, row.op,
                        json.loads(row.fields), row.hlc, row.officer_id, row.base_seq,
                        len(row.fields) + 200)
        if groups and groups[-1][-1].txn == item.txn:
            groups[-1].append(item)
        else:
            groups.append([item])
    if truncated and len(groups) > 1:
        groups.pop()  # the last transaction may continue past the LIMIT: next time
    return groups


def acknowledge(store: Store, *, through_seq: int, parked: dict[int, str]) -> int:
    """Mark entries up to ``through_seq`` sent (or parked with their error),
    in one transaction. Returns how many entries changed."""
    now = format_utc(utc_now())
    with store.write() as session:
        for seq, error in parked.items():
            session.execute(text("UPDATE change_log SET push_state = :s, push_error = :e, "
                                 "pushed_at = :t WHERE seq = :q"),
                            {"s": PushState.PARKED, "e": error, "t": now, "q": seq})
        result = session.execute(
            text("UPDATE change_log SET push_state = :s, pushed_at = :t "
                 "WHERE push_state = 'pending' AND seq <= :q"),
            {"s": PushState.SENT, "t": now, "q": through_seq})
        return int(result.rowcount or 0) + len(parked)  # type: ignore[attr-defined]


def resend_from(store: Store, seq: int) -> int:
    """The server lost entries from ``seq`` on (restored from a backup): queue
    them again."""
    with store.write() as session:
        result = session.execute(text("UPDATE change_log SET push_state = 'pending' "
                                      "WHERE seq >= :q AND push_state = 'sent'"), {"q": seq})
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class QueueCounts:
    pending: int
    parked: int


def counts(store: Store) -> QueueCounts:
    with store.read() as session:
        rows = dict(session.execute(text(
            "SELECT push_state, count(*) FROM change_log "
            "WHERE push_state IN ('pending', 'parked') GROUP BY push_state")).all())
    return QueueCounts(pending=rows.get(PushState.PENDING, 0), parked=rows.get(PushState.PARKED, 0))
