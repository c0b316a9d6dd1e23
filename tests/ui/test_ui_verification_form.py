"""An officer verifies an aid applicant: checks the NIK, KK number and
address shown on the form against the applicant's KTP-el and family card,
sets each check of the list -- worded as the applicant's round words it --
and the verdict with its reason, round and amount follows live, in the
officer's language."""

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
from tests.services.services_forms import CHECKS, KK_RAHMAT, NIK_RAHMAT, applicant_form
from tests.support.gui import make_context
from tests.support.reference import shipped_rounds

ROUNDS = shipped_rounds()


@pytest.fixture
def ctx(tmp_path: Path, indonesian) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    context = make_context(tmp_path / "data")
    yield context
    context.runner.wait()
    context.store.close()


def open_verification(qtbot, ctx, **applicant) -> RecordForm:  # type: ignore[no-untyped-def]
    applicant_id = records.save(ctx.store, ctx.actor, "aid_applicant",
                                applicant_form(**applicant)).record["id"]
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


def verdict(outcomes: dict[str, str], round_code: str = "bpum-2021"):  # type: ignore[no-untyped-def]
    return eligibility_verdict({CheckItem(item): outcome for item, outcome in outcomes.items()},
                               ROUNDS[round_code])


def test_the_verdict_follows_the_checklist(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """All five met: Layak, with the round and its amount; one not met:
    Tidak layak, naming it as the round words it."""
    form = open_verification(qtbot, ctx)
    for check in CHECKS:
        choose(qtbot, form, f"check_{check}", "met")
    qtbot.waitUntil(lambda: form.result.headline.text() == "Layak")
    assert form.result.detail.text().splitlines() == [
        verdict({c: "met" for c in CHECKS}).reason_id,
        "Tahap: BPUM 2021, Rp 1.200.000 per penerima."]

    choose(qtbot, form, "check_no_bank_credit", "not_met")
    qtbot.waitUntil(lambda: form.result.headline.text() == "Tidak layak")
    expected = verdict({**{c: "met" for c in CHECKS}, "no_bank_credit": "not_met"})
    assert form.result.detail.text().splitlines()[0] == expected.reason_id
    assert ROUNDS["bpum-2021"].label(CheckItem.NO_BANK_CREDIT)[0] in form.result.detail.text()

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
    assert form.result.detail.text().splitlines()[0] == expected.reason_en
    assert form.result.title() == "Verification result"


def test_the_form_shows_the_documents_to_check_against(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """NIK and KK in full, in groups of four as printed on the cards, the
    KTP address, and where the business is with its SKU when elsewhere."""
    form = open_verification(qtbot, ctx, address="Jl. Teuku Umar 12", business_location_differs=True,
                             business_address="Pasar Tugu Blok B", sku_number="470/88/SKU/2021")
    facts = form.parent_facts.text()
    assert form.parent_facts.isVisible()
    assert "NIK (sesuai KTP-el): 1871 0115 0385 0007" in facts
    assert f"Nomor KK: {' '.join(KK_RAHMAT[i:i + 4] for i in range(0, 16, 4))}" in facts
    assert "Alamat sesuai KTP: Jl. Teuku Umar 12" in facts
    assert "Pasar Tugu Blok B" in facts and "470/88/SKU/2021" in facts
    assert "BPUM 2021 — Rp 1.200.000" in facts
    assert NIK_RAHMAT not in facts  # grouped, never one run of digits to misread


@pytest.mark.parametrize(("round_code", "credit", "absent"), [
    ("bpum-2020", "Kredit Bank Lainnya", None),
    ("bpum-2021", "Kredit Usaha Rakyat (KUR)", "Kredit Bank Lainnya"),
])
def test_the_checklist_is_worded_by_the_round(qtbot, ctx, round_code, credit, absent) -> None:  # type: ignore[no-untyped-def]
    """2020 asks about bank credit or KUR; 2021 about KUR only, and allows
    recipients of an earlier round."""
    form = open_verification(qtbot, ctx, aid_round=round_code)
    credit_label = form.rows["check_no_bank_credit"].label.text()
    assert credit in credit_label and (absent is None or absent not in credit_label)
    prior = form.rows["check_not_prior_recipient"].label.text()
    assert ("sebelumnya boleh" in prior) == (round_code == "bpum-2021")
    for check in CHECKS:
        choose(qtbot, form, f"check_{check}", "met")
    amount = "Rp 2.400.000" if round_code == "bpum-2020" else "Rp 1.200.000"
    qtbot.waitUntil(lambda: amount in form.result.detail.text())
