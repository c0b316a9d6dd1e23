"""Issue 16 item 17: the audit PDF's table text stands clear of the cell
borders, and the signature block has room above it. Measured on the
report's own layout at the PDF writer's 300 dpi (the page painted into an
image the same way it is painted into the PDF)."""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QImage, QPainter, QTextCursor, QTextDocument, QTextTable

from desktop_app.services.audit_report import audit_report
from desktop_app.ui.reports.audit_pdf import audit_html
from desktop_app.ui.reports.pdf_pages import DPI, MM, _document, ensure_gui_app
from tests.reports.test_reports_pdf import NOW

BODY = QSizeF(174 * MM, 246 * MM)  # A4 less pdf_pages' margins


def laid_out(store, known) -> tuple[QTextDocument, QImage]:  # type: ignore[no-untyped-def]
    ensure_gui_app()
    image = QImage(int(BODY.width()), int(BODY.height()) * 2, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(DPI / 0.0254))
    image.setDotsPerMeterY(round(DPI / 0.0254))
    image.fill(Qt.GlobalColor.white)
    html = audit_html(audit_report(store, known.audit_latest, now=NOW), has_photo=False)
    document = _document(image, html, BODY, {})  # type: ignore[arg-type]
    painter = QPainter(image)
    document.drawContents(painter)
    painter.end()
    return document, image


def block_rect(document: QTextDocument, text: str):  # type: ignore[no-untyped-def]
    block = document.begin()
    while block.isValid():
        if text in block.text():
            return document.documentLayout().blockBoundingRect(block), block
        block = block.next()
    raise AssertionError(f"{text!r} not in the report")


def test_table_text_stands_clear_of_the_cell_borders(store, known) -> None:  # type: ignore[no-untyped-def]
    """Every bordered cell keeps its text at least 5 CSS pixels (1.3 mm on
    the page, as pdftoppm shows) from its side borders; the padding written
    before (3pt, read as the writer's dots) left it touching them."""
    document, _image = laid_out(store, known)
    tables: dict[int, QTextTable] = {}
    block = document.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            tables[table.firstPosition()] = table
        block = block.next()
    grids = [t for t in tables.values()  # the bordered ones, by their first header
             if t.cellAt(0, 0).firstCursorPosition().block().text() in ("Pos keuangan", "No")]
    assert len(grids) >= 2  # finances, health aspects
    for table in grids:
        for row in range(table.rows()):
            for column in range(table.columns()):
                cell = table.cellAt(row, column).format().toTableCellFormat()
                assert cell.leftPadding() >= 5 and cell.rightPadding() >= 5
                assert cell.topPadding() >= 1


def test_the_signature_block_has_room_above_it(store, known) -> None:  # type: ignore[no-untyped-def]
    document, _image = laid_out(store, known)
    last, _ = block_rect(document, "Buat notulen rapat pengurus.")
    signature, _ = block_rect(document, "Petugas pemeriksa")
    assert (signature.top() - last.bottom()) / MM >= 5  # two lines of text, at least
