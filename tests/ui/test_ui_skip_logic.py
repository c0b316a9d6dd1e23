"""Item 11 of issue 16: questions that do not apply are hidden, and an
answer they held is cleared with the officer's knowledge (a note, undoable
until the record is saved). The decisions are the controller's (no Qt): the
rules are services.forms.SKIPS; the form only shows and hides."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import pytest

from desktop_app.models import UmkmSurvey
from desktop_app.services import forms, records
from tests.services.services_forms import cooperative_form
from tests.ui.test_ui_form_controller import Form, a_business, a_draft_survey, actor, store  # noqa: F401
from tests.ui.test_ui_keyboard_jobs import (
    click, enter, focused_field, form_of, open_window, press, save, saved_record, type_text,
)

pytestmark = pytest.mark.usefixtures("indonesian")


def test_the_rules_say_which_questions_apply() -> None:
    assert forms.not_applying("umkm_survey", {"exports": False}) == {"export_destinations"}
    assert forms.not_applying("umkm_survey", {"exports": True}) == set()
    assert forms.not_applying("cooperative_audit", {"rat_held": False, "loans_outstanding": 0}) \
        == {"rat_date", "loans_overdue"}
    assert forms.not_applying("cooperative_audit",
                              {"rat_held": True, "loans_outstanding": None}) == set()


def test_an_answer_that_no_longer_applies_is_cleared_and_can_be_undone(store, actor) -> None:  # noqa: F811
    form = Form(store, actor, "umkm_survey", business_id=a_business(store, actor))
    view = form.view
    assert "export_destinations" in view.hidden  # no exports yet: not asked
    form.type("exports", True)
    assert "export_destinations" not in view.hidden and view.cleared_note == []
    form.type("export_destinations", "Malaysia, Singapura")
    form.type("exports", False)
    assert "export_destinations" in view.hidden
    assert view.values["export_destinations"] == ""  # cleared ...
    assert view.cleared_note == ["export_destinations"]  # ... and the officer told
    form.do("undo_clear")
    assert view.values["exports"] is True and view.values["export_destinations"] == "Malaysia, Singapura"
    assert "export_destinations" not in view.hidden and view.cleared_note == []
    form.type("exports", False)
    form.type("exports", True)  # applies again before saving: what was typed comes back
    assert view.values["export_destinations"] == "Malaysia, Singapura" and view.cleared_note == []
    form.type("exports", False)
    form.pause()
    form.do("save")
    assert form.controller.record_id is not None
    saved = records.get(store, "umkm_survey", form.controller.record_id)
    assert saved["exports"] is False and saved["export_destinations"] == ""
    assert view.cleared_note == []  # saved: nothing left to undo
    form.do("undo_clear")
    assert view.values["export_destinations"] == ""


def test_a_stored_answer_that_does_not_apply_stays_shown_with_its_problem(store, actor) -> None:  # noqa: F811
    """A record from before the rule (no exports, a destination): shown, never silently hidden."""
    survey_id = a_draft_survey(store, actor, exports=True, export_destinations="Jepang")
    with store.write() as session:  # written before the rule: straight to the table
        session.get(UmkmSurvey, survey_id).exports = False
    form = Form(store, actor, "umkm_survey", record_id=survey_id)
    assert "export_destinations" not in form.view.hidden
    assert form.view.values["export_destinations"] == "Jepang"


def test_an_audit_by_keyboard_skips_the_rat_date_when_there_was_no_rat(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    cooperative = records.save(ctx.store, ctx.actor, "cooperative", cooperative_form()).record
    window = open_window(qtbot, ctx)
    window.open_record("cooperative_audit", None, cooperative_id=cooperative["id"])
    form = form_of(qtbot, window.pages["cooperative_audit"])
    assert focused_field(form) == "visit_date"
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(qtbot, "20112026")
    enter(qtbot, "Y")  # active
    enter(qtbot, "Y")  # RAT held: its date is asked
    assert focused_field(form) == "rat_date" and form.rows["rat_date"].box.isVisible()
    type_text(qtbot, "14032026")
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back: no RAT after all
    assert focused_field(form) == "rat_held"
    press(qtbot, Qt.Key.Key_Down)  # Ya -> Tidak
    qtbot.waitUntil(lambda: not form.rows["rat_date"].box.isVisible())
    assert form.rows["rat_date"].editor.value() is None
    assert form.cleared_note.isVisible() and "Tanggal RAT" in form.cleared_text.text()
    enter(qtbot)
    assert focused_field(form) == "members_male"  # the hidden question is skipped
    click(qtbot, form.undo_clear_button)
    assert form.rows["rat_held"].editor.value() is True
    assert form.rows["rat_date"].editor.value() == "2026-03-14"
    assert form.rows["rat_date"].box.isVisible() and not form.cleared_note.isVisible()
    form.rows["rat_held"].editor.widget.setFocus()
    qtbot.waitUntil(lambda: focused_field(form) == "rat_held")
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: form.cleared_note.isVisible())
    save(qtbot)
    audit = saved_record(qtbot, ctx, form)
    assert audit["rat_held"] is False and audit["rat_date"] is None
    assert not form.cleared_note.isVisible()
    assert QApplication.focusWidget() is not None
