"""One command for a release: ``python build_scripts/build.py [--installer] [--report]``.

1. Builds the one-folder bundle with PyInstaller (build_scripts/tapis.spec) into
   ``dist/tapis/`` (a clean build: PyInstaller's cache is cleared first).
2. Runs the bundled program's ``self-test`` and fails the build when it fails.
3. With ``--installer`` (on Windows, where Inno Setup's ISCC.exe runs), compiles
   build_scripts/tapis.iss into ``dist/installer/tapis-VERSION-setup.exe``,
   passing the version from pyproject.toml (its one source) as /DAppVersion.
4. Prints the build time and bundle size; ``--report`` also writes them into
   docs/PERFORMANCE.md between ``<!-- bench:bundle:start/end -->``, and
   ``--json FILE`` writes them as JSON (for CI).

Exit codes: 0 all well, 1 the bundle did not build, 2 its self-test failed,
3 the installer did not build. PyInstaller does not cross-compile: a Windows
bundle and installer are built on Windows (.github/workflows/windows-release.yml).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build_scripts" / "tapis.spec"
ISS = ROOT / "build_scripts" / "tapis.iss"
DOC = ROOT / "docs" / "PERFORMANCE.md"
START, END = "<!-- bench:bundle:start -->", "<!-- bench:bundle:end -->"
APP = "tapis"


def project_version() -> str:
    """``version`` from pyproject.toml: the one place the version is written."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def file_version(version: str) -> str:
    """The four-number form Windows wants in an executable's version resource
    (VersionInfoVersion): 1.4.2 -> 1.4.2.0, 2.0rc1 -> 2.0.0.0."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(n) for n in release.group(0).split(".")][:4] if release else []
    return ".".join(str(n) for n in (numbers + [0, 0, 0, 0])[:4])


def executable(bundle: Path) -> Path:
    return bundle / (APP + ".exe" if sys.platform == "win32" else APP)


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_bundle(dist: Path, work: Path) -> tuple[float, float]:
    """Run PyInstaller on the spec; returns (wall seconds, CPU seconds; 0 where unknown)."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("$ " + " ".join(command), flush=True)
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def bundle_size(bundle: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """Total bytes, number of files, and the biggest parts (top-level entries of
    ``_internal``, with PySide6 split into its Qt libraries, plugins and the rest)."""
    total = files = 0
    parts: dict[str, int] = {}
    internal = bundle / "_internal"
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        size = path.stat().st_size
        total += size
        files += 1
        try:
            rel = path.relative_to(internal).parts
        except ValueError:  # the executable, with the compressed Python modules inside
            key = f"{path.name} (program and Python modules)"
            parts[key] = parts.get(key, 0) + size
            continue
        if rel[0] == "PySide6" and len(rel) > 2 and rel[1] == "Qt":
            key = f"PySide6/Qt/{rel[2]}"
        else:
            key = rel[0]
        parts[key] = parts.get(key, 0) + size
    biggest = sorted(parts.items(), key=lambda item: -item[1])
    return total, files, biggest


def run_self_test(bundle: Path, report: Path, timeout: float = 300) -> tuple[int, float, str]:
    """``<bundle>/tapis self-test --output REPORT``: its exit code, seconds and report.
    (The windowed Windows executable has no console, hence the report file.)"""
    command = [str(executable(bundle)), "self-test", "--output", str(report)]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    print("$ " + " ".join(command), flush=True)
    start = time.perf_counter()
    try:
        result = subprocess.run(command, env=env, timeout=timeout, capture_output=True,
                                text=True, check=False)
        code, output = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired:
        code, output = -1, f"self-test did not finish within {timeout:.0f} s\n"
    seconds = time.perf_counter() - start
    text = report.read_text(encoding="utf-8") if report.is_file() else output
    return code, seconds, text


def find_iscc(given: str | None) -> Path | None:
    candidates = [given, os.environ.get("ISCC"), shutil.which("iscc"), shutil.which("ISCC")]
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        root = os.environ.get(base)
        if root:
            sub = "Programs" if base == "LOCALAPPDATA" else ""
            candidates.append(str(Path(root, sub, "Inno Setup 6", "ISCC.exe")))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def build_installer(iscc: Path, bundle: Path, out: Path, version: str) -> tuple[Path, float]:
    out.mkdir(parents=True, exist_ok=True)
    command = [str(iscc), "/Qp", f"/DAppVersion={version}", f"/DFileVersion={file_version(version)}",
               f"/DBundleDir={bundle}", f"/O{out}", str(ISS)]
    print("$ " + " ".join(command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, cwd=ISS.parent, check=True)
    seconds = time.perf_counter() - start
    installer = out / f"{APP}-{version}-setup.exe"
    if not installer.is_file():
        raise FileNotFoundError(f"ISCC finished but {installer} is not there")
    return installer, seconds


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def machine() -> dict[str, str]:
    """This machine, described as every benchmark report describes it, plus the
    versions of the build tools."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.common import machine as describe

    info = describe()
    versions = {}
    for module in ("PyInstaller", "PySide6", "sqlalchemy", "alembic"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:  # noqa: BLE001 - a missing module only leaves a blank in the report
            versions[module] = "?"
    return {"cpu": info["CPU"], "cores": info["Cores"], "os": info["OS"],
            "python": info["Python"], **versions}


def report_section(result: dict) -> str:
    m = result["machine"]
    load = "?" if result.get("load_before") is None else f"{result['load_before']:.1f}"
    rows = "\n".join(f"| `{name}` | {mib(size)} |" for name, size in result["biggest"][:12])
    return f"""{START}
## Bundle: build time and size of the one-folder PyInstaller bundle

Reproduce: `python build_scripts/build.py --report` (a clean build: PyInstaller's cache cleared first)

`build_scripts/tapis.spec`: one folder, windowed, no UPX, symbols stripped (Linux only),
built on {m["os"]}. The Windows bundle (built by `.github/workflows/windows-release.yml`)
differs in its Qt and Python libraries; its size is printed in that workflow's log.
Excluded: the sync server (FastAPI, uvicorn, psycopg, Argon2), test tools, unused Qt modules
(WebEngine, QML/Quick, 3D, Multimedia, virtual keyboard) and Qt translations other than
Indonesian and English.

- Date: {result["date"]}
- CPU: {m["cpu"]}
- Cores: {m["cores"]} (1-minute load average before the build: {load})
- OS: {m["os"]}
- Python {m["python"]}, PyInstaller {m["PyInstaller"]}, PySide6 {m["PySide6"]}, SQLAlchemy {m["sqlalchemy"]}, Alembic {m["alembic"]}

| figure | measured | target |
|---|---|---|
| build time (PyInstaller, clean), wall clock | {result["build_seconds"]:.1f} s | ≤ 60 s here (CI budget) |
| build time, CPU (user + system) | {result["build_cpu_seconds"]:.1f} s | |
| bundle size | {mib(result["bundle_bytes"])} in {result["bundle_files"]:,} files | ≤ 200 MiB (Linux) |
| bundled `self-test` (cold start, migrations, six records, check, window) | {result["self_test_seconds"]:.1f} s, exit {result["self_test_exit"]} | exit 0 |

Largest parts of the bundle:

| part | size |
|---|---|
{rows}
{END}"""


def write_report(section: str, doc: Path = DOC) -> None:
    """Replace this benchmark's marked section of the document (append it when absent);
    other sections are left byte for byte."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python build_scripts/build.py",
        description="Build the Tapis bundle (and on Windows the installer), self-test it, report.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="output folder (default dist/): the bundle goes to DIST/tapis")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (default build/pyinstaller)")
    parser.add_argument("--no-self-test", action="store_true", help="skip the bundled self-test")
    parser.add_argument("--installer", action="store_true",
                        help="also compile the Inno Setup installer (Windows; needs ISCC.exe)")
    parser.add_argument("--iscc", default=None, help="path to ISCC.exe (default: found on PATH "
                        "or in the usual Inno Setup 6 folders)")
    parser.add_argument("--report", action="store_true",
                        help="write build time and size into docs/PERFORMANCE.md")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="write the figures as JSON to FILE")
    parser.add_argument("--print-version", action="store_true",
                        help="print the version from pyproject.toml and exit")
    args = parser.parse_args(argv)
    version = project_version()
    if args.print_version:
        print(version)
        return 0
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / APP
    print(f"Tapis {version}: building {bundle}", flush=True)
    try:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        build_seconds, build_cpu = build_bundle(dist, work)
    except subprocess.CalledProcessError as exc:
        print(f"PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    total, files, biggest = bundle_size(bundle)
    result: dict = {
        "version": version, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "bundle": str(bundle), "build_seconds": round(build_seconds, 1),
        "build_cpu_seconds": round(build_cpu, 1), "load_before": load, "bundle_bytes": total,
        "bundle_files": files, "biggest": biggest[:20], "machine": machine(),
        "self_test_exit": None, "self_test_seconds": None, "installer": None,
    }
    print(f"bundle: {mib(total)} in {files:,} files, built in {build_seconds:.1f} s", flush=True)
    code = 0
    if not args.no_self_test:
        st_code, st_seconds, text = run_self_test(bundle, work / "self-test.txt")
        result["self_test_exit"], result["self_test_seconds"] = st_code, round(st_seconds, 1)
        print(text, end="" if text.endswith("\n") else "\n", flush=True)
        if st_code != 0 or f"Tapis {version} " not in text:
            print(f"the bundled self-test failed (exit {st_code})", file=sys.stderr)
            code = 2
    if args.installer and code == 0:
        iscc = find_iscc(args.iscc)
        if iscc is None:
            print("ISCC.exe (Inno Setup 6) not found: install it (choco install innosetup) or "
                  "pass --iscc", file=sys.stderr)
            code = 3
        else:
            try:
                installer, seconds = build_installer(iscc, bundle, dist / "installer", version)
            except (subprocess.CalledProcessError, FileNotFoundError) as exc:
                print(f"the installer did not build: {exc}", file=sys.stderr)
                code = 3
            else:
                result["installer"] = {"path": str(installer), "bytes": installer.stat().st_size,
                                       "seconds": round(seconds, 1)}
                print(f"installer: {installer} ({mib(installer.stat().st_size)}, "
                      f"{seconds:.1f} s)", flush=True)
    if args.report and code == 0 and result["self_test_exit"] == 0:
        write_report(report_section(result))
        print(f"wrote the bundle section of {DOC}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
