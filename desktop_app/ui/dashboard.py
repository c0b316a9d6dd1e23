"""The dashboard: the office's figures per regency, in charts.

Figures come from services.dashboard on the DB lane; this page only draws
them. Qt Charts' own number formats know no Indonesian grouping, so every
number on screen is written by services.formats: the count axes carry our
own tick labels and the slices and tiles our own text.
"""

from __future__ import annotations


import math
from html import escape
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QCategoryAxis, QChart, QChartView, QHorizontalBarSeries,
    QPieSeries,
)
from PySide6.QtCore import QCoreApplication, QMargins, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from ..models.rules.health import HealthCategory
from ..models.rules.size_class import SizeClass
from ..services import formats
from ..services.dashboard import Dashboard, dashboard, regencies
from ..services.office_reports import OfficeReport, office_report
from ..store import Store
from . import i18n
from .context import AppContext
from . import dialogs
from .i18n import QT_TRANSLATE_NOOP, pick
from . import numbers

ALL = ""
#: A chart's height: two rows of charts with their legends under four tiles
#: fit a 1366x768 window without scrolling (legends never below the fold).
CHART_HEIGHT = 200
#: Tapis colours: the woven cloth's gold, rust and indigo, then calm greys.
PALETTE = ("#b8860b", "#8a3b12", "#2f4b7c", "#4f8a5b", "#9a9a9a")
HEALTH_COLOURS = {"sehat": "#4f8a5b", "cukup_sehat": "#b8c24a", "dalam_pengawasan": "#d08a2c",
                  "dalam_pengawasan_khusus": "#a63a2a", "": "#b0b0b0"}
VERDICT_COLOURS = {"eligible": "#4f8a5b", "not_eligible": "#a63a2a", "incomplete": "#b0b0b0"}


VERDICT_NAMES = {"eligible": QT_TRANSLATE_NOOP("DashboardPage", "Eligible"),
                 "not_eligible": QT_TRANSLATE_NOOP("DashboardPage", "Not eligible"),
                 "incomplete": QT_TRANSLATE_NOOP("DashboardPage", "Incomplete")}


def load(store: Store, regency_code: str | None, with_regencies: bool) -> tuple[list[tuple[str, str]], Dashboard]:
    """One trip to the DB lane: the selector's regencies (first time) and the figures."""
    return (regencies(store) if with_regencies else [], dashboard(store, regency_code))


def month_label(day: date, *, year: bool = False) -> str:
    """'Nov' on the axis; 'Nov 2026' in the title, which says which year."""
    name = formats.MONTHS["en" if i18n.language() == "en" else "id"][day.month - 1][:3]
    return f"{name} {day.year}" if year else name


def size_name(code: str) -> str:
    if not code:
        return QCoreApplication.translate("DashboardPage", "Not classed")
    size = SizeClass(code)
    return i18n.pick(size.label_id, size.label_en)


def health_name(code: str) -> str:
    if not code:
        return QCoreApplication.translate("DashboardPage", "Not scored")
    category = HealthCategory(code)
    return i18n.pick(category.label_id, category.label_en)


def count_axis(top: int) -> QCategoryAxis:
    """A count axis whose ticks are written the Indonesian way (1.250, not 1250)."""
    step = _nice_step(max(top, 1))
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    # one step above the top value when it falls on a tick: a bar of the
    # top value reaching the plot's edge looks cut off
    ticks = max(top, 1) // step + 1 if max(top, 1) % step == 0 else math.ceil(max(top, 1) / step)
    axis.setRange(0, step * ticks)
    axis.append("0", 0)
    for i in range(1, ticks + 1):
        axis.append(numbers.number(step * i), step * i)
    axis.setStartValue(0)
    return axis


def _nice_step(top: int) -> int:
    raw = top / 4
    magnitude = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), QFont().pointSizeF()) * 1.05)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setBackgroundVisible(False)
    return chart


def bar_chart(title: str, labels: list[str], values: list[int], *, horizontal: bool = False,
              colour: str = PALETTE[0]) -> QChart:
    chart = _chart(title)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    bars = QBarSet(title)
    bars.setColor(QColor(colour))
    bars.append([float(v) for v in values])
    series.append(bars)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append(labels)
    counts = count_axis(max(values, default=0))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    series.attachAxis(counts)
    chart.legend().hide()
    return chart


