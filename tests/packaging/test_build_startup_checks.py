"""The start-up checks: a data folder that cannot be written and a database
from a newer Tapis are told to the officer (a dialog in the GUI, a line on
stderr from a command), Indonesian first, with exit code 1, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from desktop_app import cli, startup_checks
from desktop_app.store import open_store
from desktop_app.store.store import DB_NAME
from desktop_app.ui import app as ui_app

REPO = Path(__file__).resolve().parents[2]


def blocked_dir(tmp_path: Path) -> Path:
    """A data folder that cannot be created: its parent is a file (works as root too)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    return blocker / "data"


def newer_database(tmp_path: Path) -> Path:
    """A data folder whose database says it was migrated by a later Tapis."""
    data_dir = tmp_path / "data"
    open_store(data_dir).close()
    with sqlite3.connect(data_dir / DB_NAME) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    return data_dir


class CapturedBox:
    """Stands in for QMessageBox: records what would have been shown."""

    shown: ClassVar[list[tuple[str, str]]] = []

    @classmethod
    def critical(cls, parent: object, title: str, text: str) -> None:
        cls.shown.append((title, text))


@pytest.fixture
def box(monkeypatch: pytest.MonkeyPatch) -> type[CapturedBox]:
    CapturedBox.shown = []
    monkeypatch.setattr(ui_app, "QMessageBox", CapturedBox)
    return CapturedBox


# --- pure functions -------------------------------------------------------


def test_db_name_matches_the_store() -> None:
    assert startup_checks.DB_NAME == DB_NAME


def test_a_new_data_folder_is_created_and_passes(tmp_path: Path) -> None:
    data_dir = tmp_path / "a" / "b"
    assert startup_checks.startup_problem(data_dir) is None
    assert data_dir.is_dir()
    assert list(data_dir.iterdir()) == []  # the probe file is gone


def test_an_unwritable_folder_is_named_indonesian_first(tmp_path: Path) -> None:
    data_dir = blocked_dir(tmp_path)
    message = startup_checks.data_dir_problem(data_dir)
    assert message is not None
    assert message.startswith("Tapis tidak dapat menulis ke folder datanya")
    assert "Tapis cannot write to its data folder" in message
    assert message.index("tidak dapat") < message.index("cannot write")
    assert str(data_dir) in message


def test_no_database_and_a_current_database_pass(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert startup_checks.database_problem(data_dir) is None
    open_store(data_dir).close()
    assert startup_checks.stored_revision(data_dir / DB_NAME) is not None
    assert startup_checks.database_problem(data_dir) is None


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    data_dir = newer_database(tmp_path)
    message = startup_checks.startup_problem(data_dir)
    assert message is not None
    assert message.startswith("Basis data dibuat oleh versi Tapis yang lebih baru")
    assert "newer version of Tapis" in message and "9999_from_the_future" in message


def test_reading_the_revision_writes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "data" / DB_NAME
    assert startup_checks.stored_revision(missing) is None
    assert not missing.exists()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    assert startup_checks.stored_revision(garbage) is None


# --- the GUI says so in a dialog ------------------------------------------


def test_gui_shows_a_dialog_for_a_newer_database(qapp: object, tmp_path: Path,
                                                 box: type[CapturedBox]) -> None:
    assert ui_app.run_gui(newer_database(tmp_path)) == 1
    [(title, text)] = box.shown
    assert title == "Tapis"
    assert text.startswith("Basis data dibuat oleh versi Tapis yang lebih baru")


def test_gui_shows_a_dialog_for_an_unwritable_folder(qapp: object, tmp_path: Path,
                                                     box: type[CapturedBox]) -> None:
    assert ui_app.run_gui(blocked_dir(tmp_path)) == 1
    [(_, text)] = box.shown
    assert text.startswith("Tapis tidak dapat menulis")


def test_gui_shows_a_dialog_for_a_damaged_database(qapp: object, tmp_path: Path,
                                                   box: type[CapturedBox]) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"this is not a database" * 100)
    assert ui_app.run_gui(data_dir) == 1
    [(_, text)] = box.shown
    assert text.startswith("Tapis tidak dapat membuka basis datanya")
    assert "could not open its database" in text


def test_the_command_line_gui_path_reaches_the_dialog(qapp: object, tmp_path: Path,
                                                      box: type[CapturedBox]) -> None:
    """``python -m desktop_app --data-dir BLOCKED``: no log file can be made there,
    and still the officer gets the dialog, not a traceback."""
    assert cli.main(["--data-dir", str(blocked_dir(tmp_path))]) == 1
    assert box.shown and box.shown[0][1].startswith("Tapis tidak dapat menulis")


def test_a_command_says_so_on_stderr(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir",
                             str(blocked_dir(tmp_path)), "check"], cwd=REPO,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Tapis tidak dapat menulis")
    assert "Traceback" not in result.stderr
