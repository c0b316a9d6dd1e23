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
from PySide6.QtCore import QSize
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
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.resize(SCREEN)
    shown.show()
    yield shown
    shown.close()
    ctx.runner.wait()


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
    dialog = SignInDialog(ctx, None, online=True)
    qtbot.addWidget(dialog)
    dialog.show()
    save(qtbot, ctx, dialog, folder / "sign-in.png")
    dialog.close()

    i18n.install("en")
    english = MainWindow(ctx)
    qtbot.addWidget(english)
    english.resize(SCREEN)
    english.show()
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
        big = MainWindow(ctx)
        qtbot.addWidget(big)
        big.resize(SCREEN)
        big.show()
        save(qtbot, ctx, big, folder / "home-150.png")
        form = open_form(qtbot, big, "cooperative_audit", first(ctx, "cooperative_audit"))
        save(qtbot, ctx, big, folder / "audit-form-150.png")
        assert big.width() <= SCREEN.width() and form.width() <= SCREEN.width()
        big.close()
    finally:
        app.setFont(font)
