"""Starting the GUI: the QApplication, the store, the main window.

The full screens arrive with the GUI work; until then the window shows what
the store holds, so an officer can see the application is alive and where
its data lives.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from .. import __version__, startup_checks
from ..resources import resources_dir
from ..store import migrate, open_store

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The woven-tapis icon (resources/icons/tapis.png); empty if missing."""
    return QIcon(str(resources_dir() / "icons" / "tapis.png"))


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Tapis — Pendataan Koperasi dan UMKM Lampung"))
        self.setWindowIcon(app_icon())
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


def refuse_to_start(message: str) -> int:
    """Tell the officer why Tapis cannot start (a dialog, never a traceback); exit code 1."""
    log.error("cannot start: %s", message.replace("\n", " "))
    QMessageBox.critical(None, "Tapis", message)
    return 1


def run_gui(data_dir: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setWindowIcon(app_icon())
    problem = startup_checks.startup_problem(data_dir)  # data folder writable, database not newer
    if problem is not None:
        return refuse_to_start(problem)
    try:
        store = open_store(data_dir)
    except migrate.DatabaseTooNew as exc:
        return refuse_to_start(str(exc))
    except Exception as exc:  # a locked or damaged file, a full disk: say so, details in the log
        log.exception("opening the store failed")
        return refuse_to_start(startup_checks.open_failed_message(data_dir, exc))
    window = MainWindow(store.data_dir)
    window.show()
    code = app.exec()
    store.close()
    return code
