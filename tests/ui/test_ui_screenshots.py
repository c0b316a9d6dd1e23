"""Screenshots of the main screens at 1366x768, as an officer sees them.

The suite renders every screen each run (a screen that fails to build fails
here). `make screenshots` runs this file with TAPIS_SCREENSHOTS=docs/screenshots
to refresh the pictures the README shows; otherwise they go to a temporary
folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.services import demo, listing
from desktop_app.sync.account import Account
from desktop_app.ui import i18n
from desktop_app.ui.app import make_application
from desktop_app.ui.context import AppContext
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sign_in import SignInDialog
from tests.support.gui import drain, make_context

SCREEN = QSize(1366, 768)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("TAPIS_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    make_application()
    account = Account(officer_id="01900000-0000-7000-8000-000000000071", username="petugas.bandarlampung",
                      full_name="Siti Rahmawati", role="supervisor", regency_code="18.71",
                      server_url="http://127.0.0.1:9", has_token=False)
    context = make_context(tmp_path_factory.mktemp("shots") / "data", account=account)
    demo.fill(context.store, context.actor, 2000, seed=18, today=date(2026, 11, 20))
    yield context
    context.runner.wait()
    context.store.close()


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    i18n.install("id")
    shown = shot_window(qtbot, ctx)
    yield shown
    shown.close()
    ctx.runner.wait()


def shot_window(qtbot, ctx: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window at 1366x768 (not maximised on the small offscreen screen)."""
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.setWindowState(Qt.WindowState.WindowNoState)
    shown.setMinimumSize(QSize(1024, 600))
    shown.resize(SCREEN)
    shown.show()
    return shown


def save(qtbot, ctx: AppContext, widget: QWidget, path: Path) -> None:  # type: ignore[no-untyped-def]
    drain(qtbot, ctx, rounds=5)
    image = widget.grab()
    assert image.width() >= 400 and image.save(str(path))


def first(ctx: AppContext, kind: str, **filters: str) -> str:
    page = listing.list_records(ctx.store, kind, listing.ListFilter(**filters), limit=1)
    return page.rows[0]["id"]


def open_form(qtbot, window: MainWindow, kind: str, record_id: str):  # type: ignore[no-untyped-def]
    window.open_record(kind, record_id)
    page = window.pages[kind]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading, timeout=10_000)
    return page.form