def pie_chart(title: str, slices: list[tuple[str, int, str]], *, hole: float = 0.0) -> tuple[QChart, str]:
    """Slices (name, count, colour), empty ones left out, and the legend as
    rich text: Qt Charts' own legend elides long Indonesian names."""
    chart = _chart(title)
    series = QPieSeries()
    series.setHoleSize(hole)
    series.setPieSize(0.9)
    total = sum(n for _, n, _ in slices)
    lines = []
    shown = [s for s in slices if s[1]]
    for name, count, colour in slices:
        if count:
            piece = series.append(name, float(count))
            piece.setColor(QColor(colour))
            if len(shown) == 1:  # a whole pie: its one edge would be a stray line from the centre
                piece.setBorderColor(QColor(colour))
        share = numbers.percent(count / total, 1) if total else ""
        lines.append(f'<span style="color:{colour}">&#9632;</span>&nbsp;{escape(name)}: '
                     f"<b>{numbers.number(count)}</b>" + (f" ({share})" if share else ""))
    chart.addSeries(series)
    chart.legend().hide()
    legend = "<br>".join(lines) if total else escape(QCoreApplication.translate("DashboardPage", "No finalised records yet"))
    return chart, legend


class ChartView(QChartView):
    """A chart that asks for CHART_HEIGHT, not QChartView's 480 pixels (which
    pushed the second row's legends below the window's edge)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, CHART_HEIGHT)


class ChartBox(QFrame):
    """A chart with its legend written beneath it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("chartbox")
        self.view = ChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setStyleSheet("background: white; border: none;")
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 10)
        column.setSpacing(2)
        column.addWidget(self.view, 1)
        column.addWidget(self.legend)

    def set_chart(self, chart: QChart, legend: str = "") -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.legend.setText(legend)
        self.legend.setVisible(bool(legend))


