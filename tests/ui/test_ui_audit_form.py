"""An officer audits a cooperative: starts the audit from the cooperative's
form, chooses the health method (the current Permenkop 9/2020 one is
offered first), types the entries it asks for -- the seven aspect scores of
Perdep 06/2016, or a compliance ratio per indicator of the 2020 worksheet --
sees the health score and category live, is told at the field when an entry
is out of range, finalises; then takes the audit report as a PDF, which
names the method and its aspects."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from desktop_app.services import formats, records
from desktop_app.services.choices import load_choices
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.services.services_forms import all_aspects, cooperative_form
from tests.support.reference import PERDEP_2016, PERMENKOP_2020, shipped_methods

METHODS = shipped_methods()
ASPECTS = METHODS[PERDEP_2016].aspects
INDICATORS = METHODS[PERMENKOP_2020].indicators

SCORES = all_aspects(permodalan=12, kualitas_aktiva_produktif=20, manajemen=11, efisiensi=7,
                     likuiditas=10)


pytestmark = pytest.mark.usefixtures("indonesian")


class Window:
    """The main window's one duty a job page calls on: open a record on
    another page (here: the audit page)."""

    def __init__(self, ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.ctx, self.qtbot = ctx, qtbot
        self.pages: dict[str, JobPage] = {}

    def open_record(self, kind: str, record_id: str | None, **initial: object) -> None:
        page = JobPage(self.ctx, window=self, kind=kind)
        self.qtbot.addWidget(page)
        page.show()
        self.pages[kind] = page
        page.open_record(record_id, **initial)


def open_audit(qtbot, ctx) -> RecordForm:  # type: ignore[no-untyped-def]
    """The cooperative's form, then its 'New audit' button."""
    cooperative_id = records.save(ctx.store, ctx.actor, "cooperative", cooperative_form()).record["id"]
    window = Window(ctx, qtbot)
    window.open_record("cooperative", cooperative_id)
    page = window.pages["cooperative"]
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    assert page.form.visit_button.isEnabled()
    page.form.visit_button.click()
    qtbot.waitUntil(lambda: "cooperative_audit" in window.pages)
    audits = window.pages["cooperative_audit"]
    qtbot.waitUntil(lambda: audits.form is not None and not audits.form.loading)
    form = audits.form
    assert form.parent_label.text() == "KSP Sejahtera Bersama"
    return form


