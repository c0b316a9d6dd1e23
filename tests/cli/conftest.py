"""Fixtures for the command-line tests: the CLI run as the officer runs it,
in a subprocess from the repository, and one demo store made per session
that each test copies before touching."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m desktop_app ARGS`` with its exit code and output."""
    return subprocess.run([sys.executable, "-m", "desktop_app", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def run() -> Run:
    return run_cli


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A data folder filled by ``demo --records 300``, and how that run went."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    return data_dir, run_cli("--data-dir", data_dir, "demo", "--records", "300")


@pytest.fixture
def demo_dir(demo_source: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Path:
    """A private copy of the demo data folder, safe to corrupt."""
    source, result = demo_source
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "data"
    shutil.copytree(source, copy)
    return copy
