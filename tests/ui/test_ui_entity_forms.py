"""An officer registers a business: a mistyped NIK is named at its field
while typing, Enter moves on as on a paper form, the list shows the NIK
masked and a whole NIK finds it; a business with visits cannot be deleted."""

from __future__ import annotations


import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktop_app.services import listing, records
from desktop_app.ui import i18n
from desktop_app.ui.job_pages import JobPage
from desktop_app.ui.record_form import RecordForm
from tests.services.services_forms import (
    NIK_SITI, applicant_form, business_form, cooperative_form, survey_form,
)
from tests.support.gui import drain

#: 15 digits, and 99 is no regency of Lampung (18).
SHORT_NIK = "189901410190000"
BAD_REGION_NIK = "1899014101900001"
MASKED_SITI = NIK_SITI[:4] + "*" * 8 + NIK_SITI[-4:]
#: The kelurahan Kedaton of the district Kedaton, Bandar Lampung.
KEDATON = "18.71.01.1003"


pytestmark = pytest.mark.usefixtures("indonesian")


def business_page(qtbot, ctx, kind: str = "business") -> JobPage:  # type: ignore[no-untyped-def]
    page = JobPage(ctx, window=None, kind=kind)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()  # keyboard focus needs an active window, even offscreen
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: page.list is not None)
    return page


def new_business(qtbot, page: JobPage) -> RecordForm:  # type: ignore[no-untyped-def]
    page.list.new_button.click()
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    return page.form


def type_into(qtbot, form: RecordForm, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the field and type into whatever has the focus, as a person does."""
    widget = form.rows[field].editor.widget
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    if isinstance(widget, QLineEdit):
        widget.clear()
    qtbot.keyClicks(QApplication.focusWidget(), text)


def choose_district(qtbot, form: RecordForm, code: str) -> None:  # type: ignore[no-untyped-def]
    district = form.rows["district_code"].editor
    district.widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is district.widget)
    while district.value() != code:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)


def pick_village(qtbot, form: RecordForm, typed: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Type part of the village's name into its field, take the suggestion."""
    village = form.rows["village_code"].editor.widget
    village.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (village, village.lineEdit()))
    qtbot.keyClicks(QApplication.focusWidget(), typed)
    popup = village.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert name in shown and all(typed.lower() in s.lower() for s in shown)
    while popup.currentIndex().data() != name:
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: village.currentText() == name)