def type_score(qtbot, form: RecordForm, key: str, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = form.rows["aspect_scores"].editor.inputs[key]
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    edit.clear()
    qtbot.keyClicks(QApplication.focusWidget(), text)


def out_of_range_is_marked(qtbot, form: RecordForm, key: str, bad: str, good: str,  # type: ignore[no-untyped-def]
                           words: tuple[str, ...]) -> None:
    """Typing ``bad`` shows the limit under the entries; ``good`` clears it."""
    type_score(qtbot, form, key, bad)
    message = form.rows["aspect_scores"].message
    qtbot.waitUntil(message.isVisible)
    assert all(word in message.text() for word in words), message.text()
    type_score(qtbot, form, key, good)
    qtbot.waitUntil(lambda: not message.isVisible())


def choose_method(qtbot, form: RecordForm, code: str) -> None:  # type: ignore[no-untyped-def]
    """The officer picks the method with the keyboard in its list."""
    combo = form.rows["health_method"].editor.widget
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        while form.rows["health_method"].editor.value() != code:
            before = combo.currentIndex()
            qtbot.keyClick(QApplication.focusWidget(), key)
            if combo.currentIndex() == before:
                break
    assert form.rows["health_method"].editor.value() == code


def expected_headline(ctx, scores: dict[str, int], method: str = PERDEP_2016) -> str:  # type: ignore[no-untyped-def]
    result = METHODS[method].assess(scores)
    category = load_choices(ctx.store).text("health_category", result.category.value, "id")
    top = 100 if method == PERDEP_2016 else 4
    return f"{formats.number(float(result.total), 2)} dari {top} — {category}"


def test_the_current_method_is_offered_first(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """A new audit starts on the Permenkop 9/2020 worksheet: its four aspects'
    indicators, a ratio each."""
    form = open_audit(qtbot, ctx)
    assert form.rows["health_method"].editor.value() == PERMENKOP_2020
    assert set(form.rows["aspect_scores"].editor.inputs) == {i.key for i in INDICATORS}
    assert "Tata Kelola" in form.rows["aspect_scores"].editor.widget.findChildren(
        type(form.result.headline))[0].text()


def test_an_audit_by_the_2020_worksheet(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Each ratio shows its 1-4 score as it is typed; the result is out of 4,
    with the method named; a ratio above 100 is marked at the field."""
    form = open_audit(qtbot, ctx)
    ratios = {i.key: "80" for i in INDICATORS}
    ratios.update(prinsip_koperasi="60", kelembagaan="60", manajemen_koperasi="60")
    for key, text in ratios.items():
        type_score(qtbot, form, key, text)
    editor = form.rows["aspect_scores"].editor
    assert editor.scores["kelembagaan"].text() == "skor 3"
    assert editor.scores["kpmr"].text() == "skor 4"
    numbers = {k: int(v) for k, v in ratios.items()}
    qtbot.waitUntil(lambda: form.result.headline.text()
                    == expected_headline(ctx, numbers, PERMENKOP_2020))
    assert "Permenkop 9/2020" in form.result.detail.text()
    assert "belum dikonfirmasi" in form.result.detail.text()

    out_of_range_is_marked(qtbot, form, "kpmr", "101", "100", ("100", "Manajemen Risiko"))

    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "cooperative_audit", form.record_id)
    assert saved["health_method"] == PERMENKOP_2020
    assert saved["health_category"] == METHODS[PERMENKOP_2020].assess(
        {**numbers, "kpmr": 100}).category.value


def test_switching_the_method_keeps_what_was_typed(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Ratios typed under the 2020 worksheet come back when the officer
    returns to it after looking at the 2016 aspects."""
    form = open_audit(qtbot, ctx)
    type_score(qtbot, form, "kelembagaan", "55")
    choose_method(qtbot, form, PERDEP_2016)
    assert set(form.rows["aspect_scores"].editor.inputs) == {a.key for a in ASPECTS}
    choose_method(qtbot, form, PERMENKOP_2020)
    assert form.rows["aspect_scores"].editor.inputs["kelembagaan"].text() == "55"


def test_an_audit_scored_aspect_by_aspect_and_finalised(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The score and category follow the typing and agree with the rule."""
    form = open_audit(qtbot, ctx)
    assert form.result.headline.text() == "—"
    choose_method(qtbot, form, PERDEP_2016)
    for aspect in ASPECTS:
        type_score(qtbot, form, aspect.key, str(SCORES[aspect.key]))
    qtbot.waitUntil(lambda: form.result.headline.text() == expected_headline(ctx, SCORES))

    changed = {**SCORES, "manajemen": 15}
    type_score(qtbot, form, "manajemen", "15")
    qtbot.waitUntil(lambda: form.result.headline.text() == expected_headline(ctx, changed))

    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "cooperative_audit", form.record_id)
    assert saved["health_category"] == METHODS[PERDEP_2016].assess(changed).category.value
    assert saved["health_method"] == PERDEP_2016

    form.finalise_button.click()  # the stand-in dialog answers 'Finalise'
    qtbot.waitUntil(lambda: form.read_only)
    assert records.get(ctx.store, "cooperative_audit", form.record_id)["status"] == "finalised"
    assert all(edit.isReadOnly() for edit in form.rows["aspect_scores"].editor.inputs.values())
    assert not form.save_button.isVisibleTo(form) and not form.finalise_button.isVisibleTo(form)
    assert form.result.headline.text() == expected_headline(ctx, changed)  # still shown


def test_a_score_above_its_weight_is_marked_at_the_field(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Efisiensi weighs 10: typing 12 says so under the scores, 8 clears it."""
    form = open_audit(qtbot, ctx)
    choose_method(qtbot, form, PERDEP_2016)
    for aspect in ASPECTS:
        type_score(qtbot, form, aspect.key, str(SCORES[aspect.key]))
    out_of_range_is_marked(qtbot, form, "efisiensi", "12", "8", ("10", "fisiensi"))


def test_the_audit_report_is_written_as_a_pdf(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A saved audit offers its report; the PDF names the cooperative, the
    method and its aspects, and the category."""
    form = open_audit(qtbot, ctx)
    assert not form.report_button.isVisibleTo(form)  # nothing saved to report on yet
    choose_method(qtbot, form, PERDEP_2016)
    for aspect in ASPECTS:
        type_score(qtbot, form, aspect.key, str(SCORES[aspect.key]))
    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    assert form.report_button.isVisibleTo(form)
    out = tmp_path / "audit.pdf"
    form.report_to(out)
    qtbot.waitUntil(lambda: form.banner.isVisible() and str(out) in form.banner.text())
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "KSP Sejahtera Bersama" in text and "Sehat" in text
    assert "06/Per/Dep.6/IV/2016" in text and "Kualitas Aktiva Produktif" in text
    assert form.report_button.isEnabled()
