"""The main window: every page opens, the sync bar is always there, the
language can be switched, and a record opens from another page."""

from __future__ import annotations

from desktop_app.services import records
from desktop_app.ui import i18n
from desktop_app.ui.app import TapisApp, make_application
from desktop_app.ui.main_window import PAGES, MainWindow
from tests.support.gui import drain, make_context, officer


def test_every_page_opens_and_the_sync_bar_stays(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.width() <= 1366 and window.height() <= 768
    for spec in PAGES:
        if spec.section or spec.supervisors_only:
            continue
        page = window.show_page(spec.key)
        assert window.stack.currentWidget() is page
        assert window.sync_bar.isVisible()
    drain(qtbot, ctx)
    assert "conflicts" not in window.pages  # an officer has no conflicts page
    window.close()


def test_supervisors_see_the_conflicts_page(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    context = make_context(tmp_path / "sup", account=officer(role="supervisor"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    keys = [window.nav.item(i).data(0x0100) for i in range(window.nav.count())]
    assert "conflicts" in keys
    window.close()
    context.runner.wait()
    context.store.close()


def test_a_record_opens_on_its_job_page(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    saved = records.save(ctx.store, ctx.actor, "cooperative", {
        "name": "Koperasi Tani Makmur", "cooperative_type": "simpan_pinjam", "regency_code": "18.71"})
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_record("cooperative", saved.record["id"])
    page = window.pages["cooperative"]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    assert page.form.rows["name"].editor.value() == "Koperasi Tani Makmur"
    page.form.visit_button.click()  # start an audit of this cooperative
    audits = window.pages.get("cooperative_audit")
    qtbot.waitUntil(lambda: audits is not None or window.pages.get("cooperative_audit") is not None)
    audits = window.pages["cooperative_audit"]
    qtbot.waitUntil(lambda: audits.form is not None and not audits.form.loading)
    assert audits.form.parent_label.text() == "Koperasi Tani Makmur"
    window.close()


def test_switching_to_english_rebuilds_the_window(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_application()
    context = make_context(tmp_path / "lang")
    tapis = TapisApp(context.store)
    tapis.ctx.account = context.account
    assert i18n.language() == "id"
    window = tapis.show_window()
    assert window.nav.item(0).text() == "Beranda"
    window._choose_language("en")
    qtbot.waitUntil(lambda: tapis.window is not window)
    assert tapis.window.nav.item(0).text() == "Home"
    tapis.window.close()
    i18n.install("id")
    tapis.close()


def test_the_first_window_fits_the_screens_available_area(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Title bar and sync bar inside the screen, above any taskbar: on a
    small screen the window is maximised, never 1366x768 inside plus a frame."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    area = window.screen().availableGeometry()
    assert window.isMaximized() or area.contains(window.frameGeometry())
    if area.height() < 768 + 40:
        assert window.isMaximized()
    bar = window.sync_bar
    bottom = bar.mapTo(window, bar.rect().bottomLeft()).y()
    assert bottom <= window.height()
    window.close()


def test_office_shortcuts_work_and_are_shown_in_the_menus(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    menus = {a.text().replace("&", ""): a for m in window.menuBar().actions()
             for a in m.menu().actions() if not a.isSeparator()}
    shown = {name: a.shortcut().toString() for name, a in menus.items() if not a.shortcut().isEmpty()}
    assert {"Ctrl+N", "Ctrl+F", "F5", "Alt+1", "Alt+2"} <= set(shown.values()), shown

    def key(k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClick(QApplication.focusWidget() or window, k, modifier)

    key(Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # the fifth page: Businesses
    page = window.pages["business"]
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.list is not None)
    key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.form.rows["name"].editor.widget)
    key(Qt.Key.Key_Escape)
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # back to the list, in its search box
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.list.search)
    synced: list[bool] = []
    window.sync_bar.sync_now = lambda: synced.append(True)  # type: ignore[method-assign]
    key(Qt.Key.Key_F5)
    assert synced == [True]
    key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.pages["home"]
    window.close()
