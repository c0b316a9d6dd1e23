"""The command line as an officer or a support engineer uses it: fill a demo
store, check it, see a corrupted log reported, and read every command's help."""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
from pathlib import Path

from collections.abc import Callable

import pytest

from desktop_app.cli import build_parser

Run = Callable[..., subprocess.CompletedProcess[str]]

KINDS = ("business", "umkm_survey", "cooperative", "cooperative_audit", "aid_applicant",
         "aid_verification")


def test_demo_fills_the_store_and_prints_counts(
        demo_source: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """`demo --records 300` exits 0 and prints how many records of each kind it made."""
    data_dir, result = demo_source
    assert result.returncode == 0, result.stderr
    counts = dict(re.findall(r"^(\w+): (\d+)$", result.stdout, re.M))
    assert set(counts) == set(KINDS)
    assert sum(int(n) for n in counts.values()) == 300
    assert "total: 300 records" in result.stdout
    assert (data_dir / "tapis.sqlite3").exists()


def test_check_passes_on_the_demo_store(run: Run, demo_dir: Path) -> None:
    """`check` on a freshly filled store exits 0 and says how much it checked."""
    result = run("--data-dir", demo_dir, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"checked 300 rows and \d+ change-log entries: ok", result.stdout)
    assert "FAULT" not in result.stdout


def test_check_on_a_missing_data_dir_fails(run: Run, tmp_path: Path) -> None:
    """`check` on a folder with no database exits 1, says so, and creates nothing."""
    missing = tmp_path / "nowhere"
    result = run("--data-dir", missing, "check")
    assert result.returncode == 1
    assert "no database" in result.stderr
    assert not (missing / "tapis.sqlite3").exists()


def _first_business(connection: sqlite3.Connection) -> str:
    return connection.execute("SELECT id FROM business ORDER BY id LIMIT 1").fetchone()[0]


def test_check_reports_a_lost_log_entry(run: Run, demo_dir: Path) -> None:
    """A business whose insert entry vanished from the change log is reported as a fault."""
    with sqlite3.connect(demo_dir / "tapis.sqlite3") as connection:
        row_id = _first_business(connection)
        connection.execute("DELETE FROM change_log WHERE table_name = 'business' AND row_id = ?",
                           (row_id,))
    result = run("--data-dir", demo_dir, "check")
    assert result.returncode == 1
    assert re.search(rf"^FAULT: business {row_id}\b", result.stdout, re.M), result.stdout


def test_check_reports_a_write_that_bypassed_the_log(run: Run, demo_dir: Path) -> None:
    """A name changed behind the triggers' back (applying=1) no longer matches the log."""
    with sqlite3.connect(demo_dir / "tapis.sqlite3") as connection:
        row_id = _first_business(connection)
        connection.execute("UPDATE local_state SET applying = 1 WHERE id = 1")
        connection.execute("UPDATE business SET name = 'Toko Siluman' WHERE id = ?", (row_id,))
        connection.execute("UPDATE local_state SET applying = 0 WHERE id = 1")
    result = run("--data-dir", demo_dir, "check")
    assert result.returncode == 1
    assert re.search(rf"^FAULT: business {row_id}: fields name differ", result.stdout, re.M), \
        result.stdout
    assert "1 fault(s)" in result.stdout


def test_demo_refuses_too_few_records(run: Run, tmp_path: Path) -> None:
    """`demo --records 1` exits 2 with a message in both languages and makes no database."""
    result = run("--data-dir", tmp_path / "data", "demo", "--records", "1")
    assert result.returncode == 2
    assert "--records must be at least 2" in result.stderr
    assert "minimal 2" in result.stderr
    assert not (tmp_path / "data" / "tapis.sqlite3").exists()


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert actions, "the CLI has no subcommands"
    return {name: sub for action in actions for name, sub in action.choices.items()}


def _summaries() -> dict[str, str]:
    parser = build_parser()
    return {choice.dest: choice.help or "" for action in parser._actions
            if isinstance(action, argparse._SubParsersAction)
            for choice in action._choices_actions}


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_is_documented(name: str) -> None:
    """Each subcommand has a one-line summary and a description, and so does each option."""
    sub = _subcommands()[name]
    assert _summaries().get(name, "").strip(), f"'{name}' has no help= summary"
    assert (sub.description or "").strip(), f"'{name}' has no description="
    for action in sub._actions:
        if action.option_strings and action.dest != "help":
            assert (action.help or "").strip(), f"'{name} {action.option_strings[0]}' has no help"


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_answers_help(run: Run, name: str) -> None:
    """`COMMAND --help` exits 0 and prints the command's description."""
    result = run(name, "--help")
    assert result.returncode == 0, result.stderr
    first_words = " ".join((_subcommands()[name].description or "").split()[:4])
    assert first_words and first_words in " ".join(result.stdout.split())


def test_top_level_help_lists_every_command(run: Run) -> None:
    """`--help` exits 0, describes the program and lists each command with its summary."""
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "Tapis" in result.stdout
    for name, summary in _summaries().items():
        assert name in result.stdout and summary in " ".join(result.stdout.split())
