"""Change capture: every write path to a synced table logs exactly the right
change-log entries, in the same transaction as the write."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any

import pytest
import sqlite_utils
from sqlalchemy import delete, insert, text, update

from desktop_app.models import Business, synced_tables, uuid7
from desktop_app.store import change_capture

OTHER_OFFICER = "0190a1b2-0000-7000-8000-0000000000a2"
PARENTS = {"region": "18.71", "cooperative_type": "simpan_pinjam", "kbli_section": "G"}


def core(values: dict[str, Any]) -> dict[str, Any]:
    """The row for a Core insert: stamps left to the column defaults (aware datetimes)."""
    return {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}


def row_of(shell: sqlite3.Connection, table: str, row_id: str) -> dict[str, Any]:
    return dict(shell.execute(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,)).fetchone())


def local_state(shell: sqlite3.Connection) -> dict[str, Any]:
    return dict(shell.execute("SELECT * FROM local_state WHERE id = 1").fetchone())


def test_every_synced_table_has_its_three_triggers(store):
    """After opening, no synced table lacks an insert, update or delete trigger."""
    with store.engine.connect() as connection:
        assert change_capture.uncaptured_tables(connection, synced_tables()) == []


def test_orm_insert_logs_the_full_row(store, shell, log, new_business):
    """An ORM insert logs op 'insert' with every column, device and officer."""
    row_id = new_business(officer_id=OTHER_OFFICER)
    [entry] = log()
    assert (entry["table_name"], entry["row_id"], entry["op"]) == ("business", row_id, "insert")
    assert entry["fields"] == row_of(shell, "business", row_id)
    assert entry["device_id"] == local_state(shell)["device_id"]
    assert entry["officer_id"] == OTHER_OFFICER
    assert entry["push_state"] == "pending"


def test_orm_update_logs_only_the_changed_fields(store, shell, log, new_business):
    """An ORM update logs op 'update' with the changed fields (and updated_at) only."""
    row_id = new_business()
    with store.write() as session:
        session.get(Business, row_id).name = "Toko Kopi Sejahtera"
    entry = log()[-1]
    assert entry["op"] == "update"
    assert entry["fields"] == {
        "name": "Toko Kopi Sejahtera",
        "updated_at": row_of(shell, "business", row_id)["updated_at"],
    }


def test_orm_tombstone_is_logged_as_delete(store, shell, log, new_business):
    """Setting deleted_at logs op 'delete' with only the tombstone fields."""
    row_id = new_business()
    with store.write() as session:
        session.get(Business, row_id).deleted_at = datetime.now(timezone.utc)
    entry = log()[-1]
    row = row_of(shell, "business", row_id)
    assert (entry["op"], entry["row_id"]) == ("delete", row_id)
    assert entry["fields"] == {"deleted_at": row["deleted_at"], "updated_at": row["updated_at"]}


def test_setting_a_column_to_null_is_logged_as_json_null(store, shell, log, new_business):
    """A column set to NULL appears in the fields as null, not dropped."""
    row_id = new_business(nib="1234567890123")
    shell.execute("UPDATE business SET nib = NULL WHERE id = ?", (row_id,))
    assert log()[-1]["fields"] == {"nib": None}


def test_no_op_update_logs_nothing(store, shell, log, new_business):
    """An update that writes the same values appends no entry."""
    row_id = new_business()
    before = len(log())
    shell.execute("UPDATE business SET name = name, village = village WHERE id = ?", (row_id,))
    assert len(log()) == before


def test_core_insert_update_delete_are_logged(store, shell, log, business_values):
    """SQLAlchemy Core writes log insert (full row), update (changes) and delete (full row)."""
    table = Business.__table__
    values = business_values()
    with store.engine.begin() as connection:
        connection.execute(insert(table).values(**core(values)))
    inserted_row = row_of(shell, "business", values["id"])
    with store.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == values["id"]).values(phone="0812"))
    updated_row = row_of(shell, "business", values["id"])
    with store.engine.begin() as connection:
        connection.execute(delete(table).where(table.c.id == values["id"]))
    inserted, updated, deleted = log()
    assert (inserted["op"], inserted["fields"]) == ("insert", inserted_row)
    assert (updated["op"], updated["fields"]) == (
        "update", {"phone": "0812", "updated_at": updated_row["updated_at"]}  # Core onupdate
    )
    assert (deleted["op"], deleted["fields"]) == ("delete", updated_row)
    assert {e["row_id"] for e in (inserted, updated, deleted)} == {values["id"]}


def test_raw_sql_from_another_connection_is_logged(
    store, shell, log, business_values, insert_sql
):
    """Writes by a plain sqlite3 connection (the shell) are captured like any other."""
    values = business_values()
    shell.execute(insert_sql("business", values), values)
    full_row = row_of(shell, "business", values["id"])
    shell.execute("UPDATE business SET owner_name = 'Siti A.' WHERE id = ?", (values["id"],))
    shell.execute("DELETE FROM business WHERE id = ?", (values["id"],))
    assert [(e["op"], e["fields"]) for e in log()] == [
        ("insert", full_row),
        ("update", {"owner_name": "Siti A."}),
        ("delete", {**full_row, "owner_name": "Siti A."}),
    ]


def test_sqlite_utils_writes_are_logged(store, log, business_values):
    """sqlite-utils insert, update, upsert and delete each append the right entry."""
    values = business_values()
    with sqlite_utils.Database(store.db_path) as db:
        table = db["business"]
        table.insert(values)
        table.update(values["id"], {"village": "Sukarame"})
        table.upsert({**values, "village": "Sukarame", "phone": "0813"}, pk="id")
        table.delete(values["id"])
    entries = log()
    assert [e["op"] for e in entries] == ["insert", "update", "update", "delete"]
    assert entries[0]["fields"] == values | {"deleted_at": None, "district_code": None,
                                              "village_code": None, "nib": None,
                                              "kbli_section": None, "year_started": None}
    assert entries[1]["fields"] == {"village": "Sukarame"}
    assert entries[2]["fields"] == {"phone": "0813"}
    assert entries[3]["fields"]["phone"] == "0813"


def test_rolled_back_unit_leaves_neither_data_nor_log(store, shell, log, business_values):
    """An exception inside store.write() rolls back the row and its log entry together."""
    values = business_values()
    with pytest.raises(RuntimeError), store.write() as session:
        session.execute(insert(Business.__table__).values(**core(values)))
        raise RuntimeError("battery flat")
    assert shell.execute("SELECT count(*) FROM business").fetchone()[0] == 0
    assert log() == []


def test_one_unit_shares_a_txn_and_two_units_differ(store, log, new_business):
    """Entries of one store.write() share a txn number; another unit gets a new one."""
    with store.write() as session:
        first, second = Business(**_orm_fields()), Business(**_orm_fields())
        session.add_all([first, second])
        session.flush()
        first.phone = "0812"
    new_business()
    entries = log()
    assert len(entries) == 4
    assert entries[0]["txn"] == entries[1]["txn"] == entries[2]["txn"]
    assert entries[3]["txn"] > entries[0]["txn"]


def test_hlc_strictly_increases_per_entry(store, shell, log, business_values, insert_sql):
    """Every entry gets a larger stamp than the one before, even within one statement."""
    for _ in range(3):
        values = business_values()
        shell.execute(insert_sql("business", values), values)
    shell.execute("UPDATE business SET phone = '0812'")  # three rows, one statement
    stamps = [e["hlc"] for e in log()]
    assert len(stamps) == 6
    assert all(a < b for a, b in zip(stamps, stamps[1:]))
    assert local_state(shell)["hlc"] == stamps[-1]


def test_applying_writes_are_not_logged_and_flag_resets_on_rollback(
    store, shell, log, business_values
):
    """With applying = 1 (the pull applier) writes are not logged; a rollback resets it."""
    pulled = business_values()
    with store.write() as session:
        session.execute(text("UPDATE local_state SET applying = 1 WHERE id = 1"))
        session.execute(insert(Business.__table__).values(**core(pulled)))
        session.execute(text("UPDATE local_state SET applying = 0 WHERE id = 1"))
    assert log() == []
    with pytest.raises(RuntimeError), store.write() as session:
        session.execute(text("UPDATE local_state SET applying = 1 WHERE id = 1"))
        raise RuntimeError("connection lost mid-pull")
    assert local_state(shell)["applying"] == 0
    shell.execute("UPDATE business SET phone = '0812' WHERE id = ?", (pulled["id"],))
    assert [e["op"] for e in log()] == ["update"]


@pytest.mark.parametrize("table", synced_tables())
def test_raw_insert_into_each_synced_table_is_logged(store, shell, log, insert_sql, table):
    """A minimal valid row inserted by raw SQL into any synced table is logged."""
    row_id = _insert_minimal(shell, insert_sql, table)
    entries = [e for e in log() if e["table_name"] == table]
    assert [(e["row_id"], e["op"]) for e in entries] == [(row_id, "insert")]
    assert entries[0]["fields"] == row_of(shell, table, row_id)


def _orm_fields() -> dict[str, Any]:
    return {
        "name": "Warung Bu Siti", "owner_name": "Siti", "owner_nik": "1871014101900001",
        "regency_code": "18.71", "created_by": OTHER_OFFICER, "officer_id": OTHER_OFFICER,
        "device_id": OTHER_OFFICER,
    }


def _insert_minimal(shell: sqlite3.Connection, insert_sql, table: str) -> str:
    """Insert a row with only its NOT NULL columns (parents first); returns its id."""
    parents = {
        fk["from"]: fk["table"]
        for fk in map(dict, shell.execute(f'PRAGMA foreign_key_list("{table}")'))
    }
    row: dict[str, Any] = {}
    for column in map(dict, shell.execute(f'PRAGMA table_info("{table}")')):
        name, kind = column["name"], column["type"].upper()
        if not column["notnull"]:
            continue
        if name == "id":
            row[name] = uuid7()
        elif name in parents:
            parent = parents[name]
            row[name] = PARENTS.get(parent) or _insert_minimal(shell, insert_sql, parent)
        elif name.endswith("_date"):
            row[name] = "2026-11-23"
        elif kind.startswith(("INT", "BIGINT", "BOOL", "FLOAT", "REAL")):
            row[name] = 0
        else:
            row[name] = "x"
    shell.execute(insert_sql(table, row), row)
    return row["id"]
