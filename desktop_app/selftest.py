"""``python -m desktop_app self-test``: is this installation whole?

Run from a source checkout, from the PyInstaller bundle (``tapis self-test``)
or by CI after the installer ran. In a fresh temporary data folder (never
the officer's) it checks, in order: the shipped resources; the start-up
checks; opening the store, which runs every migration from the bundle's
files; one record of each of the six kinds written through the services and
read back; the store check; and the main window created, shown and closed
offscreen. Exit 0 when every step passed, 1 (with the fault) otherwise.

A windowed Windows executable has no console, so ``--output FILE`` writes
the same report to a file as well.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__

#: A fixed "today" and visit day, so the rules judge the same forms the same way on any clock.
TODAY = date(2026, 11, 23)
VISIT_DAY = date(2026, 11, 20)
OFFICER = "00000000-0000-7000-8000-00000000c0de"


class SelfTestFailed(Exception):
    pass


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


class Report:
    def __init__(self, output: Path | None) -> None:
        self.lines: list[str] = []
        self.output = output
        self.failed = False

    def say(self, line: str) -> None:
        self.lines.append(line)
        if sys.stdout is not None:  # None in a windowed Windows bundle
            print(line, flush=True)
        if self.output is not None:
            self.output.write_text("\n".join(self.lines) + "\n", encoding="utf-8")

    def step(self, name: str, call: Callable[[], str]) -> bool:
        start = time.perf_counter()
        try:
            detail = call()
        except Exception as exc:  # noqa: BLE001 - every fault becomes a FAIL line
            self.failed = True
            self.say(f"FAIL {name}: {type(exc).__name__}: {exc}")
            for line in traceback.format_exc().rstrip().splitlines():
                self.say(f"     {line}")
            return False
        self.say(f"ok   {name} ({(time.perf_counter() - start) * 1000:.0f} ms): {detail}")
        return True


def run_self_test(output: Path | None = None, *, keep: bool = False) -> int:
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display needed, on CI or a server
    report = Report(output)
    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    report.say(f"Tapis {__version__} self-test ({frozen}; Python {platform.python_version()}; "
               f"{platform.system()} {platform.machine()})")
    data_dir = Path(tempfile.mkdtemp(prefix="tapis-self-test-"))
    state: dict[str, Any] = {}
    try:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("resources", _resources),
            ("start-up checks", lambda: _startup_checks(data_dir)),
            ("store and migrations", lambda: _open_store(data_dir, state)),
            ("records of each kind", lambda: _records(state)),
            ("store check", lambda: _check(state)),
            ("main window", lambda: _main_window(data_dir)),
        ]
        for name, call in steps:
            if not report.step(name, call):
                break
    finally:
        store = state.get("store")
        if store is not None:
            store.close()
        if keep:
            report.say(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    if report.failed:
        report.say("self-test FAILED / uji mandiri GAGAL")
        if sys.stderr is not None:
            print("Tapis self-test failed; see the FAIL line above.", file=sys.stderr)
        return 1
    report.say("self-test passed / uji mandiri berhasil")
    return 0


def _resources() -> str:
    from .resources import reference_dir, resources_dir

    manifest = reference_dir() / "manifest.json"
    _need(manifest.is_file(), f"reference data missing: {manifest}")
    csvs = sorted(p.name for p in reference_dir().glob("*.csv"))
    _need(len(csvs) > 0, f"no reference tables in {reference_dir()}")
    icon = resources_dir() / "icons" / "tapis.png"
    _need(icon.is_file(), f"application icon missing: {icon}")
    return f"{len(csvs)} reference tables, icon, in {resources_dir()}"


def _startup_checks(data_dir: Path) -> str:
    from .startup_checks import startup_problem

    problem = startup_problem(data_dir)
    _need(problem is None, str(problem))
    return f"data folder {data_dir} writable"


def _open_store(data_dir: Path, state: dict[str, Any]) -> str:
    from .store import open_store
    from .store.migrate import MIGRATIONS, current_revision, head_revision

    _need((MIGRATIONS / "env.py").is_file(), f"migrations missing: {MIGRATIONS}")
    store = open_store(data_dir)
    state["store"] = store
    with store.engine.connect() as connection:
        current = current_revision(connection)
    head = head_revision()
    _need(current == head, f"database at revision {current}, expected {head}")
    return f"migrated to {head} from {MIGRATIONS}"


def _records(state: dict[str, Any]) -> str:
    from .services import records
    from .services.context import Actor

    store = state["store"]
    actor = Actor(officer_id=OFFICER, device_id=store.device_id)
    saved: dict[str, str] = {}

    def save(kind: str, form: dict[str, Any], check_field: str) -> str:
        record = records.save(store, actor, kind, form, today=TODAY).record
        stored = records.get(store, kind, record["id"])
        _need(stored[check_field] == form[check_field],
              f"{kind}.{check_field} read back as {stored[check_field]!r}, "
              f"written {form[check_field]!r}")
        saved[kind] = record["id"]
        return record["id"]

    business = save("business", {
        "name": "Kopi Robusta Uji", "owner_name": "Siti Aminah", "owner_nik": "1871014101900001",
        "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton",
        "kbli_section": "C", "nib": "1234567890123", "phone": "081234567890"}, "owner_nik")
    cooperative = save("cooperative", {
        "name": "KSP Uji Mandiri", "cooperative_type": "simpan_pinjam", "regency_code": "18.71",
        "district_code": "18.71.02", "village": "Sukarame", "chair_name": "Bambang Santoso",
        "members_male": 120, "members_female": 95}, "members_female")
    applicant = save("aid_applicant", {
        "full_name": "Rahmat Hidayat", "nik": "1871011503850007",
        "business_name": "Keripik Pisang", "aid_round": "bpum-2021", "regency_code": "18.71",
        "district_code": "18.71.01", "village": "Kedaton"}, "nik")
    save("umkm_survey", {
        "business_id": business, "visit_date": VISIT_DAY, "workers_paid": 2,
        "workers_unpaid": 1, "workers_women": 2, "capital": 50_000_000,
        "turnover_monthly": 15_000_000, "digital_channels": ["shopee", "whatsapp_business"],
        "payment_methods": ["qris", "tunai"], "latitude": -5.38, "longitude": 105.26,
        "location_source": "typed"}, "turnover_monthly")
    save("cooperative_audit", {
        "cooperative_id": cooperative, "visit_date": VISIT_DAY, "rat_held": True,
        "rat_date": date(2026, 3, 14), "own_capital": 800_000_000,
        "loans_outstanding": 1_200_000_000, "loans_overdue": 60_000_000}, "loans_overdue")
    checks = ("valid_nik", "micro_business", "not_civil_servant", "no_bank_credit",
              "not_prior_recipient")
    save("aid_verification", {
        "applicant_id": applicant, "visit_date": VISIT_DAY, "business_exists": True,
        **{f"check_{c}": "met" for c in checks}}, "business_exists")
    return ", ".join(saved)


def _check(state: dict[str, Any]) -> str:
    from .models import synced_tables
    from .store.check import run

    store = state["store"]
    with store.raw() as connection:
        report = run(connection, synced_tables())
    _need(report.ok, "; ".join(report.faults))
    return f"{report.rows_checked} rows, {report.changes_checked} change-log entries"


def _main_window(data_dir: Path) -> str:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from .store import open_store
    from .ui.app import MainWindow, app_icon
    from .ui.context import AppContext
    from .ui.settings import Settings

    app = QApplication.instance() or QApplication([sys.argv[0]])
    native = {"Windows": "qwindows.dll", "Linux": "libqxcb.so",
              "Darwin": "libqcocoa.dylib"}.get(platform.system())
    found = [Path(p) / "platforms" / native for p in QCoreApplication.libraryPaths()
             if native is not None and (Path(p) / "platforms" / native).is_file()]
    _need(native is None or bool(found),
          f"Qt platform plugin {native} not in {QCoreApplication.libraryPaths()}")
    _need(not app_icon().isNull(), "the application icon does not load")
    store = open_store(data_dir)
    ctx = AppContext(store=store, data_dir=store.data_dir, settings=Settings(store.data_dir))
    window = MainWindow(ctx)
    window.show()
    app.processEvents()
    _need(window.isVisible(), "the main window did not show")
    from .ui.main_window import PAGES

    for spec in PAGES:  # every screen's module and Qt library (QtCharts...) loads
        if not spec.section and not spec.supervisors_only:
            window.show_page(spec.key)
            app.processEvents()
    title = window.windowTitle()
    window.close()
    window.deleteLater()
    ctx.runner.wait(10_000)
    app.processEvents()
    store.close()
    where = found[0].parent.parent if found else "?"
    return f"'{title}' on the {app.platformName()} platform; Qt plugins in {where}"
