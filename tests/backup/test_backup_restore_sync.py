"""Restoring an older backup on a laptop that syncs: the restored database
carries on as a new device, so the server ends with every change once and
nothing waits for ever."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from desktop_app.services import backups
from desktop_app.store import open_store
from desktop_app.store.check import run as check_store
from desktop_app.models import synced_tables
from server.tables import AppliedChange, Device
from tests.support.laptops import Laptop

USER = "petugas.bandarlampung"


def business(name: str, nik: str) -> dict:
    return {"name": name, "owner_name": "Siti Aminah", "owner_nik": nik, "regency_code": "18.71",
            "district_code": "18.71.01", "village": "Kedaton"}


def server_changes(server) -> list[tuple[str, str, str]]:
    with server.database.session() as session:
        return [(r.change_id, r.row_id, r.op) for r in session.scalars(
            select(AppliedChange).where(AppliedChange.table_name == "business"))]


def test_restore_then_sync_loses_nothing_and_applies_nothing_twice(sync_server, tmp_path):
    """Backup, more synced work, restore, a new change, sync: the server has all of it once."""
    folder = tmp_path / "laptop"
    laptop = Laptop(folder, sync_server.url, USER)
    first = laptop.save("business", business("Kopi Siti", "1871014101900001"))
    laptop.sync()
    pending_in_backup = laptop.save("business", business("Warung Ani", "1871014101900002"))
    taken = backups.take_backup(folder)  # holds 'first' (sent) and 'Warung Ani' (pending)
    after = laptop.save("business", business("Bengkel Budi", "1871011503850007"))
    laptop.save("business", {"name": "Kopi Siti Lestari"}, first["id"])
    assert laptop.sync().pending_left == 0
    old_device = laptop.store.device_id
    laptop.close()

    result = backups.restore(folder, taken.path)

    assert result.old_device_id == old_device != result.new_device_id
    assert result.kept_aside is not None and result.kept_aside.exists()
    assert result.changes_to_resend == 2
    laptop = Laptop(folder, sync_server.url, USER)  # the officer signs in again
    assert laptop.store.device_id == result.new_device_id
    made_after_restore = laptop.save("business", business("Tapis Wayan", "1871014101900003"))
    summary = laptop.sync()
    assert summary.pending_left == 0 and summary.parked_total == 0 and not summary.parked
    assert summary.duplicates == 2 and summary.pushed == 1

    applied = server_changes(sync_server)
    assert max(Counter(c for c, _, _ in applied).values()) == 1  # no change applied twice
    assert Counter(op for _, _, op in applied) == {"insert": 4, "update": 1}
    rows = laptop.rows("business")  # the work synced after the backup came back by pull
    assert set(rows) == {first["id"], pending_in_backup["id"], after["id"], made_after_restore["id"]}
    assert rows[first["id"]]["name"] == "Kopi Siti Lestari"
    with sync_server.database.session() as session:
        device = session.get(Device, result.new_device_id)
        assert device is not None and device.last_seq == 3  # its whole log, in order
    again = laptop.sync()
    assert again.pushed == again.duplicates == again.pending_left == 0
    with laptop.store.raw() as connection:
        assert check_store(connection, synced_tables()).ok
    laptop.close()


def test_keeping_the_old_device_id_would_lose_the_new_change(sync_server, tmp_path):
    """Why the new identity: the same restore without it, the server drops a reused seq."""
    from desktop_app.store import restore as file_restore

    folder = tmp_path / "laptop"
    laptop = Laptop(folder, sync_server.url, USER)
    laptop.save("business", business("Kopi Siti", "1871014101900001"))
    laptop.sync()
    taken = backups.take_backup(folder)
    laptop.save("business", business("Bengkel Budi", "1871011503850007"))
    laptop.sync()
    laptop.close()
    database = folder / "tapis.sqlite3"
    file_restore.keep_aside(database, folder / "backups")
    file_restore.copy_in(taken.path, database)  # a bare file copy: same device id
    laptop = Laptop(folder, sync_server.url, USER)
    lost = laptop.save("business", business("Tapis Wayan", "1871014101900003"))
    laptop.sync()
    assert lost["id"] not in {row for _, row, _ in server_changes(sync_server)}
    laptop.close()