def test_a_wrong_nik_is_named_at_its_field_as_it_is_typed(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Fifteen digits: the length; sixteen with an unknown regency: the region; right: nothing."""
    form = new_business(qtbot, business_page(qtbot, ctx))
    message = form.rows["owner_nik"].message
    type_into(qtbot, form, "owner_nik", SHORT_NIK)
    qtbot.waitUntil(lambda: message.isVisible() and "16 digit" in message.text())
    assert "15 digit" in message.text() and message.text().startswith("NIK harus")
    type_into(qtbot, form, "owner_nik", BAD_REGION_NIK)
    qtbot.waitUntil(lambda: "kabupaten/kota" in message.text())
    type_into(qtbot, form, "owner_nik", NIK_SITI)
    qtbot.waitUntil(lambda: not message.isVisible())


def test_in_english_the_nik_message_is_english(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The same rule speaks the officer's language."""
    i18n.install("en")
    form = new_business(qtbot, business_page(qtbot, ctx))
    message = form.rows["owner_nik"].message
    type_into(qtbot, form, "owner_nik", SHORT_NIK)
    qtbot.waitUntil(lambda: message.isVisible() and "exactly 16 digits; 15 were entered" in message.text())


def test_enter_moves_to_the_next_field(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Enter in a one-line field moves on instead of saving half a record."""
    form = new_business(qtbot, business_page(qtbot, ctx))
    name = form.rows["name"].editor.widget
    type_into(qtbot, form, "name", "Kopi Robusta Siti")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.rows["owner_name"].editor.widget)
    assert form.record_id is None  # Enter did not save


def test_saved_business_is_listed_masked_and_found_by_its_nik(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Typed in the form, saved, listed with the NIK masked, found by the whole NIK."""
    page = business_page(qtbot, ctx)
    form = new_business(qtbot, page)
    values = business_form()
    for field in ("name", "owner_name", "owner_nik", "nib", "phone"):
        type_into(qtbot, form, field, values[field])
    choose_district(qtbot, form, values["district_code"])
    pick_village(qtbot, form, "dato", "Kedaton")
    form.save_button.click()
    qtbot.waitUntil(lambda: form.record_id is not None)
    saved = records.get(ctx.store, "business", form.record_id)
    assert (saved["owner_nik"], saved["village_code"], saved["village"]) == (
        NIK_SITI, KEDATON, "Kedaton")

    form.back_button.click()
    table = page.list
    qtbot.waitUntil(lambda: page.currentWidget() is table and table.model.rowCount() == 1)
    nik_column = [c.key for c in table.model.columns].index("nik")
    assert table.model.index(0, nik_column).data() == MASKED_SITI
    table.search.setFocus()
    qtbot.keyClicks(table.search, NIK_SITI)
    qtbot.waitUntil(lambda: table.model.query.filter.text == NIK_SITI)
    drain(qtbot, ctx)
    assert table.model.rowCount() == 1
    assert table.model.index(0, 0).data() == "Kopi Robusta Siti"
    assert table.model.index(0, nik_column).data() == MASKED_SITI
    table.search.clear()
    qtbot.keyClicks(table.search, "1871014101900009")  # another whole NIK: nobody
    qtbot.waitUntil(lambda: table.model.rowCount() == 0)


def test_a_business_with_visits_is_not_deleted(qtbot, ctx, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    """Delete asks, the store refuses, the officer reads why, and nothing changes."""
    business_id = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    records.save(ctx.store, ctx.actor, "umkm_survey", survey_form(business_id))
    modal_dialogs.allow_errors = True
    page = business_page(qtbot, ctx)
    page.open_record(business_id)
    form = page.form
    qtbot.waitUntil(lambda: not form.loading)
    assert form.delete_button.isVisibleTo(form)
    form.delete_button.click()
    qtbot.waitUntil(lambda: bool(modal_dialogs.errors))
    assert modal_dialogs.questions == ["Hapus data ini?"]
    shown = i18n.message_of(modal_dialogs.errors[0])
    assert shown.startswith("Data ini masih memiliki data kunjungan") and " / " not in shown
    assert page.form is form and page.currentWidget() is form  # still open
    assert records.get(ctx.store, "business", business_id)["name"] == "Kopi Robusta Siti"
    assert listing.list_records(ctx.store, "business", listing.ListFilter()).total == 1


class WindowsShown(QObject):
    """Counts windows that appear: a widget shown before it has a parent
    flashes up as a window of its own and takes the keyboard focus."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.shown.append(watched.metaObject().className())
        return False


@pytest.mark.parametrize("kind", ["business", "umkm_survey", "cooperative_audit", "aid_verification"])
def test_a_list_and_a_form_open_no_stray_window(qtbot, ctx, kind) -> None:  # type: ignore[no-untyped-def]
    """Only the page itself is shown as a window, and the first field keeps the focus."""
    parents = {"umkm_survey": ("business_id", "business", business_form()),
               "cooperative_audit": ("cooperative_id", "cooperative", cooperative_form()),
               "aid_verification": ("applicant_id", "aid_applicant", applicant_form())}
    initial = {}
    if kind in parents:
        field, parent_kind, values = parents[kind]
        initial[field] = records.save(ctx.store, ctx.actor, parent_kind, values).record["id"]
    watcher = WindowsShown()
    QApplication.instance().installEventFilter(watcher)
    try:
        page = JobPage(ctx, window=None, kind=kind)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.list is not None)
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)
        page.open_record(None, **initial)
        qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert watcher.shown == ["JobPage"]
    assert page.isActiveWindow()


def test_the_village_follows_the_district(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The village list is the chosen district's; another district empties
    the choice, and a name typed that is on no list is named at the field."""
    form = new_business(qtbot, business_page(qtbot, ctx))
    village = form.rows["village_code"].editor
    assert village.widget.count() == 1  # '—' until a district is chosen
    choose_district(qtbot, form, "18.71.01")
    kedaton = [village.widget.itemData(i) for i in range(village.widget.count())]
    assert KEDATON in kedaton and all(c.startswith("18.71.01.") for c in kedaton if c)
    pick_village(qtbot, form, "kedat", "Kedaton")
    assert village.value() == KEDATON
    choose_district(qtbot, form, "18.71.02")
    assert village.value() == ""
    assert all(village.widget.itemData(i).startswith("18.71.02.")
               for i in range(1, village.widget.count()))
    widget = village.widget
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (widget, widget.lineEdit()))
    qtbot.keyClicks(QApplication.focusWidget(), "Kampung Antah")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # close any suggestion list
    message = form.rows["village_code"].message
    qtbot.waitUntil(lambda: message.isVisible() and "daftar" in message.text())


def test_an_applicant_needs_the_sku_when_the_business_is_elsewhere(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Saying the business is not at the KTP address asks for its address and
    SKU number; a KK number of 15 digits is named at its field."""
    form = new_business(qtbot, business_page(qtbot, ctx, "aid_applicant"))
    type_into(qtbot, form, "kk_number", "187101230415000")
    kk = form.rows["kk_number"].message
    qtbot.waitUntil(lambda: kk.isVisible() and "16 digit" in kk.text())
    type_into(qtbot, form, "kk_number", "1871012304150003")
    qtbot.waitUntil(lambda: not kk.isVisible())
    differs = form.rows["business_location_differs"].editor.widget
    differs.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is differs)
    while form.rows["business_location_differs"].editor.value() is not True:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    sku = form.rows["sku_number"].message
    qtbot.waitUntil(lambda: sku.isVisible() and "SKU" in sku.text())
    assert form.rows["business_address"].message.isVisible()
    type_into(qtbot, form, "sku_number", "470/88/SKU/2021")
    qtbot.waitUntil(lambda: not sku.isVisible())
