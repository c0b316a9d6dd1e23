"""Hybrid logical clock stamps, the same arithmetic on the laptop and the server.

A laptop in the field may have its clock wrong by months. A stamp is one
64-bit integer: the physical time in milliseconds shifted left by 16 bits,
plus a counter in the low bits. Each new stamp is max(last + 1, now << 16),
so stamps never go backwards on one device whatever its clock does, and
after a pull the device's clock is moved past every stamp it has seen
(:func:`observe`), so an edit made after seeing another officer's edit always
sorts after it. Ties between devices are broken by device id.

The same formula runs inside the SQLite triggers (:data:`NEXT_STAMP_SQL`), so
a write by any path gets a stamp.
"""

from __future__ import annotations

from datetime import datetime, timezone

COUNTER_BITS = 16

#: SQL that yields the next stamp from local_state.hlc and the clock.
NEXT_STAMP_SQL = (
    "max(hlc + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 65536)"
)


def next_stamp(last: int, now_ms: int) -> int:
    """The stamp after ``last`` at physical time ``now_ms``."""
    return max(last + 1, now_ms << COUNTER_BITS)


def observe(last: int, remote: int) -> int:
    """The local clock after seeing a remote stamp: never behind it."""
    return max(last, remote)


def stamp_time(stamp: int) -> datetime:
    """The physical part of a stamp as an aware UTC datetime (for people)."""
    return datetime.fromtimestamp((stamp >> COUNTER_BITS) / 1000, tz=timezone.utc)


def stamp_of(moment: datetime, counter: int = 0) -> int:
    """The stamp of an aware datetime, e.g. to compare with a server time."""
    return (int(moment.timestamp() * 1000) << COUNTER_BITS) + counter
