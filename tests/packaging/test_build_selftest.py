"""``python -m desktop_app self-test``: exit 0 when the installation works,
1 with the failing step named when it does not; never the officer's data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import selftest
from desktop_app.services import records
from desktop_app.store import migrate

REPO = Path(__file__).resolve().parents[2]
KINDS = ("business", "cooperative", "aid_applicant", "umkm_survey", "cooperative_audit",
         "aid_verification")


def test_self_test_passes_from_the_source_checkout(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    home = tmp_path / "home"  # where platformdirs would put the officer's data
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "PATH": "/usr/bin:/bin",
           "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "desktop_app", "self-test", "--output",
                             str(report)], cwd=REPO, capture_output=True, text=True,
                            timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = report.read_text()
    assert text == result.stdout
    for step in ("resources", "start-up checks", "store and migrations", "records of each kind",
                 "store check", "main window"):
        assert f"ok   {step}" in text
    assert ", ".join(KINDS) in text
    assert "FAIL" not in text and text.rstrip().endswith("self-test passed / uji mandiri berhasil")
    assert not home.exists()  # the officer's data folder was never touched


def test_a_failing_save_fails_the_self_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(records, "save", broken)
    assert selftest.run_self_test(tmp_path / "report.txt") == 1
    text = (tmp_path / "report.txt").read_text()
    assert "FAIL records of each kind: RuntimeError: disk on fire" in text
    assert "main window" not in text  # stops at the first fault
    assert "self-test FAILED" in text
    assert "self-test failed" in capsys.readouterr().err


def test_missing_migrations_fail_the_self_test(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path / "nowhere")
    assert selftest.run_self_test(tmp_path / "report.txt") == 1
    assert "FAIL store and migrations" in (tmp_path / "report.txt").read_text()


def test_keep_leaves_the_temporary_store(tmp_path: Path) -> None:
    assert selftest.run_self_test(tmp_path / "report.txt", keep=True) == 0
    line = (tmp_path / "report.txt").read_text().splitlines()[-2]
    assert line.startswith("data kept in ")
    kept = Path(line.removeprefix("data kept in "))
    assert (kept / "tapis.sqlite3").is_file()
    shutil.rmtree(kept)
