"""Qt's own words on screen are Indonesian too: the right-click menu of a
text field, the buttons of Qt's dialogs, the file dialog (PySide6 ships no
Indonesian for Qt, so the application carries it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit

pytestmark = pytest.mark.usefixtures("indonesian")


def test_a_text_fields_menu_is_indonesian(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit("Kopi")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    shown = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert {"Urungkan", "Potong", "Salin", "Tempel", "Hapus", "Pilih Semua"} <= set(shown), shown


def test_qt_dialog_buttons_and_the_file_dialog_are_indonesian(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Simpan", "Batal"}
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Nama berkas:"
    dialog = QFileDialog(None, "Pilih foto")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    assert "Batal" in {b.text() for b in dialog.findChildren(type(box.buttons()[0]))}
