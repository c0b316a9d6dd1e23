"""The books of a sync campaign: what each laptop logged against what the
server applied, rows compared field by field, NIKs looked for in log files,
and the server's memory over time.

Used by the reliability tests (tests/reliability/) and the reliability
benchmark (benchmarks/reliability/) alike; they decide what to assert.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NIK_COLUMNS = {"business": ("owner_nik",), "aid_applicant": ("nik",)}


@dataclass
class Memory:
    start_mib: float
    peak_mib: float
    end_mib: float
    slope_mib_per_min: float  # least squares over the last half of the samples
    samples: int


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) points, per minute (0 for
    fewer than three points)."""
    if len(points) < 3:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var <= 0:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / var * 60


def memory_of(samples: list[tuple[float, int]], since: float | None = None) -> Memory:
    """RSS samples (seconds, KiB) summed up; the slope is fitted over the
    samples from ``since`` (seconds, the end of a warm-up) or else over the
    last half."""
    if not samples:
        return Memory(0, 0, 0, 0, 0)
    mib = [(t, k / 1024) for t, k in samples]
    fitted = mib[len(mib) // 2:] if since is None else [(t, v) for t, v in mib if t >= since]
    return Memory(mib[0][1], max(v for _, v in mib), mib[-1][1], slope_per_minute(fitted),
                  len(mib))


def server_rows(db_url: str, table: str, regency: str | None) -> dict[str, dict[str, Any]]:
    """A table's rows as the server holds them, in wire form (what a laptop stores)."""
    from sqlalchemy import select

    from desktop_app.models import Base
    from desktop_app.protocol.wire import to_wire
    from server.db import Database

    t = Base.metadata.tables[table]
    database = Database(db_url)
    try:
        with database.session() as session:
            query = select(t) if regency is None else select(t).where(t.c.regency_code == regency)
            return {r["id"]: to_wire(t, dict(r)) for r in session.execute(query).mappings()}
    finally:
        database.dispose()


def laptop_rows(db_path: Path, table: str, regency: str | None) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["id"]: dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')}
    conn.close()
    return {k: v for k, v in rows.items() if regency is None or v.get("regency_code") == regency}


def regional_tables() -> list[str]:
    from desktop_app.models import Base, synced_tables

    return [t for t in synced_tables() if "regency_code" in Base.metadata.tables[t].c]


def differences(db_path: Path, db_url: str, regency: str) -> list[str]:
    """Where a laptop's rows of ``regency`` differ from the server's (empty: converged)."""
    found = []
    for table in regional_tables():
        server, laptop = server_rows(db_url, table, regency), laptop_rows(db_path, table, regency)
        if set(server) != set(laptop):
            found.append(f"{table}: {len(set(server) - set(laptop))} rows only on the server, "
                         f"{len(set(laptop) - set(server))} only on the laptop")
            continue
        for row_id, row in laptop.items():
            bad = sorted(f for f, v in row.items() if server[row_id].get(f) != v)
            if bad:
                found.append(f"{table} {row_id}: {', '.join(bad)}")
    return found


@dataclass
class Books:
    """One device's changes against the server's applied-change log."""

    recorded: int = 0
    applied: int = 0
    distinct: int = 0
    lost: int = 0
    duplicated: int = 0
    foreign: int = 0  # applied under this device's id but never logged by it
    pending: int = 0
    parked: int = 0


def server_url(server_db: Path | str) -> str:
    """A server database as a URL: a SQLite file's path, or already a URL
    (PostgreSQL), so the books are drawn up the same way on either."""
    return f"sqlite:///{server_db}" if isinstance(server_db, Path) else server_db


def server_query(server_db: Path | str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one read-only query on the server's database (SQLite or
    PostgreSQL), through a short-lived engine so nothing stays open."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(server_url(server_db), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def books(db_path: Path, server_db: Path | str) -> Books:
    """``server_db``: the server's SQLite file or its database URL."""
    with sqlite3.connect(db_path) as conn:
        device = conn.execute("SELECT device_id FROM local_state WHERE id = 1").fetchone()[0]
        local = dict(conn.execute("SELECT change_id, push_state FROM change_log").fetchall())
    conn.close()
    rows = server_query(server_db, "SELECT change_id, device_seq FROM applied_change "
                                   "WHERE device_id = :device", device=device)
    applied = [r[0] for r in rows]
    seqs = [r[1] for r in rows]
    distinct = set(applied)
    states = Counter(local.values())
    return Books(recorded=len(local), applied=len(applied), distinct=len(distinct),
                 lost=len(set(local) - distinct),
                 duplicated=max(len(applied) - len(distinct), len(seqs) - len(set(seqs))),
                 foreign=len(distinct - set(local)), pending=states.get("pending", 0),
                 parked=states.get("parked", 0))


def server_niks(server_db: Path | str) -> set[str]:
    """Every NIK the server holds (SQLite file or database URL)."""
    found: set[str] = set()
    for table, columns in NIK_COLUMNS.items():
        for column in columns:
            found |= {r[0] for r in server_query(server_db, f'SELECT "{column}" FROM "{table}"')
                      if r[0]}
    return found


def niks_in(db_path: Path) -> set[str]:
    """Every NIK a laptop's store holds."""
    found: set[str] = set()
    with sqlite3.connect(db_path) as conn:
        for table, columns in NIK_COLUMNS.items():
            for column in columns:
                found |= {r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}"') if r[0]}
    conn.close()
    return found


def niks_in_logs(niks: set[str], files: list[Path]) -> dict[str, int]:
    """How many times any of ``niks`` appears in each file (only files with hits)."""
    hits: dict[str, int] = {}
    digits = re.compile(r"\d{16}")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        count = sum(1 for m in digits.finditer(text) if m.group(0) in niks)
        count += sum(text.count(n) for n in niks if len(n) != 16)
        if count:
            hits[str(path)] = count
    return hits


def log_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and (
        ".log" in p.name or p.name.endswith(".err")))
