"""The provincial server installs and runs without the laptop's stack.

``pip install ".[server]"`` into a fresh virtual environment (from a copy of
the sources, so the checkout gains no build folder), then: no Qt, no HTTP
client of the laptop, no platformdirs in it; importing the server app loads
nothing of the laptop's store, services, GUI or sync client; and
``python -m server run`` answers /health on loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Distributions of the laptop's extra that must not come with the server
#: (openpyxl is both sides': the console writes the laptop's export layouts).
LAPTOP_ONLY = ("PySide6", "PySide6-Essentials", "PySide6-Addons", "shiboken6", "requests",
               "platformdirs", "sqlite-utils", "Pillow")
#: The distributions installed in an environment, by name.
DISTRIBUTIONS = ("import importlib.metadata as m, json, re; print(json.dumps(sorted("
                 "{re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in m.distributions()})))")
#: What `import server.app` must not load.
IMPORT_PROBE = """
import json, sys
import server.app
laptop = ("desktop_app.store", "desktop_app.services", "desktop_app.ui", "desktop_app.paths",
          "desktop_app.sync.client", "desktop_app.sync.engine")
print(json.dumps(sorted(m for m in sys.modules
                        if m.split(".")[0] in ("PySide6", "requests", "platformdirs", "alembic")
                        or m.startswith(laptop))))
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only ``tapis[server]`` installed (by
    this environment's pip, told to install into it: the new one needs none)."""
    root = tmp_path_factory.mktemp("server-install")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "resources" / "reference", source / "resources" / "reference")
    for package in ("desktop_app", "server"):
        shutil.copytree(REPO / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                             "--quiet", "--no-compile", "--disable-pip-version-check",
                             f"{source}[server]"],
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return python


def test_the_server_extra_brings_no_laptop_dependency(server_venv: Path) -> None:
    installed = _installed(server_venv)
    assert {"fastapi", "uvicorn", "sqlalchemy", "jinja2", "openpyxl", "tapis"} <= installed
    assert not installed & {name.lower() for name in LAPTOP_ONLY}, installed
    assert "pyside6-essentials" in _installed(sys.executable)  # the check sees them where they are


def _installed(python: str | Path) -> set[str]:
    listed = subprocess.run([str(python), "-c", DISTRIBUTIONS], capture_output=True, text=True,
                            timeout=120, check=True)
    return set(json.loads(listed.stdout))


def test_importing_the_server_loads_only_the_shared_core(server_venv: Path,
                                                         tmp_path: Path) -> None:
    result = subprocess.run([str(server_venv), "-c", IMPORT_PROBE], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_installed_server_finds_its_reference_data(server_venv: Path, tmp_path: Path) -> None:
    """Not editable, run away from the checkout: ``init`` loads the shipped
    regions and villages from the wheel's package data, and the office's
    commands work there."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    init = subprocess.run([str(server_venv), "-m", "server", "init", "--db", url], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert init.returncode == 0, init.stderr
    probe = ("import sqlite3, sys, desktop_app.resources as r; "
             "c = sqlite3.connect(sys.argv[1]); "
             "print(r.reference_dir(), c.execute(\"SELECT count(*) FROM region WHERE level='village'\")"
             ".fetchone()[0])")
    found = subprocess.run([str(server_venv), "-c", probe, str(tmp_path / "office.sqlite3")],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                           check=True).stdout.split()
    assert "site-packages" in found[0] and int(found[1]) > 2_000
    added = subprocess.run([str(server_venv), "-m", "server", "officers", "add", "petugas.satu",
                            "--name", "Petugas Satu", "--regency", "18.71", "--db", url],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                           check=False)
    assert added.returncode == 0 and "one-time password" in added.stdout, added.stderr


def test_python_m_server_run_serves_health(server_venv: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    process = subprocess.Popen(
        [str(server_venv), "-m", "server", "run", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        answer = _health(f"http://127.0.0.1:{port}/health", process)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode(errors="replace")
    assert answer["status"] == "ok", output
    assert answer["protocol"] >= 1 and answer["server_time"].endswith("Z")


def _health(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer /health")
