"""An officer verifies an aid applicant: sets each check of the list, and
the verdict with its reason follows live, in the officer's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop_app.models.rules.eligibility import CheckItem, eligibility_verdict
from desktop_app.services import records
from desktop_app.ui import i18n
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.services.services_forms import CHECKS, applicant_form
from tests.support.gui import make_context


@pytest.fixture
def ctx(tmp_path: Path, indonesian) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    context = make_context(tmp_path / "data")
    yield context
    context.runner.wait()
    context.store.close()


def open_verification(qtbot, ctx) -> RecordForm:  # type: ignore[no-untyped-def]
    applicant_id = records.save(ctx.store, ctx.actor, "aid_applicant", applicant_form()).record["id"]
    page = JobPage(ctx, window=None, kind="aid_verification")
    qtbot.addWidget(page)
    page.show()
    page.open_record(None, applicant_id=applicant_id)
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    assert page.form.parent_label.text() == "Rahmat Hidayat"
    return page.form


def choose(qtbot, form: RecordForm, field: str, code: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an outcome with the arrow keys, as on a keyboard-only laptop."""
    combo: QComboBox = form.rows[field].editor.widget
    combo.setFocus()
    target = combo.findData(code)
    assert target >= 0, code
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    assert form.rows[field].editor.value() == code


def verdict(outcomes: dict[str, str]):  # type: ignore[no-untyped-def]
    return eligibility_verdict({CheckItem(item): outcome for item, outcome in outcomes.items()})


def test_the_verdict_follows_the_checklist(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """All five met: Layak; one not met: Tidak layak, naming it."""
    form = open_verification(qtbot, ctx)
    for check in CHECKS:
        choose(qtbot, form, f"check_{check}", "met")
    qtbot.waitUntil(lambda: form.result.headline.text() == "Layak")
    assert form.result.detail.text() == verdict({c: "met" for c in CHECKS}).reason_id

    choose(qtbot, form, "check_no_bank_credit", "not_met")
    qtbot.waitUntil(lambda: form.result.headline.text() == "Tidak layak")
    expected = verdict({**{c: "met" for c in CHECKS}, "no_bank_credit": "not_met"})
    assert form.result.detail.text() == expected.reason_id
    assert CheckItem.NO_BANK_CREDIT.label_id in form.result.detail.text()

    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "aid_verification", form.record_id)
    assert saved["verdict"] == "not_eligible" and saved["verdict_reason"] == expected.reason_id


def test_in_english_the_reason_is_english(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The stored reason stays Indonesian (the proposal list needs it); the screen follows the officer."""
    i18n.install("en")
    form = open_verification(qtbot, ctx)
    for check in CHECKS:
        choose(qtbot, form, f"check_{check}", "met")
    choose(qtbot, form, "check_not_prior_recipient", "not_met")
    expected = verdict({**{c: "met" for c in CHECKS}, "not_prior_recipient": "not_met"})
    qtbot.waitUntil(lambda: form.result.headline.text() == "Not eligible")
    assert form.result.detail.text() == expected.reason_en
    assert form.result.title() == "Verification result"
