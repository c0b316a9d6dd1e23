"""``python -m server backup`` and ``restore`` as a province runs them, on
SQLite and PostgreSQL: a server with records, photos and accounts is backed
up while it serves, restored into an EMPTY database and photo store, and a
new laptop syncs against the restored server and gets everything (the photo
bytes included). Restore refuses to overwrite, and a damaged backup is
refused before anything is written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from desktop_app.services.photos import attach_photo
from desktop_app.sync.client import SyncClient
from desktop_app.store import migrate
from server.__main__ import main as server_main
from server.audit import AuditFilter, query
from server.db import Database
from tests.support.laptops import Laptop
from tests.support.servers import (
    postgres_available, postgres_database, running_server,
)

KOTA = "18.71"


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "postgres":
        with postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{folder / 'restored.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    return str(request.param)


@contextmanager
def source_database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "postgres":
        with postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{folder / 'server.sqlite3'}"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = server_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def photo(path: Path) -> Path:
    Image.new("RGB", (640, 480), (180, 90, 40)).save(path, "JPEG", quality=85)
    return path


def test_backup_then_restore_into_an_empty_database_and_sync_a_laptop(
        backend, tmp_path, capsys, monkeypatch) -> None:
    with source_database(backend, tmp_path) as url:
        blobs = tmp_path / "blobs"
        monkeypatch.setenv("TAPIS_BLOB_DIR", str(blobs))
        with running_server(url) as server:
            officer = Laptop(tmp_path / "officer", server.url, "petugas.bandarlampung")
            try:
                shop = officer.save("business", {
                    "name": "Keripik Pisang Ani", "owner_name": "Ani Rahayu",
                    "owner_nik": "1871014506900001", "regency_code": KOTA,
                    "district_code": "18.71.01", "village": "Way Halim"})
                survey = officer.save("umkm_survey", {"business_id": shop["id"],
                                                      "visit_date": date.today(),
                                                      "capital": 150_000_000})
                attached = attach_photo(officer.store, officer.actor, "umkm_survey", survey["id"],
                                        photo(tmp_path / "shop.jpg"))
                summary = officer.sync()
                assert summary.pending_left == 0
            finally:
                officer.close()
            code, out, err = cli(capsys, "officers", "add", "petugas.cadangan", "--name",
                                 "Petugas Cadangan", "--regency", KOTA, "--db", url)
            assert code == 0, err
            code, out, err = cli(capsys, "backup", "--out", str(tmp_path / "backups"),
                                 "--db", url)
            assert code == 0, (out, err)
            assert "photos: 1" in out
        [folder] = list((tmp_path / "backups").iterdir())
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["counts"]["business"] == 1 and manifest["counts"]["upload"] == 1
        assert list(manifest["photos"]) == [attached["sha256"]]
        assert oct(folder.stat().st_mode & 0o777) == "0o700"

    with empty_database(backend, tmp_path) as restored_url:
        restored_blobs = tmp_path / "restored-blobs"
        code, out, err = cli(capsys, "restore", str(folder), "--db", restored_url,
                             "--blobs", str(restored_blobs))
        assert code == 0, (out, err)
        # Nothing is overwritten: the same restore again is refused, saying why.
        code, _, err = cli(capsys, "restore", str(folder), "--db", restored_url, "--blobs",
                           str(tmp_path / "elsewhere"))
        assert code == 1 and ("not empty" in err or "exists already" in err), err
        monkeypatch.setenv("TAPIS_BLOB_DIR", str(restored_blobs))
        with running_server(restored_url, initialised=True) as restored:
            restored.database.blob_dir = restored_blobs
            newcomer = Laptop(tmp_path / "newcomer", restored.url, "supervisor.bandarlampung")
            try:
                newcomer.sync()
                assert set(newcomer.rows("business")) == {shop["id"]}
                assert set(newcomer.rows("attachment")) == {attached["id"]}
                client = SyncClient(restored.url, device_id=newcomer.store.device_id,
                                    schema=migrate.head_revision())
                client.token = newcomer.client.token
                assert client.download_attachment(attached["sha256"]) == \
                    Path(attached["path"]).read_bytes()
                client.close()
            finally:
                newcomer.close()
            code, out, _ = cli(capsys, "officers", "show", "petugas.cadangan", "--db",
                               restored_url)
            assert code == 0 and "one-time, must be changed" in out
            with restored.database.session() as session:
                actions = [e.action for e in query(session, AuditFilter(limit=500))]
            assert "restore" in actions and "officer_add" in actions


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert server_main(["init", "--db", url]) == 0
    code, out, err = cli(capsys, "backup", "--out", str(tmp_path / "b"), "--db", url)
    assert code == 0, err
    [folder] = list((tmp_path / "b").iterdir())
    with (folder / "database.sqlite3").open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00" * 64)
    target = tmp_path / "new.sqlite3"
    code, _, err = cli(capsys, "restore", str(folder), "--db", f"sqlite:///{target}")
    assert code == 1 and "damaged" in err
    assert not target.exists()
    code, _, err = cli(capsys, "restore", str(tmp_path), "--db", f"sqlite:///{target}")
    assert code == 1 and "not a Tapis backup" in err
    shutil.rmtree(folder)
