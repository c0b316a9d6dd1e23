"""Issue 11 item 9: nothing a bundle (or a pulled row) says becomes a path.
An insider who holds the regency key seals a bundle whose id is
``../../x``; ``bundle import`` at the office copy used to write it outside
the relay folder (a folder later emptied)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.models.types import utc_now
from desktop_app.protocol import bundle
from desktop_app.store import migrate, open_store
from desktop_app.store.local_tables import BundleKeyRow

REPO = Path(__file__).resolve().parents[2]
KEY = b"R" * 32


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop_app", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office copy holding the regency's bundle key."""
    data = tmp_path / "office" / "data"
    store = open_store(data)
    with store.write() as session:
        session.add(BundleKeyRow(key_id="18.06-1", regency_code="18.06",
                                 secret="UlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlI=",
                                 for_export=0, received_at=utc_now()))
    store.close()
    return data


def crafted(monkeypatch: pytest.MonkeyPatch, folder: Path, bundle_id: str) -> Path:
    """A bundle properly sealed and signed whose header names ``bundle_id``."""
    monkeypatch.setattr(bundle.uuid, "uuid4", lambda: bundle_id)
    _header, data = bundle.seal(
        key_id="18.06-1", key=KEY, signer=Ed25519PrivateKey.generate(),
        schema_revision=migrate.head_revision(), device_id=str(uuid.uuid4()),
        officer_id=str(uuid.uuid4()), regency_code="18.06", created_at="2026-11-23T01:00:00Z",
        changes=[], photos=[])
    monkeypatch.undo()
    path = folder / "kiriman.tapisbundle"
    path.write_bytes(data)
    return path


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("bundle_id", ["../../../dropped", "../dropped", "ABSOLUTE",
                                       "relay/../../dropped"])
def test_a_bundle_id_that_is_a_path_writes_nothing_outside_relay(monkeypatch, tmp_path, office,
                                                                 bundle_id):
    """The bundle is refused (its id is no UUID) and no file appears anywhere
    but where the office copy keeps its own things."""
    if bundle_id == "ABSOLUTE":
        bundle_id = str(tmp_path / "elsewhere" / "dropped")
        (tmp_path / "elsewhere").mkdir()
    path = crafted(monkeypatch, tmp_path, bundle_id)
    before = files_under(tmp_path)
    done = cli("--data-dir", office, "bundle", "import", path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not a UUID" in done.stderr and "bukan UUID" in done.stderr
    assert "Traceback" not in done.stderr
    new = files_under(tmp_path) - before
    assert all(office in p.parents for p in new), new
    assert not (office / "relay").exists() or not any((office / "relay").iterdir())


def test_a_good_bundle_is_kept_under_its_content_hash(monkeypatch, tmp_path, office):
    """A well-formed bundle is copied into relay/ under the hash of its bytes."""
    path = crafted(monkeypatch, tmp_path, str(uuid.uuid4()))
    done = cli("--data-dir", office, "bundle", "import", path)
    assert done.returncode == 0, done.stderr
    [kept] = list((office / "relay").iterdir())
    assert kept.name == bundle.content_hash(path.read_bytes()) + bundle.SUFFIX
