"""The bundle commands as an officer and an office clerk type them: export
on the laptop without signal, upload or import-and-sync at the office, with
exit codes and bilingual refusals as documented."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.tables import AppliedChange
from tests.support.servers import DEMO_PASSWORD, RunningServer, running_server

REPO = Path(__file__).resolve().parents[2]
ADMIN = "admin.provinsi"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop_app", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def server(sqlite_server_template: Path, tmp_path: Path) -> Iterator[RunningServer]:
    copy = tmp_path / "server.sqlite3"
    shutil.copyfile(sqlite_server_template, copy)
    with running_server(f"sqlite:///{copy}", initialised=True) as running:
        yield running


def sign_in(server: RunningServer, data: Path) -> subprocess.CompletedProcess[str]:
    return cli("--data-dir", data, "sync", "--server", server.url, "--user", ADMIN,
               "--password", DEMO_PASSWORD)


def applied(server: RunningServer) -> int:
    with server.database.session() as session:
        return session.scalar(select(func.count()).select_from(AppliedChange)) or 0


def test_export_upload_import_list_and_forward(server, tmp_path):
    """Export on the field laptop; upload at one office copy, import and sync at
    another: every change reaches the server once, the second route adds nothing."""
    field, desk = tmp_path / "field", tmp_path / "desk"
    assert sign_in(server, field).returncode == 0  # once online: the key arrives
    assert cli("--data-dir", field, "demo", "--records", "20").returncode == 0
    stick = tmp_path / "stick" / "field.tapisbundle"
    exported = cli("--data-dir", field, "bundle", "export", "--out", stick)
    assert exported.returncode == 0, exported.stderr
    assert stick.exists() and not stick.with_name(stick.name + ".partial").exists()

    uploaded = cli("--data-dir", desk, "bundle", "upload", stick, "--server", server.url,
                   "--user", ADMIN, "--password", DEMO_PASSWORD)
    assert uploaded.returncode == 0, uploaded.stderr
    count = applied(server)
    assert count > 20 and f"applied {count}" in uploaded.stdout

    first = cli("--data-dir", desk, "bundle", "import", stick)
    again = cli("--data-dir", desk, "bundle", "import", stick)
    assert (first.returncode, again.returncode) == (0, 0)
    assert "waiting" in first.stdout and "already imported" in again.stdout
    assert "1 bundle(s)" in cli("--data-dir", desk, "bundle", "list").stdout
    assert sign_in(server, desk).returncode == 0  # forwards it: all duplicates
    listed = cli("--data-dir", desk, "bundle", "list").stdout
    assert "forwarded" in listed and f"already there {count}" in listed
    assert applied(server) == count


def test_refusals_exit_1_with_both_languages(server, tmp_path):
    """No key yet, a damaged file, nothing to export: each says why in
    Indonesian and English, with the documented exit code."""
    never = cli("--data-dir", tmp_path / "new", "bundle", "export",
                "--out", tmp_path / "x.tapisbundle")
    assert never.returncode == 1
    assert "belum punya kunci" in never.stderr and "no bundle key" in never.stderr

    field = tmp_path / "field"
    sign_in(server, field)
    empty = cli("--data-dir", field, "bundle", "export", "--out", tmp_path / "empty.tapisbundle")
    assert empty.returncode == 2 and "no unsent changes" in empty.stderr
    cli("--data-dir", field, "demo", "--records", "4")
    stick = tmp_path / "f.tapisbundle"
    assert cli("--data-dir", field, "bundle", "export", "--out", stick).returncode == 0
    data = bytearray(stick.read_bytes())
    data[-3] ^= 0xFF
    stick.write_bytes(bytes(data))
    damaged = cli("--data-dir", field, "bundle", "import", stick)
    assert damaged.returncode == 1
    assert "telah diubah" in damaged.stderr and "was altered" in damaged.stderr
