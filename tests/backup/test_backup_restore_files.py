"""Restore at the file level: the replaced database is kept and listed, a
bad file is refused before anything moves, an older backup is migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.models import Business
from desktop_app.services import backups, records
from desktop_app.services.context import Actor
from desktop_app.store import Store, migrate, open_store
from desktop_app.store.engine import make_engine

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"


def business(name: str) -> dict:
    return {"name": name, "owner_name": "Siti Aminah", "owner_nik": "1871014101900001",
            "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton"}


def names(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / "tapis.sqlite3") as connection:
        return {r[0] for r in connection.execute("SELECT name FROM business")}


def names_through(store: Store) -> set[str]:
    """The businesses as an open store reads them."""
    with store.read() as session:
        return {r.name for r in session.scalars(select(Business))}


def save(data_dir: Path, name: str) -> None:
    store = open_store(data_dir)
    records.save(store, Actor(OFFICER, store.device_id), "business", business(name))
    store.close()


def test_restore_brings_back_the_backup_and_keeps_the_current_file(tmp_path):
    """The backup's content is live again; the replaced file is listed as 'before-restore'."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    taken = backups.take_backup(data_dir)
    save(data_dir, "Bengkel Budi")
    result = backups.restore(data_dir, taken.path)
    assert names(data_dir) == {"Kopi Siti"}
    assert result.kept_aside is not None
    with sqlite3.connect(result.kept_aside) as kept:
        assert {r[0] for r in kept.execute("SELECT name FROM business")} == {"Kopi Siti", "Bengkel Budi"}
    listed = backups.list_backups(data_dir)
    assert [b.kind for b in listed if b.path == result.kept_aside] == ["before-restore"]
    assert taken.path in {b.path for b in listed}
    assert not list(data_dir.glob("*.partial"))
    store = open_store(data_dir)  # opens normally afterwards
    assert store.device_id == result.new_device_id
    store.close()


def test_the_kept_aside_file_can_itself_be_restored(tmp_path):
    """Undoing a restore is another restore, of the 'before-restore' file."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    taken = backups.take_backup(data_dir)
    save(data_dir, "Bengkel Budi")
    undo = backups.restore(data_dir, taken.path).kept_aside
    backups.restore(data_dir, undo)
    assert names(data_dir) == {"Kopi Siti", "Bengkel Budi"}


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_bad_file_is_refused_and_nothing_moves(tmp_path, content):
    """A file that is not a sound Tapis database leaves the current one in place."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    bad = tmp_path / "tapis-20260101T000000000000Z.sqlite3"
    bad.write_bytes(content)
    with pytest.raises(backups.RestoreFailed) as refused:
        backups.restore(data_dir, bad)
    assert "Tapis" in refused.value.message_id and "Tapis" in refused.value.message_en
    assert names(data_dir) == {"Kopi Siti"}
    assert all(b.kind != "before-restore" for b in backups.list_backups(data_dir))


def test_restore_and_reopen_hands_back_the_restored_store(tmp_path):
    """The window's restore: the store comes back open on the backup's data, as a new device."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    taken = backups.take_backup(data_dir)
    save(data_dir, "Bengkel Budi")
    old_device = open_store(data_dir)
    device_before = old_device.device_id
    old_device.close()
    reopened = backups.restore_and_reopen(data_dir, taken.path)
    try:
        assert reopened.error is None and reopened.result is not None
        assert reopened.store.device_id == reopened.result.new_device_id != device_before
        assert names_through(reopened.store) == {"Kopi Siti"}
    finally:
        reopened.store.close()


def test_a_refused_restore_reopens_the_database_in_place(tmp_path):
    """A bad file: the window gets its own database back, open, with the refusal to show."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    bad = tmp_path / "tapis-20260101T000000000000Z.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    reopened = backups.restore_and_reopen(data_dir, bad)
    try:
        assert reopened.result is None and isinstance(reopened.error, backups.RestoreFailed)
        assert names_through(reopened.store) == {"Kopi Siti"}
    finally:
        reopened.store.close()


def test_a_backup_from_an_older_version_is_migrated(tmp_path):
    """A backup made before the latest migrations is upgraded when it opens."""
    old = tmp_path / "old.sqlite3"
    engine = make_engine(old)
    migrate.upgrade(engine, "0003")
    engine.dispose()
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    result = backups.restore(data_dir, old)
    assert result.migrated_from == "0003"
    store = open_store(data_dir)
    with store.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
    store.close()


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    """A backup whose schema this version does not know is refused, naming the fix."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    taken = backups.take_backup(data_dir)
    with sqlite3.connect(taken.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(backups.RestoreFailed) as refused:
        backups.restore(data_dir, taken.path)
    assert "lebih baru" in refused.value.message_id and "newer" in refused.value.message_en


def test_restored_tokens_are_cleared_so_the_officer_signs_in_again(tmp_path):
    """Server tokens belong to the old device id; the restored file keeps none."""
    data_dir = tmp_path / "data"
    save(data_dir, "Kopi Siti")
    with sqlite3.connect(data_dir / "tapis.sqlite3") as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if "officer_account" not in tables:
        pytest.skip("this schema keeps no server token")
    with sqlite3.connect(data_dir / "tapis.sqlite3") as connection:
        connection.execute(
            "INSERT INTO officer_account (officer_id, username, full_name, role, pin_hash, "
            "server_url, token, failed_pins) VALUES ('o1', 'petugas', 'Petugas', 'officer', 'x', "
            "'http://s', 'secret-token', 0)")
    taken = backups.take_backup(data_dir)
    backups.restore(data_dir, taken.path)
    with sqlite3.connect(data_dir / "tapis.sqlite3") as connection:
        assert connection.execute("SELECT token FROM officer_account").fetchall() == [(None,)]
