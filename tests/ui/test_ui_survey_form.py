"""An officer records a UMKM survey: picks the business, types, sees the
size class, saves a draft, finalises; the list and search find it."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from desktop_app.services import records
from desktop_app.ui import dialogs
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.support.gui import drain


def business(ctx, name: str = "Keripik Pisang Ratna") -> str:  # type: ignore[no-untyped-def]
    return records.save(ctx.store, ctx.actor, "business", {
        "name": name, "owner_name": "Ratna Sari", "owner_nik": "1871014507900003",
        "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton"}).record["id"]


def type_into(qtbot, form: RecordForm, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = form.rows[field].editor.widget
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.clear()
    qtbot.keyClicks(widget, text)


def test_survey_from_new_to_finalised(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    business_id = business(ctx)
    page = JobPage(ctx, window=None, kind="umkm_survey")
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: page.list is not None)
    page.open_record(None, business_id=business_id)
    form = page.form
    assert form is not None
    qtbot.waitUntil(lambda: not form.loading)
    assert form.parent_label.text() == "Keripik Pisang Ratna"

    type_into(qtbot, form, "capital", "45000000")
    # grouped as the officer types, in the screens' language (English here)
    assert form.rows["capital"].editor.widget.text() == "45,000,000"
    qtbot.waitUntil(lambda: form.result.headline.text() in ("Usaha Mikro", "Micro enterprise"))
    type_into(qtbot, form, "online_sales_share", "140")
    qtbot.waitUntil(lambda: form.rows["online_sales_share"].message.isVisible())
    type_into(qtbot, form, "online_sales_share", "40")
    qtbot.waitUntil(lambda: not form.rows["online_sales_share"].message.isVisible())

    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "umkm_survey", form.record_id)
    assert saved["capital"] == 45_000_000 and saved["online_sales_share"] == 40
    assert saved["size_class"] == "mikro" and saved["status"] == "draft"

    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: True)
    form.finalise_button.click()
    qtbot.waitUntil(lambda: form.read_only)
    assert records.get(ctx.store, "umkm_survey", form.record_id)["status"] == "finalised"
    assert not form.rows["capital"].editor.widget.isEnabled() or form.rows["capital"].editor.widget.isReadOnly()
    assert form.correct_button.isVisibleTo(form)

    form.back_button.click()
    qtbot.waitUntil(lambda: page.currentWidget() is page.list)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1)
    page.list.search.setFocus()
    qtbot.keyClicks(page.list.search, "kerip")
    qtbot.waitUntil(lambda: page.list.model.query.filter.text == "kerip")
    drain(qtbot, ctx)
    assert page.list.model.rowCount() == 1
    qtbot.keyClicks(page.list.search, "zzz")
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 0)


def test_a_half_typed_form_comes_back_after_a_crash(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    business_id = business(ctx)
    page = JobPage(ctx, window=None, kind="umkm_survey")
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list is not None)
    page.open_record(None, business_id=business_id)
    form = page.form
    qtbot.waitUntil(lambda: not form.loading)
    type_into(qtbot, form, "online_sales_share", "250")  # invalid: cannot be saved as a record
    type_into(qtbot, form, "needs", "Modal untuk oven")
    qtbot.wait(1300)  # the snapshot is written a second after typing stops
    drain(qtbot, ctx)
    from desktop_app.services import snapshots

    kept = snapshots.of_officer(ctx.store, ctx.actor.officer_id)
    assert len(kept) == 1 and kept[0].values["needs"] == "Modal untuk oven"
