"""Rolling backups: a sound copy, pruned to the newest N, listed newest first."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from desktop_app.store import backup, open_store


def fake_backup(folder: Path, moment: datetime, tag: str = "") -> Path:
    """An (empty) file named as a backup taken at ``moment``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{backup.PREFIX}{moment.strftime(backup.STAMP)}{tag}{backup.SUFFIX}"
    path.touch()
    return path


def test_take_makes_a_sound_copy(store, new_business, tmp_path):
    """A backup opens, passes integrity_check and holds the same rows; no .partial is left."""
    for _ in range(3):
        new_business()
    target = backup.take(store.db_path, tmp_path / "b", reason="manual")
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied = copy.execute("SELECT id FROM business ORDER BY id").fetchall()
        copied_log = copy.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with closing(sqlite3.connect(store.db_path)) as live:
        assert copied == live.execute("SELECT id FROM business ORDER BY id").fetchall()
    assert len(copied) == 3 and copied_log == 3
    assert list((tmp_path / "b").glob("*.partial")) == []
    assert backup.listing(tmp_path / "b")[0].path == target


def test_keep_prunes_the_oldest(store, tmp_path):
    """Taking five backups with keep=3 leaves the three newest."""
    folder = tmp_path / "b"
    taken = []
    for _ in range(5):
        taken.append(backup.take(store.db_path, folder, keep=3))
        time.sleep(0.002)  # distinct stamps
    assert [b.path for b in backup.listing(folder)] == taken[:1:-1]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in taken[2:])


def test_listing_is_newest_first_and_ignores_strangers(tmp_path):
    """Listing sorts by the stamp in the name and skips files that are not backups."""
    now = datetime.now(timezone.utc)
    old = fake_backup(tmp_path, now - timedelta(days=2), "-pre-migration")
    new = fake_backup(tmp_path, now)
    mid = fake_backup(tmp_path, now - timedelta(days=1))
    (tmp_path / "tapis-notadate.sqlite3").touch()
    (tmp_path / "notes.txt").touch()
    assert [b.path for b in backup.listing(tmp_path)] == [new, mid, old]
    assert backup.listing(tmp_path / "missing") == []


def test_due_when_none_or_the_newest_is_old(tmp_path):
    """A backup is due with none at all, or when the newest is older than the interval."""
    assert backup.due(tmp_path, every=timedelta(hours=12))
    fake_backup(tmp_path, datetime.now(timezone.utc) - timedelta(hours=13))
    assert backup.due(tmp_path, every=timedelta(hours=12))
    fake_backup(tmp_path, datetime.now(timezone.utc) - timedelta(hours=1))
    assert not backup.due(tmp_path, every=timedelta(hours=12))


def test_open_store_backs_up_an_existing_database_when_due(data_dir):
    """A fresh store takes no backup; reopening when one is due takes one."""
    open_store(data_dir).close()
    assert backup.listing(data_dir / "backups") == []
    open_store(data_dir, backup_every=timedelta(hours=12)).close()
    assert len(backup.listing(data_dir / "backups")) == 1
    open_store(data_dir, backup_every=timedelta(hours=12)).close()
    assert len(backup.listing(data_dir / "backups")) == 1
