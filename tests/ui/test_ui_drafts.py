"""Nothing typed is lost when the window goes: a language switch asks, then
opens the form again with what was typed; a new record's draft is kept
under its kind and officer (not a key only the closed form knew), so Home's
'Recovered work' opens it again with its text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.services import snapshots
from desktop_app.ui.app import TapisApp
from desktop_app.ui.main_window import MainWindow
from tests.support.gui import OFFICER_ID, drain, officer

pytestmark = pytest.mark.usefixtures("indonesian")


def typed_business(qtbot, window: MainWindow, name: str):  # type: ignore[no-untyped-def]
    page = window.show_page("business")
    qtbot.waitUntil(lambda: page.list is not None)
    page.list.new_button.click()
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    field = form.rows["name"].editor.widget
    field.setFocus()
    qtbot.keyClicks(field, name)
    qtbot.waitUntil(lambda: form.dirty)
    return form


def test_a_language_switch_asks_and_opens_the_form_again_with_its_text(
        qtbot, ctx, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    tapis = TapisApp(ctx.store)
    tapis.ctx.account = officer()
    window = tapis.show_window()  # deleted by the switch: not handed to qtbot
    typed_business(qtbot, window, "Warung Bu Sri")

    modal_dialogs.answer = False  # 'Stay here'
    window._choose_language("en")
    assert modal_dialogs.questions == ["Tutup formulir yang terbuka?"]
    qtbot.wait(50)
    assert tapis.window is window and window.pages["business"].form is not None

    modal_dialogs.answer = True
    window._choose_language("en")
    qtbot.waitUntil(lambda: tapis.window is not window)
    rebuilt = tapis.window
    qtbot.addWidget(rebuilt)
    page = rebuilt.pages["business"]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    assert rebuilt.stack.currentWidget() is page
    assert page.form.rows["name"].editor.value() == "Warung Bu Sri"
    assert page.form.dirty  # still to be saved: the officer decides
    rebuilt.close()
    tapis.ctx.runner.wait()


def test_a_new_records_draft_is_keyed_by_kind_and_officer() -> None:
    """Two forms for a new business of one officer share one draft; another
    officer's, or a survey of another business, is another draft."""
    from desktop_app.services.context import Actor
    from desktop_app.ui.form_controller import FormController
    from tests.support.form_view import FakeView

    def key(kind: str, officer_id: str, **initial: str) -> str:
        controller = FormController(FakeView(kind), kind, store=None, run=None,  # type: ignore[arg-type]
                                    actor=Actor(officer_id=officer_id, device_id="d",
                                                regency_code="18.71"),
                                    initial=initial)
        return controller.snapshot_key

    assert key("business", "a") == key("business", "a")
    assert key("business", "a") != key("business", "b")
    assert key("umkm_survey", "a", business_id="x") != key("umkm_survey", "a", business_id="y")


def test_recovered_work_on_home_opens_the_new_form_with_its_text(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = typed_business(qtbot, window, "Keripik Bu Ani")
    form.controller.keep_entries()  # as when the battery runs flat
    drain(qtbot, ctx)
    window.pages["business"]._back_to_list()
    kept = snapshots.of_officer(ctx.store, OFFICER_ID)
    assert [s.values["name"] for s in kept] == ["Keripik Bu Ani"]

    home = window.show_page("home")
    home.refresh()
    qtbot.waitUntil(lambda: any(line.property("target") == f"draft:{kept[0].key}"
                                for line in home.lines()))
    line = next(line for line in home.lines() if line.property("target") == f"draft:{kept[0].key}")
    assert "Keripik Bu Ani" in line.text()
    line.click()
    page = window.pages["business"]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    assert window.stack.currentWidget() is page
    assert page.form.rows["name"].editor.value() == "Keripik Bu Ani"
    assert "Dipulihkan" in page.form.banner.text() or page.form.banner.isVisibleTo(page.form)
    QApplication.processEvents()
