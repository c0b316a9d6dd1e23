"""Horizontal bar charts drawn with QPainter into an image for a PDF.

Drawn by hand rather than with QtCharts: one small function, no extra Qt
module in the installer, and the same pixels on every machine.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from ...services.formats import number

BAR = QColor("#2e7d64")
TRACK = QColor("#e6efeb")
TEXT = QColor("#222222")


def bar_chart(lines: list[tuple[str, int]], *, width: int = 2000, row_height: int = 84,
              font_family: str = "DejaVu Sans") -> QImage:
    """One bar per (label, count), longest bar = largest count, the count at
    the bar's end. ``width`` is in pixels (300 dpi: 2000 px is about 17 cm)."""
    height = max(1, len(lines)) * row_height + 8
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(11811)  # 300 dpi, so fonts below are in real points
    image.setDotsPerMeterY(11811)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(font_family)
    font.setPointSizeF(9)
    painter.setFont(font)
    label_width, count_width = width * 0.32, width * 0.12
    track = width - label_width - count_width
    largest = max((count for _, count in lines), default=0) or 1
    for row, (label, count) in enumerate(lines):
        top = 4 + row * row_height
        bar_top, bar_height = top + row_height * 0.18, row_height * 0.64
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, top, label_width - 16, row_height),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
        painter.fillRect(QRectF(label_width, bar_top, track, bar_height), TRACK)
        painter.fillRect(QRectF(label_width, bar_top, track * count / largest, bar_height), BAR)
        painter.drawText(QRectF(width - count_width + 12, top, count_width - 12, row_height),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), number(count))
    painter.end()
    return image
