"""Starting the GUI: the QApplication, the store, the main window.

The full screens arrive with the GUI work; until then the window shows what
the store holds, so an officer can see the application is alive and where
its data lives.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from .. import __version__
from ..store import migrate, open_store


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Tapis — Pendataan Koperasi dan UMKM Lampung"))
        self.resize(1366, 768)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        title = QLabel(self.tr("Tapis {version}").format(version=__version__), body)
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        where = QLabel(self.tr("Data tersimpan di: {path}").format(path=data_dir), body)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addStretch(1)
        self.setCentralWidget(body)


def run_gui(data_dir: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        store = open_store(data_dir)
    except migrate.DatabaseTooNew as exc:
        QMessageBox.critical(None, "Tapis", str(exc))
        return 1
    window = MainWindow(store.data_dir)
    window.show()
    code = app.exec()
    store.close()
    return code
