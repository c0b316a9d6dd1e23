"""``python -m server`` as the provincial IT officer types it, in a
subprocess: every office command has --help naming the exit codes; wrong
usage is 2, a missing or old database 4; an officers spreadsheet with one
wrong row imports nothing (3, every row's problem printed), ``--check``
writes nothing, and the one-time passwords go to a file only its owner can
read; the audit log names the person behind sudo."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[2]
HELPS = [("officers",), ("officers", "add"), ("officers", "list"), ("officers", "show"),
         ("officers", "set"), ("officers", "deactivate"), ("officers", "reactivate"),
         ("officers", "reset-password"), ("officers", "import"), ("devices",), ("devices", "list"),
         ("devices", "revoke"), ("audit-log",), ("assignments",), ("assignments", "add"),
         ("assignments", "list"), ("assignments", "cancel"), ("assignments", "import"),
         ("assignments", "move"), ("officers", "unlock"),
         ("backup",), ("restore",)]


def server(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def office_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('office') / 'server.sqlite3'}"
    assert server("init", "--db", url).returncode == 0
    return url


def test_every_office_command_has_help_with_the_exit_codes() -> None:
    from server.__main__ import build_parser

    parser = build_parser()
    for words in HELPS:
        action = parser
        for word in words:
            sub = next(a for a in action._actions if a.__class__.__name__ == "_SubParsersAction")
            action = sub.choices[word]
        text = action.format_help()
        assert "Exit codes: 0 done; 1 refused" in text.replace("\n", " "), words
    result = server("officers", "import", "--help")
    assert result.returncode == 0 and "Any wrong row: nothing is imported" in " ".join(result.stdout.split())


def test_wrong_usage_and_a_missing_database_have_their_codes(tmp_path: Path) -> None:
    assert server("officers", "add", "petugas.x").returncode == 2  # --name missing
    assert server("officers", "frobnicate").returncode == 2
    missing = server("officers", "list", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_spreadsheet_with_a_wrong_row_imports_nothing(office_db: str, tmp_path: Path) -> None:
    book = Workbook()
    for row in (["username", "nama lengkap", "peran", "kode kabupaten", "telepon"],
                ["petugas.way1", "Petugas Way Satu", "officer", "18.08", "0812 1111 1111"],
                ["petugas.way2", "Petugas Way Dua", "officer", "18.99", ""],
                ["Petugas Way3", "", "officer", "18.08", ""],
                ["petugas.way1", "Petugas Kembar", "officer", "18.08", ""]):
        book.active.append(row)
    book.save(tmp_path / "petugas.xlsx")
    refused = server("officers", "import", tmp_path / "petugas.xlsx", "--db", office_db)
    assert refused.returncode == 3, refused.stderr
    lines = refused.stderr.splitlines()
    assert any(line.startswith("row 3: regency_code:") for line in lines), lines
    assert any(line.startswith("row 4: full_name:") for line in lines), lines
    assert any(line.startswith("row 5: username:") and "row 2" in line for line in lines), lines
    assert "Nothing was imported: 3 row(s)" in refused.stderr
    listed = server("officers", "list", "--all", "--json", "--db", office_db)
    assert listed.returncode == 0 and listed.stdout == ""  # no account at all yet

    book = Workbook()
    for row in (["username", "full_name", "role", "regency_code"],
                ["petugas.way1", "Petugas Way Satu", "officer", "18.08"],
                ["supervisor.way", "Supervisor Way Kanan", "supervisor", "18.08"]):
        book.active.append(row)
    book.save(tmp_path / "petugas-ok.xlsx")
    checked = server("officers", "import", tmp_path / "petugas-ok.xlsx", "--check", "--db", office_db)
    assert checked.returncode == 0 and "checked only" in checked.stdout
    assert server("officers", "list", "--json", "--db", office_db).stdout == ""
    secrets_file = tmp_path / "one-time.csv"
    done = server("officers", "import", tmp_path / "petugas-ok.xlsx", "--passwords-out",
                  secrets_file, "--db", office_db, env={"SUDO_USER": "budi.it"})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    rows = secrets_file.read_text().splitlines()
    assert rows[0].startswith("username,one_time_password") and len(rows) == 3
    assert rows[1].split(",")[1] not in done.stdout  # written to the file, not the terminal
    accounts = [json.loads(line) for line in
                server("officers", "list", "--json", "--db", office_db).stdout.splitlines()]
    assert {(a["username"], a["must_change_password"]) for a in accounts} == {
        ("petugas.way1", True), ("supervisor.way", True)}
    log = server("audit-log", "--action", "officer_import", "--json", "--db", office_db)
    [line] = [json.loads(x) for x in log.stdout.splitlines()]
    assert line["actor"].startswith("operator:budi.it@")
