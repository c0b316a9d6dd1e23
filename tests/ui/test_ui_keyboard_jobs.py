"""The three jobs of a field day done by keyboard, as a person does them:
every key goes to whatever has the focus (``QApplication.focusWidget()``,
or the popup a list opened), never into a widget picked by its name. The
officer unlocks the laptop with a PIN (after one typo), registers a
business and surveys it with a photo, audits a cooperative, verifies an
aid applicant; Enter and Tab move between the fields, dates are typed as
digits.

Tests only read widgets by name, to check what landed where."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop_app.services import records
from desktop_app.store.local_tables import OfficerAccount
from desktop_app.sync.account import hash_pin
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.record_form import RecordForm
from desktop_app.ui.sign_in import SignInDialog
from tests.services.services_forms import NIK_SITI, applicant_form, cooperative_form
from tests.support.gui import OFFICER_ID, drain
from tests.support.photos import make_photo

pytestmark = pytest.mark.usefixtures("indonesian")

PIN = "246810"


# --- the keyboard ---------------------------------------------------------------------------

def target() -> QWidget:
    """Where a key goes: an open popup (a list's suggestions), else the focus."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus: what is typed is lost"
    return widget


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(target(), text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(target(), key, modifier)


def enter(qtbot, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` (if any) where the cursor is, then Enter: on to the next field."""
    if text:
        type_text(qtbot, text)
    press(qtbot, Qt.Key.Key_Return)


def save(qtbot) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def focused_field(form: RecordForm) -> str | None:
    """The name of the form's field that holds the focus (for the asserts)."""
    widget = QApplication.focusWidget()
    for name, row in form.rows.items():
        if widget is row.editor.widget or row.editor.widget.isAncestorOf(widget):
            return name
    return None


# --- the day --------------------------------------------------------------------------------

def known_officer(ctx) -> None:  # type: ignore[no-untyped-def]
    """The officer signed in on this laptop before: the PIN is enough."""
    with ctx.store.write() as session:
        session.add(OfficerAccount(
            officer_id=OFFICER_ID, username="petugas.18.71", full_name="Siti Rahmawati",
            role="officer", regency_code="18.71", pin_hash=hash_pin(PIN),
            server_url="http://127.0.0.1:9", failed_pins=0))


def unlock(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Ganti petugas: the PIN box has the focus; a typo, then the PIN, typed where the cursor is."""
    known_officer(ctx)
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.pages.currentIndex() == 0)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    assert QApplication.focusWidget() is dialog.pin_edit
    enter(qtbot, "135799")  # a typo
    qtbot.waitUntil(lambda: dialog.unlock_error.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert QApplication.focusWidget() is dialog.pin_edit, "after a wrong PIN the focus is lost"
    enter(qtbot, PIN)
    qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted, timeout=10_000)


def open_window(qtbot, ctx) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def page_of(qtbot, window: MainWindow, key: str):  # type: ignore[no-untyped-def]
    page = window.show_page(key)
    qtbot.waitUntil(lambda: page.list is not None)
    return page


def form_of(qtbot, page) -> RecordForm:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    form = page.form
    hidden_active = QApplication.activeWindow()
    if hidden_active is not None and not hidden_active.isVisible():
        # The offscreen platform leaves a closed suggestion list as the active
        # window (a window manager gives the activation back): give it back.
        form.window().activateWindow()
        qtbot.waitUntil(form.window().isActiveWindow)
    qtbot.waitUntil(lambda: focused_field(form) is not None)
    return form


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def saved_record(qtbot, ctx, form: RecordForm) -> dict:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: form.record_id is not None and not form.dirty, timeout=5000)
    drain(qtbot, ctx)
    return records.get(ctx.store, form.kind.name, form.record_id)


def test_a_new_business_and_its_survey_with_a_photo_by_keyboard(
        qtbot, ctx, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    unlock(qtbot, ctx)
    window = open_window(qtbot, ctx)
    page = page_of(qtbot, window, "business")
    click(qtbot, page.list.new_button)
    form = form_of(qtbot, page)
    assert focused_field(form) == "name"
    enter(qtbot, "Kopi Robusta Siti")
    enter(qtbot, "Siti Aminah")
    enter(qtbot, NIK_SITI)
    enter(qtbot, "1234567890123")
    enter(qtbot)  # the business field (KBLI) stays empty
    enter(qtbot, "081234567890")
    enter(qtbot, "2019")
    assert focused_field(form) == "regency_code"
    enter(qtbot)  # Bandar Lampung, the officer's regency
    type_text(qtbot, "Kedaton")  # the district, found by typing its name
    enter(qtbot)
    assert focused_field(form) == "village_code"
    type_text(qtbot, "dato")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    save(qtbot)
    business = saved_record(qtbot, ctx, form)
    assert (business["name"], business["owner_name"], business["owner_nik"], business["nib"],
            business["phone"], business["year_started"], business["district_code"],
            business["village_code"]) == (
        "Kopi Robusta Siti", "Siti Aminah", NIK_SITI, "1234567890123", "081234567890", 2019,
        "18.71.01", "18.71.01.1003")

    click(qtbot, form.visit_button)  # New survey of this business
    survey_page = window.pages["umkm_survey"]
    survey = form_of(qtbot, survey_page)
    assert focused_field(survey) == "visit_date"
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(qtbot, "20112026")
    enter(qtbot, "50000000")  # capital
    enter(qtbot, "15000000")  # monthly turnover
    enter(qtbot, "180000000")  # annual sales
    assert focused_field(survey) == "capital_needed"
    enter(qtbot, "25000000")
    enter(qtbot)  # access to capital: none ticked
    assert focused_field(survey) == "workers_paid"
    enter(qtbot, "2")
    enter(qtbot, "1")
    enter(qtbot, "2")
    save(qtbot)
    kept = saved_record(qtbot, ctx, survey)
    assert (kept["visit_date"], kept["capital"], kept["turnover_monthly"], kept["turnover_annual"],
            kept["capital_needed"], kept["workers_paid"], kept["workers_unpaid"],
            kept["workers_women"]) == (date(2026, 11, 20), 50_000_000, 15_000_000, 180_000_000,
                                       25_000_000, 2, 1, 2)
    photo = make_photo(tmp_path / "toko.jpg")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(photo)], "")))
    click(qtbot, survey.photos.add_button)
    qtbot.waitUntil(lambda: survey.photos.list.count() == 1, timeout=10_000)
    print(f"\nnew business with survey and photo: {time.monotonic() - started:.1f} s of test time")


def test_a_cooperative_audit_by_keyboard(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    cooperative = records.save(ctx.store, ctx.actor, "cooperative", cooperative_form()).record
    window = open_window(qtbot, ctx)
    window.open_record("cooperative", cooperative["id"])
    coop_form = form_of(qtbot, window.pages["cooperative"])
    click(qtbot, coop_form.visit_button)  # New audit
    form = form_of(qtbot, window.pages["cooperative_audit"])
    assert focused_field(form) == "visit_date"
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(qtbot, "20112026")
    enter(qtbot, "Y")  # active: Ya
    enter(qtbot, "Y")  # annual meeting held: Ya
    assert focused_field(form) == "rat_date"
    type_text(qtbot, "14032026")  # the empty date of the meeting, typed as digits
    press(qtbot, Qt.Key.Key_Tab)  # one Tab: the next field
    assert focused_field(form) == "members_male"
    enter(qtbot, "120")
    enter(qtbot, "95")
    enter(qtbot, "800000000")  # own capital
    enter(qtbot, "400000000")  # outside capital
    enter(qtbot, "1500000000")  # assets
    enter(qtbot, "900000000")  # business volume
    enter(qtbot, "50000000")  # surplus
    enter(qtbot, "1200000000")  # loans outstanding
    enter(qtbot, "60000000")  # loans overdue
    assert focused_field(form) == "health_method"
    save(qtbot)
    audit = saved_record(qtbot, ctx, form)
    assert (audit["visit_date"], audit["is_active"], audit["rat_held"], audit["rat_date"],
            audit["members_male"], audit["members_female"], audit["own_capital"],
            audit["external_capital"], audit["assets"], audit["business_volume"],
            audit["surplus"], audit["loans_outstanding"], audit["loans_overdue"]) == (
        date(2026, 11, 20), True, True, date(2026, 3, 14), 120, 95, 800_000_000, 400_000_000,
        1_500_000_000, 900_000_000, 50_000_000, 1_200_000_000, 60_000_000)


def test_an_aid_verification_by_keyboard(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    applicant = records.save(ctx.store, ctx.actor, "aid_applicant", applicant_form()).record
    window = open_window(qtbot, ctx)
    window.open_record("aid_applicant", applicant["id"])
    applicant_page_form = form_of(qtbot, window.pages["aid_applicant"])
    click(qtbot, applicant_page_form.visit_button)  # New verification
    form = form_of(qtbot, window.pages["aid_verification"])
    assert focused_field(form) == "visit_date"
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(qtbot, "20112026")
    enter(qtbot, "Y")  # the business exists
    for check in ("check_valid_nik", "check_micro_business", "check_not_civil_servant",
                  "check_no_bank_credit", "check_not_prior_recipient"):
        assert focused_field(form) == check
        enter(qtbot, "Y")  # Ya: the condition holds
    assert focused_field(form) == "check_notes"
    type_text(qtbot, "KTP dan SKU dicocokkan di tempat.")
    save(qtbot)
    verification = saved_record(qtbot, ctx, form)
    assert verification["visit_date"] == date(2026, 11, 20)
    assert verification["business_exists"] is True
    assert all(verification[f"check_{c}"] == "met" for c in (
        "valid_nik", "micro_business", "not_civil_servant", "no_bank_credit",
        "not_prior_recipient"))
    assert verification["check_notes"] == "KTP dan SKU dicocokkan di tempat."
