"""The release files read against each other: one version (pyproject.toml),
the installer script's promises (per user, data kept), the PyInstaller spec's
exclusions, the Windows workflow's steps, and build.py's report writer."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import desktop_app
from desktop_app import paths

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "build_scripts"
ISS = (SCRIPTS / "tapis.iss").read_text(encoding="utf-8")
SPEC = (SCRIPTS / "tapis.spec").read_text(encoding="utf-8")
WORKFLOW = REPO / ".github" / "workflows" / "windows-release.yml"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tapis_build_script", SCRIPTS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def iss_section(name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", ISS, re.MULTILINE | re.DOTALL)
    assert match, f"no [{name}] section"
    return match.group(1)


# --- one version ----------------------------------------------------------


def test_the_version_comes_from_pyproject() -> None:
    assert desktop_app.__version__ == VERSION
    assert load_build().project_version() == VERSION


def test_no_release_file_writes_the_version_itself() -> None:
    init = (REPO / "desktop_app" / "__init__.py").read_text()
    for name, text in {"tapis.iss": ISS, "tapis.spec": SPEC, "__init__.py": init,
                       "build.py": (SCRIPTS / "build.py").read_text()}.items():
        assert VERSION not in text, f"{name} hard-codes the version {VERSION}"
    assert "AppVersion={#AppVersion}" in ISS
    assert re.search(r"#ifndef AppVersion\s*\n\s*#error", ISS)


def test_windows_file_version_has_four_numbers() -> None:
    build = load_build()
    assert build.file_version("0.1.0") == "0.1.0.0"
    assert build.file_version("1.2rc1") == "1.2.0.0"
    assert build.file_version("2026.11.3.4.5") == "2026.11.3.4"


# --- the installer script -------------------------------------------------


def test_installs_per_user_without_admin_rights() -> None:
    setup = iss_section("Setup")
    assert re.search(r"^PrivilegesRequired=lowest$", setup, re.MULTILINE)
    assert re.search(r"^DefaultDirName=\{autopf\}\\", setup, re.MULTILINE)  # %LOCALAPPDATA%\Programs
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$",
                     setup, re.MULTILINE)
    assert "SetupIconFile=..\\resources\\icons\\tapis.ico" in setup
    assert (REPO / "resources" / "icons" / "tapis.ico").is_file()


def test_start_menu_and_desktop_shortcuts() -> None:
    icons = iss_section("Icons")
    assert "{autoprograms}\\{#AppName}" in icons
    assert re.search(r"\{autodesktop\}.*Tasks: desktopicon", icons)
    assert re.search(r"^Name: \"desktopicon\"", iss_section("Tasks"), re.MULTILINE)


def test_the_officers_data_is_kept_unless_asked() -> None:
    expected = f"{{localappdata}}\\{paths.APP_AUTHOR}\\{paths.APP_NAME}"  # platformdirs on Windows
    assert f'#define DataDir "{expected}"' in ISS
    for section in ("UninstallDelete", "InstallDelete"):
        body = "\n".join(line for line in iss_section(section).splitlines()
                         if not line.startswith(";"))
        assert "localappdata" not in body.lower() and "DataDir" not in body
        assert all(line.split("Name: ")[1].startswith('"{app}') for line in body.splitlines()
                   if "Name: " in line)
    code = iss_section("Code")
    assert "MB_DEFBUTTON2" in code  # the question defaults to No
    assert "UninstallSilent" in code and "/DELETEUSERDATA" in code


def test_the_script_is_plain_ascii() -> None:
    assert ISS.isascii()


# --- the PyInstaller spec -------------------------------------------------


def test_spec_bundles_data_and_leaves_out_the_server() -> None:
    for needed in ('"resources"', '"migrations"', '"logging.config"', "tapis_build_info",
                   "console=False", "COLLECT("):
        assert needed in SPEC
    for excluded in ("server", "fastapi", "uvicorn", "psycopg", "argon2", "pytest",
                     "PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.Qt3DCore"):
        assert f'"{excluded}"' in SPEC


def test_spec_version_resource_parses() -> None:
    """The Windows version resource the spec writes is what PyInstaller's
    versioninfo reads (it evaluates the text with its classes; those need
    pefile, a Windows-only package, so their signatures are read from source)."""
    import ast

    source = importlib.util.find_spec("PyInstaller")
    if source is None or source.origin is None:
        pytest.skip("PyInstaller is not installed")
    tree = ast.parse((Path(source.origin).parent / "utils" / "win32" / "versioninfo.py").read_text())
    params = {node.name: {a.arg for a in init.args.args[1:]}
              for node in tree.body if isinstance(node, ast.ClassDef)
              for init in node.body if isinstance(init, ast.FunctionDef) and init.name == "__init__"}
    seen: list[tuple[str, tuple, dict]] = []

    def stub(name: str):
        def make(*args: object, **kwargs: object) -> str:
            assert len(args) + len(kwargs) <= len(params[name]), name
            assert set(kwargs) <= params[name], (name, kwargs)
            seen.append((name, args, kwargs))
            return name
        return make

    block = re.search(r'version_file\.write_text\(f"""(.*?)""", encoding', SPEC, re.DOTALL)
    assert block
    text = block.group(1).replace("{numbers}", "(0, 1, 0, 0)").replace("{VERSION!r}", "'0.1.0'")
    eval(text, {name: stub(name) for name in params})
    strings = {args[0]: args[1] for name, args, _ in seen if name == "StringStruct"}
    assert strings["ProductVersion"] == "0.1.0" and strings["OriginalFilename"] == "tapis.exe"


# --- the Windows workflow -------------------------------------------------


def test_windows_workflow_builds_tests_and_uploads() -> None:
    text = WORKFLOW.read_text()
    for needed in ("runs-on: windows-latest", "actions/setup-python@", 'python-version: "3.11"',
                   'pip install ".[build]"', "choco install innosetup",
                   "python build_scripts/build.py --installer",
                   '"dist\\tapis\\tapis.exe" -ArgumentList @("self-test"',
                   "/VERYSILENT", "/CURRENTUSER", "unins000.exe", "actions/upload-artifact@"):
        assert needed in text, needed
    try:
        import yaml
    except ImportError:
        return  # the text checks above still ran
    job = yaml.safe_load(text)["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    assert all("run" in step or "uses" in step for step in job["steps"])


# --- build.py's report ----------------------------------------------------


def test_report_replaces_only_its_own_section(tmp_path: Path) -> None:
    build = load_build()
    doc = tmp_path / "PERFORMANCE.md"
    other = "<!-- bench:store:start -->\nstore figures\n<!-- bench:store:end -->\n"
    doc.write_text("# Performance\n\n" + other)
    result = {"date": "d", "machine": {k: "x" for k in ("cpu", "cores", "os", "python",
                                                        "PyInstaller", "PySide6", "sqlalchemy",
                                                        "alembic")},
              "build_seconds": 30.0, "build_cpu_seconds": 25.0, "load_before": 0.5,
              "bundle_bytes": 190 * 2**20, "bundle_files": 1000,
              "self_test_seconds": 1.5, "self_test_exit": 0, "biggest": [("PySide6/Qt/lib", 9)]}
    build.write_report(build.report_section(result), doc)
    build.write_report(build.report_section({**result, "build_seconds": 31.0}), doc)
    text = doc.read_text()
    assert text.count(build.START) == 1 and other in text
    assert "31.0 s" in text and "30.0 s" not in text and "190.0 MiB" in text


def test_the_wizard_speaks_indonesian() -> None:
    """Indonesian is the installer's first language, from a messages file
    that covers every page it shows (the rest falls back to English)."""
    import re

    isl = (SCRIPTS / "Indonesian.isl").read_text(encoding="utf-8")
    assert 'Name: "indonesian"; MessagesFile: "compiler:Default.isl,Indonesian.isl"' in ISS
    assert ISS.index('Name: "indonesian"') < ISS.index('Name: "english"')
    keys = dict(re.findall(r"^(\w+)=(.*)$", isl, flags=re.MULTILINE))
    for page in ("WelcomeLabel1", "WizardSelectDir", "WizardSelectTasks", "WizardReady",
                 "WizardInstalling", "FinishedHeadingLabel", "ButtonNext", "ButtonBack",
                 "ButtonCancel", "ButtonInstall", "ButtonFinish", "ConfirmUninstall",
                 "AdditionalIcons", "LanguageName"):
        assert keys.get(page), page
    assert keys["ButtonNext"] == "&Lanjut >" and keys["LanguageID"] == "$0421"
