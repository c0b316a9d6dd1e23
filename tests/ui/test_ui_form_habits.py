"""Habits of the forms an officer meets all day: a new form does not open
red (a field's problem shows once it is left, every problem at the save),
the safe answer is a question's default, a date's calendar opens at today,
and Ctrl+A selects a date's text."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.ui.dialogs import question_box
from desktop_app.ui.editors import DateEditor, parse_date
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm

pytestmark = pytest.mark.usefixtures("indonesian")


def new_form(qtbot, ctx, kind: str = "business") -> RecordForm:  # type: ignore[no-untyped-def]
    page = JobPage(ctx, window=None, kind=kind)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: page.list is not None)
    page.list.new_button.click()
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    qtbot.waitUntil(lambda: form.last_check is not None)
    return form


def test_a_new_form_opens_clean_and_a_left_field_shows_its_problem(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    form = new_form(qtbot, ctx)
    assert form.last_check.errors  # name, owner and NIK are required and empty
    qtbot.wait(300)
    assert not any(row.message.isVisible() for row in form.rows.values())
    assert QApplication.focusWidget() is form.rows["name"].editor.widget
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # left empty
    name = form.rows["name"].message
    qtbot.waitUntil(name.isVisible)
    assert "wajib diisi" in name.text()
    assert not form.rows["owner_nik"].message.isVisible()  # not reached yet
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    nik = form.rows["owner_nik"].message
    qtbot.waitUntil(nik.isVisible)  # at the save, every problem
    assert form.record_id is None


def test_enter_on_a_question_answers_the_safe_way(qtbot) -> None:  # type: ignore[no-untyped-def]
    """'Finalkan data ini?': Enter keeps editing; finalising takes a deliberate choice."""
    box, finalise = question_box(None, "Finalkan data ini?", "Setelah difinalkan ...",
                                 "Finalkan", "Tetap mengedit")
    qtbot.addWidget(box)
    assert box.defaultButton() is not finalise and box.defaultButton().text() == "Tetap mengedit"
    QTimer.singleShot(50, lambda: qtbot.keyClick(QApplication.activeModalWidget() or box,
                                                 Qt.Key.Key_Return))
    box.exec()
    assert box.clickedButton() is not finalise


def test_the_calendar_of_an_empty_date_opens_at_today(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = DateEditor()
    qtbot.addWidget(editor.widget)
    editor.widget.show()
    assert editor.value() is None
    editor.open_calendar()
    shown = editor.calendar.selectedDate()
    assert (shown.year(), shown.month(), shown.day()) == date.today().timetuple()[:3]
    qtbot.keyClick(editor.calendar.focusProxy() or editor.calendar, Qt.Key.Key_Return)  # today
    assert editor.value() == date.today().isoformat()


def test_a_date_types_as_digits_and_ctrl_a_selects_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = DateEditor()
    qtbot.addWidget(editor.widget)
    editor.widget.show()
    qtbot.keyClicks(editor.edit, "15032027")
    assert editor.edit.text() == "15/03/2027" and editor.value() == "2027-03-15"
    qtbot.keyClick(editor.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.edit, "1/4/2027")  # one's own slashes, over the selection
    assert editor.value() == "2027-04-01"
    editor.edit.clear()
    qtbot.keyClicks(editor.edit, "31022027")  # no such day: sent as typed, the rules say so
    assert editor.value() == "31/02/2027"
    assert parse_date("2027-03-15") == date(2027, 3, 15) and parse_date("15.3.2027") == date(2027, 3, 15)


def test_a_letter_in_a_rupiah_field_is_refused_with_a_message(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import records
    from tests.services.services_forms import business_form

    business = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    page = JobPage(ctx, window=None, kind="umkm_survey")
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list is not None)
    page.open_record(None, business_id=business)
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    capital = form.rows["capital"]
    capital.editor.widget.setFocus()
    qtbot.keyClicks(capital.editor.widget, "5o0")  # the letter o for a zero
    assert capital.editor.widget.text() == "50"
    assert capital.message.isVisibleTo(form) and "hanya angka" in capital.message.text()


def test_unusual_answers_are_confirmed_before_saving(qtbot, ctx, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import records
    from tests.services.services_forms import business_form

    business = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    page = JobPage(ctx, window=None, kind="umkm_survey")
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list is not None)
    page.open_record(None, business_id=business)
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    for field, text in (("capital", "0"), ("turnover_monthly", "0")):
        form.rows[field].editor.widget.setFocus()
        qtbot.keyClicks(form.rows[field].editor.widget, text)
    qtbot.waitUntil(lambda: form.controller.warnings_to_confirm() != [])
    modal_dialogs.answer = False  # 'Check again'
    form.save()
    assert modal_dialogs.questions == ["Simpan jawaban yang tidak biasa ini?"]
    assert form.record_id is None and form.rows["capital"].message.isVisible()
    assert "Modal dan omzet semuanya 0" in form.rows["capital"].message.text()
    modal_dialogs.answer = True
    form.save()
    qtbot.waitUntil(lambda: form.record_id is not None)
    assert records.get(ctx.store, "umkm_survey", form.record_id)["capital"] == 0
    form.save()  # confirmed once: not asked again
    assert len(modal_dialogs.questions) == 2
