"""The application window opens on a fresh data folder."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop_app.store import open_store
from desktop_app.ui.app import MainWindow


def test_main_window_shows_where_the_data_lives(qtbot, tmp_path):
    """An officer starting Tapis sees the window with the version and data folder."""
    store = open_store(tmp_path)
    window = MainWindow(store.data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert any(str(tmp_path) in t for t in texts)
    store.close()
