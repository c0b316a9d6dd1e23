"""An officer audits a cooperative: starts the audit from the cooperative's
form, types the seven aspect scores, sees the health score and category
live, is told at the field when a score is above its weight, finalises;
then takes the audit report as a PDF."""

from __future__ import annotations


import pytest
from pypdf import PdfReader

from desktop_app.models.rules.health import ASPECTS, health_score
from desktop_app.services import formats, records
from desktop_app.services.choices import load_choices
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.services.services_forms import all_aspects, cooperative_form

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
    edit.clear()
    qtbot.keyClicks(edit, text)


def expected_headline(ctx, scores: dict[str, int]) -> str:  # type: ignore[no-untyped-def]
    result = health_score(scores)
    category = load_choices(ctx.store).text("health_category", result.category.value, "id")
    return f"{formats.number(result.total, 2)} dari 100 — {category}"


def test_an_audit_scored_aspect_by_aspect_and_finalised(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The score and category follow the typing and agree with the rule."""
    form = open_audit(qtbot, ctx)
    assert form.result.headline.text() == "—"
    for aspect in ASPECTS:
        type_score(qtbot, form, aspect.key, str(SCORES[aspect.key]))
    qtbot.waitUntil(lambda: form.result.headline.text() == expected_headline(ctx, SCORES))

    changed = {**SCORES, "manajemen": 15}
    type_score(qtbot, form, "manajemen", "15")
    qtbot.waitUntil(lambda: form.result.headline.text() == expected_headline(ctx, changed))

    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "cooperative_audit", form.record_id)
    assert saved["health_category"] == health_score(changed).category.value

    form.finalise_button.click()  # the stand-in dialog answers 'Finalise'
    qtbot.waitUntil(lambda: form.read_only)
    assert records.get(ctx.store, "cooperative_audit", form.record_id)["status"] == "finalised"
    assert all(edit.isReadOnly() for edit in form.rows["aspect_scores"].editor.inputs.values())
    assert not form.save_button.isVisibleTo(form) and not form.finalise_button.isVisibleTo(form)
    assert form.result.headline.text() == expected_headline(ctx, changed)  # still shown


def test_a_score_above_its_weight_is_marked_at_the_field(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Efisiensi weighs 10: typing 12 says so under the scores, 8 clears it."""
    form = open_audit(qtbot, ctx)
    for aspect in ASPECTS:
        type_score(qtbot, form, aspect.key, str(SCORES[aspect.key]))
    type_score(qtbot, form, "efisiensi", "12")
    message = form.rows["aspect_scores"].message
    qtbot.waitUntil(message.isVisible)
    assert "10" in message.text() and "fisiensi" in message.text()
    type_score(qtbot, form, "efisiensi", "8")
    qtbot.waitUntil(lambda: not message.isVisible())


def test_the_audit_report_is_written_as_a_pdf(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A saved audit offers its report; the PDF names the cooperative and the category."""
    form = open_audit(qtbot, ctx)
    assert not form.report_button.isVisibleTo(form)  # nothing saved to report on yet
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
    assert form.report_button.isEnabled()
