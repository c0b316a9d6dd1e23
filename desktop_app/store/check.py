"""The store's health check: SQLite's own checks plus the project's.

Run by ``python -m desktop_app check`` and by the crash tests. Beyond
``PRAGMA integrity_check`` and ``foreign_key_check`` it proves the change-log
invariant: every row this device wrote can be rebuilt, field for field, from
its change-log entries, so nothing reached a table without reaching the log.
Rows pulled from the server (written while applying) have no local insert
entry and are checked only for the fields changed here. Once a row has been
pulled (it has a ``sync_row_version``), a later pull may rightly overwrite a
field this device changed and had acknowledged (another officer's later edit,
or the server's value where this device's edit lost a merge); only fields
still pending are protected from pulls, so only those must still match.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from . import change_capture, fts


@dataclass
class CheckReport:
    faults: list[str] = field(default_factory=list)
    rows_checked: int = 0
    changes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.faults


def run(connection: sqlite3.Connection, tables: list[str]) -> CheckReport:
    report = CheckReport()
    integrity = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        report.faults += [f"integrity_check: {line}" for line in integrity[:20]]
    for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        report.faults.append(f"foreign key: {table} row {rowid} points at a missing {parent}")
    report.faults += fts.integrity_problems(connection)
    missing = _uncaptured(connection, tables)
    report.faults += [f"{t}: change-capture triggers missing" for t in missing]
    device = connection.execute("SELECT device_id FROM local_state WHERE id = 1").fetchone()
    if device is None:
        report.faults.append("local_state: the device row is missing")
        return report
    for table in tables:
        _check_table(connection, table, device[0], report)
    return report


def _uncaptured(connection: sqlite3.Connection, tables: list[str]) -> list[str]:
    names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    return [t for t in tables
            if not {f"{change_capture.TRIGGER_PREFIX}{t}_{op}" for op in ("insert", "update", "delete")} <= names]


def _check_table(connection: sqlite3.Connection, table: str, device: str, report: CheckReport) -> None:
    """Fold the log per row and compare with the row as stored."""
    folded: dict[str, dict[str, object]] = {}
    inserted: set[str] = set()
    pending: dict[str, set[str]] = {}
    for row_id, op, fields, state in connection.execute(
        "SELECT row_id, op, fields, push_state FROM change_log WHERE table_name = ? ORDER BY seq",
        (table,)
    ):
        report.changes_checked += 1
        values = json.loads(fields)
        if state == "pending":
            pending.setdefault(row_id, set()).update(values)
        if op == "insert":
            inserted.add(row_id)
            folded[row_id] = values
        else:
            folded.setdefault(row_id, {}).update(values)
    pulled = {r[0] for r in connection.execute(
        "SELECT DISTINCT row_id FROM sync_row_version WHERE table_name = ?", (table,))}
    cursor = connection.execute(f'SELECT * FROM "{table}"')
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        report.rows_checked += 1
        row = dict(zip(columns, values))
        logged = folded.get(row["id"])
        if logged is None:
            if row.get("device_id") == device:
                report.faults.append(f"{table} {row['id']}: written here but has no change-log entry")
            continue
        if row["id"] in pulled:  # a pull may have overwritten what was acknowledged
            fields = list(pending.get(row["id"], ()))
        else:
            fields = columns if row["id"] in inserted else list(logged)
        differing = [c for c in fields if c in logged and logged[c] != row[c]]
        if row["id"] in inserted and row["id"] not in pulled:
            differing += [c for c in columns if c not in logged]
        if differing:
            report.faults.append(f"{table} {row['id']}: fields {', '.join(sorted(differing))} "
                                 "differ from the change log")
