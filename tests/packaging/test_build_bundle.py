"""The Linux one-folder bundle, built as a release is built
(``python build_scripts/build.py``) into a temporary folder, then its own
``tapis self-test`` run: the bundle carries everything it needs (resources,
migrations on disk, Qt plugins) and nothing of the server or the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytest.importorskip("PyInstaller", reason="pip install -e '.[build]' (or '.[dev]')")


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    dist, work, figures = tmp_path / "dist", tmp_path / "work", tmp_path / "build.json"
    start = time.perf_counter()
    # PyInstaller's own cache (a clean build empties it first) in this test's
    # folder, not the user's: another build running beside it (another
    # checkout's suite) must not truncate the index this one is reading.
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(tmp_path / "pyinstaller")}
    build = subprocess.run([sys.executable, "build_scripts/build.py", "--dist", str(dist),
                            "--work", str(work), "--json", str(figures)], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=840, check=False)
    seconds = time.perf_counter() - start
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    result = json.loads(figures.read_text())
    assert result["self_test_exit"] == 0
    print(f"build {result['build_seconds']} s, bundle {result['bundle_bytes'] / 2**20:.0f} MiB, "
          f"all {seconds:.0f} s")

    bundle = dist / "tapis"
    internal = bundle / "_internal"
    assert (internal / "resources" / "reference" / "manifest.json").is_file()
    assert (internal / "resources" / "icons" / "tapis.png").is_file()
    versions = internal / "desktop_app" / "store" / "migrations" / "versions"
    assert (versions.parent / "env.py").is_file() and len(list(versions.glob("0*.py"))) >= 5
    for absent in ("server", "fastapi", "uvicorn", "psycopg", "argon2", "pytest", "hypothesis"):
        assert not (internal / absent).exists(), f"{absent} is in the bundle"
    names = {p.name for p in internal.rglob("*")}
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not any("WebEngine" in n or "Qt6Quick" in n or "Qt6Qml" in n for n in names)
    assert result["bundle_bytes"] < 200 * 2**20, "the bundle grew: check what came in"

    # The bundled program itself, as CI and an IT officer run it; HOME moved
    # away so nothing can land in the real per-user data folder.
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"),
           "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([str(bundle / "tapis"), "self-test"], env=env, capture_output=True,
                         text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Tapis " in run.stdout and "(bundle;" in run.stdout
    assert "self-test passed" in run.stdout
    assert not home.exists()
    # Alembic ran the migrations from source without writing bytecode into the bundle.
    assert not list(versions.parent.rglob("__pycache__"))

    help_run = subprocess.run([str(bundle / "tapis"), "--help"], env=env, capture_output=True,
                              text=True, timeout=60, check=False)
    assert help_run.returncode == 0 and "self-test" in help_run.stdout