def test_home_list_and_dashboard(qtbot, ctx: AppContext, window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    save(qtbot, ctx, window, folder / "home.png")
    page = window.show_page("umkm_survey")
    qtbot.waitUntil(lambda: page.list is not None and page.list.model.rowCount() > 0, timeout=10_000)
    save(qtbot, ctx, window, folder / "survey-list.png")
    window.show_page("dashboard")
    qtbot.wait(300)
    save(qtbot, ctx, window, folder / "dashboard.png")
    window.show_page("reports")
    save(qtbot, ctx, window, folder / "reports.png")


def test_the_three_forms(qtbot, ctx: AppContext, window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    form = open_form(qtbot, window, "umkm_survey", first(ctx, "umkm_survey", status="draft"))
    qtbot.waitUntil(lambda: form.last_check is not None)
    save(qtbot, ctx, window, folder / "survey-form.png")
    form = open_form(qtbot, window, "cooperative_audit", first(ctx, "cooperative_audit", status="finalised"))
    save(qtbot, ctx, window, folder / "audit-form.png")
    form = open_form(qtbot, window, "aid_verification", first(ctx, "aid_verification"))
    qtbot.waitUntil(lambda: form.result.headline.text() != "—" or form.read_only)
    save(qtbot, ctx, window, folder / "verification-form.png")


def test_sign_in_in_english_and_at_150_percent(qtbot, ctx: AppContext, folder: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.install("id")
    dialog = SignInDialog(ctx, None, online=True, practice=lambda: ctx.account)
    qtbot.addWidget(dialog)
    dialog.show()
    save(qtbot, ctx, dialog, folder / "sign-in.png")
    dialog.close()

    i18n.install("en")
    english = shot_window(qtbot, ctx)
    open_form(qtbot, english, "umkm_survey", first(ctx, "umkm_survey"))
    save(qtbot, ctx, english, folder / "survey-form-english.png")
    english.close()
    i18n.install("id")

    app = QApplication.instance()
    font = app.font()
    larger = app.font()
    larger.setPointSizeF(font.pointSizeF() * 1.5)
    app.setFont(larger)
    try:
        big = shot_window(qtbot, ctx)
        save(qtbot, ctx, big, folder / "home-150.png")
        page = big.show_page("umkm_survey")
        qtbot.waitUntil(lambda: page.list is not None and page.list.model.rowCount() > 0,
                        timeout=10_000)
        save(qtbot, ctx, big, folder / "survey-list-150.png")
        form = open_form(qtbot, big, "cooperative_audit", first(ctx, "cooperative_audit"))
        save(qtbot, ctx, big, folder / "audit-form-150.png")
        assert big.width() <= SCREEN.width() and form.width() <= SCREEN.width()
        big.close()
    finally:
        app.setFont(font)


def test_a_form_with_warnings(qtbot, ctx: AppContext, window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """A new survey with capital and turnover 0 and sales below a month: the
    save asks, the unusual answers stay marked in orange."""
    business = first(ctx, "business")
    window.open_record("umkm_survey", None, business_id=business)
    page = window.pages["umkm_survey"]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading, timeout=10_000)
    form = page.form
    for field, value in (("capital", "0"), ("turnover_monthly", "0"), ("turnover_annual", "0"),
                         ("workers_paid", "1"), ("workers_women", "3")):
        form.rows[field].editor.set_value(value)
        form.controller.edited(field)
    qtbot.waitUntil(lambda: form.last_check is not None
                    and any(p.severity == "warning" for p in form.last_check.problems))
    form.controller.show_every_problem = True
    form.controller.show_problems(form.last_check.problems)
    save(qtbot, ctx, window, folder / "survey-form-warnings.png")


def test_refused_changes_and_history(qtbot, ctx: AppContext, window: MainWindow, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import select

    from desktop_app.models.types import utc_now
    from desktop_app.store import outbox
    from desktop_app.store.local_tables import ChangeLog, SyncHistory

    with ctx.store.read() as session:
        seqs = session.scalars(select(ChangeLog.seq).where(ChangeLog.table_name == "business")
                               .order_by(ChangeLog.seq).limit(3)).all()
    outbox.acknowledge(ctx.store, through_seq=0, parked={
        seqs[0]: "Isian 'Nomor HP' harus 10-13 digit. Perbaiki isiannya. / "
                 "'Phone' must have 10-13 digits. Correct the entry.",
        seqs[1]: "Desa/kelurahan tidak ada dalam daftar kecamatan ini. Pilih dari daftar. / "
                 "The village is not on this district's list. Pick one from the list.",
        seqs[2]: "Data ini berada di luar kabupaten/kota Anda; server tidak menerimanya. / "
                 "This record is outside your regency; the server does not accept it."})
    with ctx.store.write() as session:
        now = utc_now()
        for hours, ok, pushed, pulled, note in ((30, 1, 420, 1210, ""), (5, 0, 0, 0, "offline"),
                                                (1, 1, 37, 88, "3 parked")):
            session.add(SyncHistory(started_at=now - timedelta(hours=hours, seconds=40),
                                    finished_at=now - timedelta(hours=hours), ok=ok,
                                    pushed=pushed, pulled=pulled, message=note))
    page = window.show_page("sync")
    qtbot.waitUntil(lambda: page.refused_table.rowCount() == 3, timeout=10_000)
    save(qtbot, ctx, window, folder / "sync-refused.png")


def test_the_practice_workspace(qtbot, ctx: AppContext, folder: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.install("id")
    ctx.practice = True
    try:
        shown = shot_window(qtbot, ctx)
        save(qtbot, ctx, shown, folder / "practice.png")
        shown.close()
    finally:
        ctx.practice = False
