"""'Survei baru' for a business not registered yet: the picker says nothing
matches, and offers to register it (its form opens with the name typed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.ui.job_pages import EntityPicker
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("indonesian")


def test_an_empty_search_says_so_and_the_business_can_be_created(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, str] = {}

    def in_the_picker() -> None:
        picker = QApplication.activeModalWidget()
        if not isinstance(picker, EntityPicker):
            QTimer.singleShot(20, in_the_picker)
            return
        picker.search.setFocus()
        qtbot.keyClicks(picker.search, "Warung Baru")
        qtbot.waitUntil(lambda: picker.empty.isVisible() and "Warung Baru" in picker.empty.text())
        seen["empty"] = picker.empty.text()
        seen["button"] = picker.create_button.text()
        picker.create_button.click()

    QTimer.singleShot(0, in_the_picker)
    page = window.show_page("umkm_survey")
    qtbot.waitUntil(lambda: page.list is not None)
    page.open_record(None)  # Survei baru
    assert seen["empty"].startswith("Tidak ada usaha (UMKM) yang cocok dengan \"Warung Baru\"")
    assert "Usaha (UMKM) baru" in seen["button"].replace("&", "")
    business = window.pages["business"]
    qtbot.waitUntil(lambda: business.form is not None and not business.form.loading)
    assert window.stack.currentWidget() is business
    assert business.form.rows["name"].editor.value() == "Warung Baru"
    window.close()
