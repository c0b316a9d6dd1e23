"""A4 pages from an HTML document: office header, body, 'Halaman i dari n'.

QTextDocument lays the HTML out in pages of the body's size; each page is
then painted by hand so that every page gets the office header and its own
page number, which QTextDocument.print() cannot do. The document is laid
out against the PDF writer itself (``setPaintDevice``), so point sizes are
real points on paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout, QColor, QFont, QGuiApplication, QImage, QPageLayout, QPageSize,
    QPainter, QPdfWriter, QPen, QTextCursor, QTextDocument, QTextFormat,
)

OFFICE = "DINAS KOPERASI DAN UKM PROVINSI LAMPUNG"
GOVERNMENT = "PEMERINTAH PROVINSI LAMPUNG"
DPI = 300
MM = DPI / 25.4
ACCENT = QColor("#1f5c4a")
FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True, slots=True)
class PageFrame:
    """What is printed around the body of every page."""

    title: str  # the document's title, for the PDF's metadata
    header_right: str  # e.g. 'Laporan Audit Koperasi'
    footer_left: str  # e.g. 'Dicetak 23/11/2026 10.00 WIB oleh Tapis'


def ensure_gui_app() -> QGuiApplication:
    """A QGuiApplication for fonts and painting; the command line has none.
    Without a screen, set QT_QPA_PLATFORM=offscreen before calling."""
    app = QGuiApplication.instance()
    return app if app is not None else QGuiApplication([])  # type: ignore[return-value]


def write_pdf(out: Path, html: str, frame: PageFrame,
              images: Mapping[str, QImage] | None = None) -> int:
    """Render ``html`` to an A4 PDF at ``out``; returns the page count.
    ``images`` are referenced in the HTML by name (``<img src="name">``)."""
    ensure_gui_app()
    writer = QPdfWriter(str(out))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(frame.title)
    writer.setCreator("Tapis")
    page = QRectF(0, 0, writer.width(), writer.height())
    body = page.adjusted(18 * MM, 33 * MM, -18 * MM, -18 * MM)
    document = _document(writer, html, body.size(), images or {})
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            _header(painter, page, frame)
            _body(painter, document, body, index)
            _footer(painter, page, frame, index + 1, pages)
    finally:
        painter.end()
    return pages


def _document(writer: QPdfWriter, html: str, size: QSizeF,
              images: Mapping[str, QImage]) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(_font(9))
    document.setDocumentMargin(0)
    for name, image in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(html)
    document.setPageSize(size)
    _keep_images_whole(document, size.height())
    return document


def _keep_images_whole(document: QTextDocument, page_height: float) -> None:
    """A photo or chart that would be cut by a page end starts a new page,
    and takes its heading along (an orphaned heading reads as a mistake)."""
    layout = document.documentLayout()
    block = document.begin()
    previous = []
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        crosses = int(rect.top() // page_height) != int((rect.bottom() - 1) // page_height)
        if crosses and "\ufffc" in block.text() and rect.height() < page_height:
            heading = next((b for b in reversed(previous[-2:]) if b.blockFormat().headingLevel()), None)
            target = heading or block
            cursor = QTextCursor(target)
            fmt = target.blockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            cursor.setBlockFormat(fmt)
        previous.append(block)
        block = block.next()


def _body(painter: QPainter, document: QTextDocument, body: QRectF, index: int) -> None:
    painter.save()
    painter.translate(body.left(), body.top() - index * body.height())
    clip = QRectF(0, index * body.height(), body.width(), body.height())
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = clip
    document.documentLayout().draw(painter, context)
    painter.restore()


def _header(painter: QPainter, page: QRectF, frame: PageFrame) -> None:
    left, right, top = 18 * MM, page.width() - 18 * MM, 12 * MM
    painter.setPen(QColor("#444444"))
    painter.setFont(_font(7.5))
    painter.drawText(QPointF(left, top + 4 * MM), GOVERNMENT)
    painter.setPen(ACCENT)
    painter.setFont(_font(11, bold=True))
    painter.drawText(QPointF(left, top + 10 * MM), OFFICE)
    painter.setFont(_font(8.5, bold=True))
    painter.drawText(QRectF(left, top, right - left, 6 * MM),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                     frame.header_right)
    painter.setPen(QPen(ACCENT, 0.6 * MM))
    painter.drawLine(QPointF(left, top + 13 * MM), QPointF(right, top + 13 * MM))


def _footer(painter: QPainter, page: QRectF, frame: PageFrame, number: int, total: int) -> None:
    left, right = 18 * MM, page.width() - 18 * MM
    line_y = page.height() - 13 * MM
    painter.setPen(QPen(QColor("#999999"), 0.2 * MM))
    painter.drawLine(QPointF(left, line_y), QPointF(right, line_y))
    painter.setPen(QColor("#444444"))
    painter.setFont(_font(7.5))
    text_box = QRectF(left, line_y + 1.5 * MM, right - left, 5 * MM)
    painter.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft), frame.footer_left)
    painter.drawText(text_box, int(Qt.AlignmentFlag.AlignRight), f"Halaman {number} dari {total}")


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    # No ligatures: 'Efisiensi' must stay six letters for a search or a copy from the PDF.
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font
