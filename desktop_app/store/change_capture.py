"""Change capture by SQLite triggers, generated from the live schema.

Every insert, update and delete of a synced table appends to ``change_log``
in the same transaction, whatever wrote it: the ORM, Core, raw SQL, the
sqlite3 shell or sqlite-utils. Triggers are the only place that sees all of
those paths. They are generated from the columns the table really has
(PRAGMA table_info), so after any migration :func:`install` brings them in
step; a changed definition is dropped and created again.

Writes made while ``local_state.applying = 1`` (the transaction that applies
changes pulled from the server) are not logged, so pulled changes are never
sent back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from ..protocol.clock import NEXT_STAMP_SQL

TRIGGER_PREFIX = "tapis_log_"
#: SQLite's default limit on function arguments is 127 (before 3.48).
_PAIRS_PER_CALL = 60

_NOT_APPLYING = "NOT coalesce((SELECT applying FROM local_state WHERE id = 1), 0)"

_CHANGE_ID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)


def _json_of(pairs: Sequence[tuple[str, str]]) -> str:
    """A JSON object from (path-or-key, value) pairs, keeping NULL values.

    ``json_object`` takes keys; ``json_set`` takes '$.key' paths. Chunks keep
    each call under SQLite's argument limit.
    """
    first, rest = pairs[:_PAIRS_PER_CALL], pairs[_PAIRS_PER_CALL:]
    expr = "json_object(" + ", ".join(f"'{k}', {v}" for k, v in first) + ")"
    while rest:
        chunk, rest = rest[:_PAIRS_PER_CALL], rest[_PAIRS_PER_CALL:]
        expr = "json_set(" + expr + ", " + ", ".join(f"'$.{k}', {v}" for k, v in chunk) + ")"
    return expr


def _changed_fields_json(columns: Sequence[str]) -> str:
    """JSON of only the columns whose value changed (NULLs kept).

    Unchanged columns are written to a scratch key '$._' which is removed at
    the end: json_set has no way to skip an argument.
    """
    expr = "'{}'"
    for start in range(0, len(columns), _PAIRS_PER_CALL):
        chunk = columns[start : start + _PAIRS_PER_CALL]
        args = ", ".join(
            f"CASE WHEN OLD.\"{c}\" IS NOT NEW.\"{c}\" THEN '$.{c}' ELSE '$._' END, NEW.\"{c}\""
            for c in chunk
        )
        expr = f"json_set({expr}, {args})"
    return f"json_remove({expr}, '$._')"


def _log_statements(table: str, op_sql: str, row: str, fields_sql: str, officer: str) -> str:
    return (
        f"UPDATE local_state SET hlc = {NEXT_STAMP_SQL} WHERE id = 1;\n"
        "  INSERT INTO change_log (change_id, txn, table_name, row_id, op, fields, hlc,"
        " device_id, officer_id, push_state)\n"
        f"  SELECT {_CHANGE_ID}, s.txn, '{table}', {row}.id, {op_sql}, {fields_sql}, s.hlc,"
        f" s.device_id, coalesce({officer}, s.officer_id), 'pending'"
        " FROM local_state AS s WHERE s.id = 1;"
    )


def trigger_sql(table: str, columns: Sequence[str]) -> dict[str, str]:
    """The CREATE TRIGGER statements for one table, by trigger name."""
    has_officer = "officer_id" in columns
    new_officer = 'NEW."officer_id"' if has_officer else "NULL"
    old_officer = 'OLD."officer_id"' if has_officer else "NULL"
    full_new = _json_of([(c, f'NEW."{c}"') for c in columns])
    full_old = _json_of([(c, f'OLD."{c}"') for c in columns])
    any_change = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
    tombstoned = (
        "CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL "
        "THEN 'delete' ELSE 'update' END"
        if "deleted_at" in columns
        else "'update'"
    )
    name = f"{TRIGGER_PREFIX}{table}"
    return {
        f"{name}_insert": (
            f'CREATE TRIGGER "{name}_insert" AFTER INSERT ON "{table}"\n'
            f"WHEN {_NOT_APPLYING}\nBEGIN\n  "
            + _log_statements(table, "'insert'", "NEW", full_new, new_officer)
            + "\nEND"
        ),
        f"{name}_update": (
            f'CREATE TRIGGER "{name}_update" AFTER UPDATE ON "{table}"\n'
            f"WHEN {_NOT_APPLYING} AND ({any_change})\nBEGIN\n  "
            + _log_statements(table, tombstoned, "NEW", _changed_fields_json(columns), new_officer)
            + "\nEND"
        ),
        f"{name}_delete": (
            f'CREATE TRIGGER "{name}_delete" AFTER DELETE ON "{table}"\n'
            f"WHEN {_NOT_APPLYING}\nBEGIN\n  "
            + _log_statements(table, "'delete'", "OLD", full_old, old_officer)
            + "\nEND"
        ),
    }


def live_columns(connection: Connection, table: str) -> list[str]:
    """The columns the table has in this database, in table order."""
    rows = connection.exec_driver_sql(f'PRAGMA table_info("{table}")').all()
    return [row[1] for row in rows]


def install(connection: Connection, tables: Sequence[str]) -> int:
    """Create or refresh the capture triggers of ``tables``; returns how many
    changed. Tables missing from this database (an older schema) are skipped.
    """
    existing = dict(
        connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
            {"p": TRIGGER_PREFIX + "%"},
        ).all()
    )
    changed = 0
    for table in tables:
        columns = live_columns(connection, table)
        if not columns:
            continue
        for name, sql in trigger_sql(table, columns).items():
            if existing.get(name) == sql:
                continue
            connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            connection.exec_driver_sql(sql)
            changed += 1
    return changed


def uncaptured_tables(connection: Connection, tables: Sequence[str]) -> list[str]:
    """Synced tables lacking any of their three capture triggers."""
    names = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).all()
    }
    return [
        t
        for t in tables
        if not {f"{TRIGGER_PREFIX}{t}_{op}" for op in ("insert", "update", "delete")} <= names
    ]
