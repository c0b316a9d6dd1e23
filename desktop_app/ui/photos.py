"""Photos of a record: pick from a file or the camera folder, see them as
thumbnails, open one larger.

Decoding a 12-megapixel JPEG takes longer than a frame, so files are reduced
(services.photos) and thumbnails scaled on the DB lane as QImages; the GUI
thread only turns finished thumbnails into pixmaps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QGroupBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
    QWidget,
)

from ..services import formats, photos
from ..store.store import Store
from . import dialogs
from .context import AppContext
from .i18n import language, tr

THUMB = 150
PREVIEW = 900


def _thumbnails(store: Store, kind: str, record_id: str) -> list[tuple[dict[str, Any], QImage]]:
    """The record's photos with scaled images (runs on the DB lane)."""
    found = []
    for photo in photos.photos_of(store, kind, record_id):
        image = QImage(photo["path"])
        if not image.isNull():
            image = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        found.append((photo, image))
    return found


def camera_folder() -> str:
    """Where a laptop's camera or a phone copy usually puts pictures."""
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    for candidate in (Path(pictures) / "Camera Roll", Path(pictures), Path.home() / "DCIM"):
        if candidate.is_dir():
            return str(candidate)
    return str(Path.home())


class PhotoStrip(QGroupBox):
    #: a photo carried a GPS position (latitude, longitude)
    location_found = Signal(float, float)
    #: a photo needs a saved record to belong to; the form saves, then calls pick_file
    needs_saved_record = Signal()

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Photos"), parent)
        self.ctx, self.kind = ctx, kind
        self.record_id: str | None = None
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("photoList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(6)
        self.list.itemActivated.connect(self._preview)
        self.empty = QLabel(tr("No photos yet."))
        self.add_button = QPushButton(tr("Add photo…"))
        self.add_button.clicked.connect(self.pick_file)
        self.list.setMinimumHeight(THUMB + 40)
        self.list.hide()
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.add_button)

    def show_for(self, record_id: str, *, editable: bool) -> None:
        self.record_id = record_id
        self.add_button.setEnabled(editable)
        self.ctx.run(_thumbnails, self.ctx.store, self.kind, record_id, owner=self).success(self._show)

    def _show(self, found: list[tuple[dict[str, Any], QImage]]) -> None:
        self.list.clear()
        for photo, image in found:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon(),
                                   formats.local_date(photo.get("taken_at") or photo.get("created_at"),
                                                      language()))
            item.setData(Qt.ItemDataRole.UserRole, photo["path"])
            self.list.addItem(item)
        self.empty.setVisible(not found)
        self.list.setVisible(bool(found))

    def pick_file(self) -> None:
        if self.record_id is None:
            self.needs_saved_record.emit()
            return
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Choose photos"), camera_folder(),
                                                tr("Photos (*.jpg *.jpeg *.png *.heic *.webp)"))
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Attach files (reduced on the DB lane), then show them."""
        if self.record_id is None:
            return
        self.add_button.setEnabled(False)
        self.add_button.setText(tr("Adding photos…"))
        self.ctx.run(photos.attach_photos, self.ctx.store, self.ctx.actor, self.kind, self.record_id,
                     list(paths), owner=self).success(self._attached).failure(lambda error: dialogs.show_error(self, error)).finally_(
            self._ready)

    def _ready(self) -> None:
        self.add_button.setEnabled(True)
        self.add_button.setText(tr("Add photo…"))

    def _attached(self, attached: list[dict[str, Any]]) -> None:
        for photo in attached:
            if photo.get("latitude") is not None and photo.get("longitude") is not None:
                self.location_found.emit(photo["latitude"], photo["longitude"])
                break
        if self.record_id:
            self.show_for(self.record_id, editable=True)

    def _preview(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        self.ctx.run(_scaled, path, owner=self).success(lambda image: PhotoPreview(image, self).exec())


def _scaled(path: str) -> QImage:
    image = QImage(path)
    if image.isNull():
        return image
    return image.scaled(PREVIEW, PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class PhotoPreview(QDialog):
    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Photo"))
        layout = QVBoxLayout(self)
        shown = QLabel()
        shown.setPixmap(QPixmap.fromImage(image))
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(shown)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