class Tile(QFrame):
    """A headline figure: a big number over a short caption."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.value = QLabel("–")
        self.value.setObjectName("tile-value")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 8, 14, 8)
        column.setSpacing(0)
        column.addWidget(self.value)
        column.addWidget(self.caption)


class DashboardPage(QWidget):
    def __init__(self, ctx: AppContext, window: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.window = ctx, window
        self.figures: Dashboard | None = None
        self.loading = False
        self.setStyleSheet("QFrame#tile, QFrame#chartbox { background: white; border: 1px solid palette(mid);"
                           " border-radius: 10px; } QLabel#tile-value { color: #8a3b12; }"
                           " QFrame#chartbox QLabel { padding-left: 10px; }")
        title = QLabel(self.tr("Dashboard"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.regency = QComboBox()
        self.regency.setMinimumContentsLength(22)
        self.regency.setAccessibleName(self.tr("Regency or city"))
        self.regency.addItem(self.tr("All Lampung"), ALL)
        own = ctx.account.regency_code if ctx.account else None
        if own:
            self.regency.addItem(own, own)  # named once the regencies are read
            self.regency.setCurrentIndex(1)
        self.regency.currentIndexChanged.connect(lambda _i: self.refresh())
        self.note = QLabel(self.tr("Finalised records only; a corrected record counts once."))
        self.note.setObjectName("note")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Regency/city:")))
        top.addWidget(self.regency)
        self.tiles = {key: Tile(caption) for key, caption in (
            ("surveys", self.tr("UMKM surveys done")),
            ("digital", self.tr("of surveyed businesses sell online")),
            ("audits", self.tr("cooperatives audited")),
            ("verified", self.tr("aid applicants verified")))}
        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        self.views = {key: ChartBox() for key in ("surveys", "digital", "sizes", "health", "verdicts")}
        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.views["surveys"], 0, 0, 1, 2)
        grid.addWidget(self.views["digital"], 0, 2)
        grid.addWidget(self.views["sizes"], 1, 0)
        grid.addWidget(self.views["health"], 1, 1)
        grid.addWidget(self.views["verdicts"], 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        # the office's questions (services/office_reports.py): each channel, naik kelas,
        # exports, active cooperatives and the RAT
        self.views["channels"] = ChartBox()
        self.office = QLabel()
        self.office.setObjectName("officeFigures")
        self.office.setWordWrap(True)
        self.office.setTextFormat(Qt.TextFormat.RichText)
        office_box = QFrame()
        office_box.setObjectName("chartbox")
        QVBoxLayout(office_box).addWidget(self.office)
        grid.addWidget(self.views["channels"], 2, 0, 1, 2)
        grid.addWidget(office_box, 2, 2)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(tiles)
        column.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.timer = QTimer(self, singleShot=True, interval=500)
        self.timer.timeout.connect(self.refresh)
        ctx.events.listen(self, ctx.events.records_changed, lambda _kind: self.timer.start())
        ctx.events.listen(self, ctx.events.sync_finished, lambda _summary: self.timer.start())
        self.named = False
        self.refresh()

    def selected_regency(self) -> str | None:
        return self.regency.currentData() or None

    def refresh(self) -> None:
        if self.loading:
            self.timer.start()
            return
        self.loading = True
        (self.ctx.run(load, self.ctx.store, self.selected_regency(), not self.named, owner=self)
         .success(self._show).failure(lambda e: dialogs.show_error(self, e))
         .finally_(self._done))
        self.ctx.run(office_report, self.ctx.store, self.selected_regency(), owner=self) \
            .success(self._show_office)

    def _show_office(self, report: OfficeReport) -> None:
        if report.regency_code != self.selected_regency():
            return
        self.office_report = report
        used = [(name, n) for _, name, n in report.channels if n][:10]
        self.views["channels"].set_chart(bar_chart(
            pick("Usaha per kanal digital (survei terbaru)", "Businesses per digital channel "
                 "(latest survey)"), [name for name, _ in reversed(used)],
            [n for _, n in reversed(used)], horizontal=True), "")
        up = sum(n.up for n in report.naik_kelas)
        pairs = sum(n.pairs for n in report.naik_kelas)
        years = ", ".join(f"{n.year}: {formats.number(n.up)}" for n in report.naik_kelas) or "–"
        places = ", ".join(p for p, _ in report.destinations[:5]) or "–"
        lines = [
            (pick("Naik kelas", "Moved up a class"),
             f"{formats.number(up)} / {formats.number(pairs)} ({years})"),
            (pick("Usaha pengekspor", "Exporting businesses"),
             f"{formats.number(report.exporters)} / {formats.number(report.surveyed)}"),
            (pick("Tujuan ekspor", "Export destinations"), places),
            (pick("Koperasi aktif", "Active cooperatives"),
             f"{formats.number(report.active_cooperatives)} / {formats.number(report.cooperatives)}"),
            (pick("Koperasi aktif dengan RAT", "Active cooperatives that held the RAT"),
             formats.number(report.rat_held)),
        ]
        self.office.setText("<table cellpadding='3'>" + "".join(
            f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
            for k, v in lines) + "</table>")

    def _done(self) -> None:
        self.loading = False

    def _name_regencies(self, names: list[tuple[str, str]]) -> None:
        current = self.selected_regency()
        self.regency.blockSignals(True)
        while self.regency.count() > 1:
            self.regency.removeItem(1)
        for code, name in names:
            self.regency.addItem(name, code)
        index = self.regency.findData(current) if current else 0
        self.regency.setCurrentIndex(max(index, 0))
        self.regency.blockSignals(False)
        self.named = True

    def _show(self, loaded: tuple[list[tuple[str, str]], Dashboard]) -> None:
        names, figures = loaded
        if names:
            self._name_regencies(names)
        if figures.regency_code != self.selected_regency():
            return  # the officer chose another regency meanwhile; its read is queued
        self.figures = figures
        self.tiles["surveys"].value.setText(numbers.number(figures.surveys_done))
        self.tiles["digital"].value.setText(numbers.percent(figures.digital_share, 0) or "–")
        self.tiles["audits"].value.setText(numbers.number(figures.audited_cooperatives))
        self.tiles["verified"].value.setText(numbers.number(figures.verified_applicants))
        for key, (chart, legend) in self._charts(figures).items():
            self.views[key].set_chart(chart, legend)
        # fifteen regency names need room to be read; twelve months do not
        self.views["surveys"].view.setMinimumHeight(CHART_HEIGHT if figures.regency_code else 430)

    def _charts(self, f: Dashboard) -> dict[str, tuple[QChart, str]]:
        if f.regency_code:
            first, last = f.surveys_by_month[0][0], f.surveys_by_month[-1][0]
            surveys = bar_chart(self.tr("UMKM surveys done per month, {first} – {last}").format(
                first=month_label(first, year=True), last=month_label(last, year=True)),
                [month_label(m) for m, _ in f.surveys_by_month], [n for _, n in f.surveys_by_month])
        else:
            rows = list(reversed(f.surveys_by_regency))  # top to bottom by code
            surveys = bar_chart(self.tr("UMKM surveys done per regency/city"),
                                [r.name for r in rows], [r.count for r in rows], horizontal=True)
        without = f.surveyed_businesses - f.digital_businesses
        return {
            "surveys": (surveys, ""),
            "digital": pie_chart(self.tr("Digital adoption"), [
                (self.tr("Sells online"), f.digital_businesses, PALETTE[0]),
                (self.tr("Offline only"), without, PALETTE[4])], hole=0.45),
            "sizes": pie_chart(self.tr("Business size classes"), [
                (size_name(code), n, PALETTE[i % len(PALETTE)])
                for i, (code, n) in enumerate(f.size_classes.items())]),
            "health": pie_chart(self.tr("Cooperative health"), [
                (health_name(code), n, HEALTH_COLOURS.get(code, PALETTE[4]))
                for code, n in f.health_categories.items()]),
            "verdicts": pie_chart(self.tr("Aid verification verdicts"), [
                (QCoreApplication.translate("DashboardPage", VERDICT_NAMES.get(code, code)), n, VERDICT_COLOURS.get(code, PALETTE[4]))
                for code, n in f.verdicts.items()]),
        }


def create(ctx: AppContext, window: Any) -> QWidget:
    return DashboardPage(ctx, window)
