"""Nothing is cut at 1366x768, nor at a 150 % font: every list column is
as wide as its header and its widest text (a date keeps its year, a regency
its name), the name column takes the rest, and a long name in a form's
title ends in '…'."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication

from desktop_app.services import records
from desktop_app.ui.job_pages import JobPage
from tests.services.services_forms import cooperative_form, survey_form, business_form
from tests.support.gui import drain

pytestmark = pytest.mark.usefixtures("indonesian")

LONG = "Koperasi Simpan Pinjam Karya Usaha Bersama Sejahtera Makmur Sentosa Lampung Timur"


@pytest.fixture(params=[1.0, 1.5], ids=["100%", "150%"])
def font_scale(request, qapp):  # type: ignore[no-untyped-def]
    saved = QFont(qapp.font())
    font = QFont(saved)
    font.setPointSizeF(saved.pointSizeF() * request.param)
    qapp.setFont(font)
    yield request.param
    qapp.setFont(saved)


def shown_page(qtbot, ctx, kind: str) -> JobPage:  # type: ignore[no-untyped-def]
    page = JobPage(ctx, window=None, kind=kind)
    qtbot.addWidget(page)
    page.resize(1366 - 220, 640)  # the window's inside less the navigation
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.list is not None)
    return page


@pytest.mark.parametrize("kind", ["umkm_survey", "business"])
def test_list_columns_fit_their_header_and_text(qtbot, ctx, font_scale, kind) -> None:  # type: ignore[no-untyped-def]
    business = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    records.save(ctx.store, ctx.actor, "umkm_survey",
                 survey_form(business, visit_date=date(2026, 9, 28)))
    page = shown_page(qtbot, ctx, kind)
    table, model = page.list.table, page.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    drain(qtbot, ctx)
    qtbot.wait(50)
    cells, heads = table.fontMetrics(), table.horizontalHeader().fontMetrics()
    for column, spec in enumerate(model.columns):
        width = table.columnWidth(column)
        header = model.headerData(column, Qt.Orientation.Horizontal)
        assert heads.horizontalAdvance(header) + 16 <= width, (font_scale, spec.key, header)
        text = model.index(0, column).data() or ""
        assert cells.horizontalAdvance(text) + 8 <= width, (font_scale, spec.key, text)


def test_the_filters_keep_their_text_at_any_font(qtbot, ctx, font_scale) -> None:  # type: ignore[no-untyped-def]
    """Every filter shows its whole text (the chosen regency's name, the
    village placeholder); where the row is too narrow for the captions before
    the regency and district filters they give way, and each filter keeps
    its name for a screen reader and as a tooltip."""
    page = shown_page(qtbot, ctx, "umkm_survey")
    listing = page.list
    qtbot.wait(50)
    village, regency = listing.village, listing.regency
    metrics = village.fontMetrics()
    assert village.width() >= metrics.horizontalAdvance(village.placeholderText()) + 16, font_scale
    wanted = regency.fontMetrics().horizontalAdvance(regency.currentText())
    assert regency.width() >= wanted + 20, (font_scale, regency.currentText(), regency.width())
    assert regency.accessibleName() and listing.district.toolTip()
    from PySide6.QtCore import QPoint

    for widget in (listing.status, listing.mine, village):  # inside the page, not past its edge
        assert widget.isVisible()
        assert widget.mapTo(listing, QPoint(widget.width(), 0)).x() <= listing.width(), widget
    if font_scale == 1.0:  # 1366 wide at 100 %: one row, with the captions
        assert all(c.isVisible() for c in listing.filter_captions)
        assert abs(listing.mine.mapTo(listing, QPoint(0, 0)).y()
                   - village.mapTo(listing, QPoint(0, 0)).y()) < village.height() // 2
    page.resize(2400, 640)  # wide: one row, with the captions, at any font
    qtbot.waitUntil(lambda: all(c.isVisible() for c in listing.filter_captions))
    assert abs(listing.mine.mapTo(listing, QPoint(0, 0)).y()
               - village.mapTo(listing, QPoint(0, 0)).y()) < village.height() // 2


def test_a_long_name_in_the_form_title_ends_in_an_ellipsis(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    saved = records.save(ctx.store, ctx.actor, "cooperative", cooperative_form(name=LONG)).record
    page = shown_page(qtbot, ctx, "cooperative")
    page.resize(1024, 600)
    page.open_record(saved["id"])
    qtbot.waitUntil(lambda: page.form is not None and not page.form.loading)
    title = page.form.title
    qtbot.waitUntil(lambda: LONG in title.text())
    QApplication.processEvents()
    assert title.shown().endswith("…") and title.toolTip().endswith(LONG)
    assert title.fontMetrics().horizontalAdvance(title.shown()) <= title.width()


def test_a_long_username_under_the_officer_s_name_is_never_cut(qtbot, tmp_path, font_scale) -> None:  # type: ignore[no-untyped-def]
    """'petugas.bandarlampung' at a 150 % font is wider than the navigation:
    it breaks after a dot instead of running past the edge."""
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.style import STYLE
    from tests.support.gui import make_context, officer

    app = QApplication.instance()
    saved_style = app.styleSheet()
    app.setStyleSheet(STYLE)  # the label's bold and padding, as the application has them
    context = make_context(tmp_path / "data", account=officer("bandarlampung"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    who = window.who
    assert who.text().replace("\u200b", "").endswith("petugas.bandarlampung")
    room = who.contentsRect().width()
    widths = []
    for paragraph in who.text().split("\n"):  # laid out as the label wraps it: at word boundaries
        layout = QTextLayout(paragraph, who.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(room)
            widths.append(line.naturalTextWidth())
        layout.endLayout()
    assert max(widths) <= room, (font_scale, widths, room)
    window.close()
    app.setStyleSheet(saved_style)
    context.runner.wait()
    context.store.close()
