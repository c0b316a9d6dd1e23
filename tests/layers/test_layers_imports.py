"""Who may import whom (docs/DESIGN.md, "Layers"), kept by the suite.

The rules are import-linter contracts in pyproject.toml: the laptop's layers
point down (ui -> services -> sync -> store -> protocol -> models), nothing
below the GUI imports Qt, the models import nothing above them, the shared
core (models, protocol, resources, logs) imports nothing of the laptop or the
server, the server imports only the shared core, and there is no import
cycle at any depth. Beside the static check, the server is imported for real
and what it loaded is read back; and the check is shown to fail on a copy of
the sources with violations put in.

The tooling has rules of its own: the product imports neither tests nor
benchmarks; tests import nothing of benchmarks but the link emulator (a
product of benchmarks/, with its own command line, that the sync tests put
between laptop and server) and the province-sized data generator (the
console's tests fill their server with it at a small size); nothing under
build_scripts/ imports tests.
Harnesses that tests and benchmarks share live in tests/support/.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT = ("from importlinter.cli import lint_imports; "
        "raise SystemExit(lint_imports(no_cache=True, no_logo=True))")
#: What of desktop_app the server may load: the shared core, and the
#: spreadsheet layouts the console's exports share with the laptop's.
SHARED_CORE = ("desktop_app.models", "desktop_app.protocol", "desktop_app.resources",
               "desktop_app.logs", "desktop_app.sheets")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_import_contracts_are_kept() -> None:
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_server_loads_only_the_shared_core(tmp_path: Path) -> None:
    probe = ("import json, sys; import server.app, server.__main__; "
             "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=True)
    loaded = json.loads(result.stdout)
    laptop = [m for m in loaded if m.startswith("desktop_app.")
              and not m.startswith(SHARED_CORE)]
    assert laptop == []
    for library in ("PySide6", "requests", "platformdirs", "sqlite_utils", "alembic", "PIL"):
        assert library not in loaded, f"importing the server loads {library}"


def test_a_violation_fails_the_check(tmp_path: Path) -> None:
    """The same contracts on a copy of the sources with three violations put
    in: Qt in the protocol, the laptop's store in the server, and a cycle."""
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in ("desktop_app", "server"):
        shutil.copytree(REPO / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _append(tmp_path / "desktop_app" / "protocol" / "clock.py", "import PySide6.QtCore")
    _append(tmp_path / "server" / "scope.py", "from desktop_app.store import migrate")
    _append(tmp_path / "server" / "errors.py", "from . import ingest")
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout
    for broken in ("Nothing below the GUI imports Qt BROKEN",
                   "imports nothing of the \nlaptop or the server BROKEN",
                   "The server imports only the shared core of desktop_app BROKEN",
                   "No import cycles, at any depth BROKEN"):
        assert broken in result.stdout, result.stdout
    assert "desktop_app.protocol.clock -> PySide6 (l." in result.stdout
    assert "server.scope -> desktop_app.store.migrate" in result.stdout


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def offenders(folders: list[str], suffixes: tuple[str, ...], forbidden: str,
              allowed: tuple[str, ...] = ()) -> list[str]:
    hits = []
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in suffixes or "__pycache__" in path.parts:
                continue
            for module in imported_modules(path):
                root = module.split(".")[0]
                if root == forbidden and not module.startswith(allowed):
                    hits.append(f"{path.relative_to(REPO)}: {module}")
    return hits


def test_the_product_imports_neither_tests_nor_benchmarks() -> None:
    for forbidden in ("tests", "benchmarks"):
        assert offenders(["desktop_app", "server"], (".py",), forbidden) == []


def test_tests_import_only_the_link_emulator_of_benchmarks() -> None:
    assert offenders(["tests"], (".py",), "benchmarks",
                     allowed=("benchmarks.linkemu", "benchmarks.province_data")) == []


def test_build_scripts_import_no_test() -> None:
    assert offenders(["build_scripts"], (".py", ".spec"), "tests") == []
