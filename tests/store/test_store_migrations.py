"""Migrations at start-up: an old database upgrades without loss, a newer one
is refused untouched, and opening again changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.models import synced_tables, uuid7
from desktop_app.resources import reference_dir
from desktop_app.store import backup, change_capture, migrate, open_store, refdata
from desktop_app.store.engine import make_engine
from desktop_app.store.store import DB_NAME

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
STAMP = "2026-01-05T08:00:00.000Z"
COMMON = (
    "id, created_at, updated_at, created_by, officer_id, device_id, address, regency_code, village"
)


def _common(row_id: str, village: str) -> tuple:
    return (row_id, STAMP, STAMP, OFFICER, OFFICER, OFFICER, "", "18.71", village)


def make_0001_database(data_dir: Path) -> dict[str, str]:
    """A database as revision 0001 left it, with triggers, reference data and a
    few rows written by raw SQL; returns the row ids by table."""
    data_dir.mkdir(parents=True)
    engine = make_engine(data_dir / DB_NAME)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        change_capture.install(connection, synced_tables())
    engine.dispose()
    ids = {"business": uuid7(), "cooperative": uuid7(), "aid_applicant": uuid7()}
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con, con:
        refdata.load_if_newer(con, reference_dir())
        con.execute(
            f"INSERT INTO business ({COMMON}, name, owner_name, owner_nik, phone)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'Keripik Pisang Wijaya', 'Wijaya', '1871010101800001', '')",
            _common(ids["business"], "Kedaton"),
        )
        con.execute(
            f"INSERT INTO cooperative ({COMMON}, name, legal_entity_no, cooperative_type,"
            " chair_name, members_male, members_female, is_active, rat_last_year)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'KSP Tani Makmur', '123/BH', 'simpan_pinjam', 'Sutrisno',"
            " 10, 12, 1, 1)",
            _common(ids["cooperative"], "Rajabasa"),
        )
        con.execute(
            f"INSERT INTO aid_applicant ({COMMON}, full_name, nik, business_name, phone, aid_round,"
            " on_credit_list, prior_recipient)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'Rahmawati', '1871015502850002', 'Gorengan Rahma', '',"
            " '2026-1', 0, 0)",
            _common(ids["aid_applicant"], "Sukarame"),
        )
    return ids


def fts_rowids(con: sqlite3.Connection, table: str, query: str) -> list[int]:
    return [r[0] for r in con.execute(
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?", (query,)
    )]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_is_at_head(store):
    """A store made from nothing is at the head revision."""
    with store.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_0001_database_upgrades_to_head_without_loss(data_dir):
    """Rows, change log and device id survive the upgrade; the new FTS index finds old rows."""
    ids = make_0001_database(data_dir)
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        log_before = con.execute("SELECT * FROM change_log ORDER BY seq").fetchall()
        state_before = con.execute("SELECT device_id, hlc FROM local_state").fetchone()
    assert len(log_before) == 3

    store = open_store(data_dir)
    store.close()

    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            migrate.head_revision()
        )
        assert con.execute("SELECT * FROM change_log ORDER BY seq").fetchall() == log_before
        assert con.execute("SELECT device_id, hlc FROM local_state").fetchone() == state_before
        for table, row_id in ids.items():
            assert con.execute(f"SELECT count(*) FROM {table} WHERE id = ?", (row_id,)).fetchone()
        rowid = con.execute("SELECT rowid FROM business WHERE id = ?", (ids["business"],))
        assert fts_rowids(con, "business", "keripik") == [rowid.fetchone()[0]]
        assert len(fts_rowids(con, "cooperative", "makmur")) == 1
        assert len(fts_rowids(con, "aid_applicant", "gorengan")) == 1


def test_upgrade_takes_a_pre_migration_backup(data_dir):
    """Before migrating an existing database a backup at the old revision is kept."""
    make_0001_database(data_dir)
    open_store(data_dir).close()
    [taken] = backup.listing(data_dir / "backups")
    assert "pre-migration" in taken.path.name
    with closing(sqlite3.connect(taken.path)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert con.execute("SELECT count(*) FROM business").fetchone()[0] == 1


def test_database_from_a_newer_version_is_refused_untouched(data_dir):
    """An unknown newer revision raises DatabaseTooNew and leaves the file as it was."""
    open_store(data_dir).close()
    db_path = data_dir / DB_NAME
    with closing(sqlite3.connect(db_path)) as con, con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    digest, backups = file_digest(db_path), backup.listing(data_dir / "backups")

    with pytest.raises(migrate.DatabaseTooNew) as refused:
        open_store(data_dir, backup_every=timedelta(0))

    assert refused.value.revision == "9999"
    assert file_digest(db_path) == digest
    assert backup.listing(data_dir / "backups") == backups
    assert not (data_dir / f"{DB_NAME}-wal").exists()  # no connection left open on it


def test_opening_twice_changes_nothing(data_dir):
    """A second open installs no trigger again and does not reload the reference data."""
    first = open_store(data_dir)
    first.close()
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                               " ORDER BY name").fetchall()
        loaded = con.execute("SELECT * FROM reference_version").fetchall()

    second = open_store(data_dir)
    with second.engine.begin() as connection:
        assert change_capture.install(connection, synced_tables()) == 0
    second.close()

    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        assert con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                           " ORDER BY name").fetchall() == triggers
        assert con.execute("SELECT * FROM reference_version").fetchall() == loaded
    assert len([t for t in triggers if t[0].startswith(change_capture.TRIGGER_PREFIX)]) == (
        3 * len(synced_tables())
    )
