"""Reports and exports: the lists the offices hand on, the regency summary,
and sync bundles for places with no connection at all.

Every file is written on the DB lane (exports stream 100,000 rows; a PDF is
laid out by Qt's text engine off the GUI thread, on QImage/QPdfWriter only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
    QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from ..models import VisitStatus
from ..services import choices as choice_lists
from ..services import exports, regency_summary
from ..services.report_filter import ReportFilter
from ..protocol import bundle
from ..store.store import Store
from ..sync import bundle_export, relay
from . import dialogs
from .context import AppContext
from .editors import EMPTY_DATE
from .i18n import message_of, tr
from .reports.regency_pdf import write_regency_pdf
from . import numbers


def _regency_pdf(store: Store, regency: str, flt: ReportFilter, out: Path) -> int:
    """The regency summary as it is stored now, laid out as a PDF (DB lane); its page count."""
    return write_regency_pdf(regency_summary.regency_summary(store, regency, flt), out)


class ReportsPage(QScrollArea):
    def __init__(self, ctx: AppContext, window: Any) -> None:
        super().__init__()
        self.ctx, self.window = ctx, window
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(tr("Reports and exports"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        row = QHBoxLayout()
        row.addWidget(self._exports_box(), 1)
        row.addWidget(self._bundle_box(), 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setWidget(body)
        ctx.run(choice_lists.load_choices, ctx.store, owner=self).success(self._choices)
        self._refresh_relayed()

    # --- exports -----------------------------------------------------------------------

    def _exports_box(self) -> QGroupBox:
        box = QGroupBox(tr("Lists and summaries"))
        form = QFormLayout(box)
        self.job = QComboBox()
        self.job.setObjectName("exportJob")
        for key, text in (("surveys", tr("UMKM surveys")),
                          ("cooperatives", tr("Cooperative register with audit results")),
                          ("aid", tr("Aid proposal list"))):
            self.job.addItem(text, key)
        self.regency = QComboBox()
        self.regency.setObjectName("exportRegency")
        self.regency.addItem(tr("All of Lampung"), "")
        self.date_from, self.date_to = self._date(), self._date()
        self.status = QComboBox()
        self.status.setObjectName("exportStatus")
        for code, text in (("", tr("Any status")), (VisitStatus.FINALISED.value, tr("Finalised only")),
                           (VisitStatus.DRAFT.value, tr("Drafts only"))):
            self.status.addItem(text, code)
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        self.format.addItem(tr("Excel workbook (.xlsx)"), "xlsx")
        self.format.addItem(tr("CSV for other programs (.csv)"), "csv")
        form.addRow(tr("List"), self.job)
        form.addRow(tr("Regency/city"), self.regency)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(QLabel(tr("to")))
        period.addWidget(self.date_to)
        period.addStretch(1)
        form.addRow(tr("Visits from"), period)
        form.addRow(tr("Status"), self.status)
        form.addRow(tr("Format"), self.format)
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.choose_export_file)
        self.summary_button = QPushButton(tr("Regency summary (PDF)…"))
        self.summary_button.clicked.connect(self.choose_summary_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.summary_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.export_note = QLabel()
        self.export_note.setWordWrap(True)
        self.export_note.setObjectName("exportNote")
        form.addRow(self.export_note)
        return box

    def _date(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(EMPTY_DATE)
        edit.setSpecialValueText(tr("any"))
        edit.setDate(EMPTY_DATE)
        return edit

    def _choices(self, choices: choice_lists.Choices) -> None:
        for code, name, _ in choices.regencies:
            self.regency.addItem(name, code)
        own = self.ctx.actor.regency_code
        if own:
            self.regency.setCurrentIndex(max(0, self.regency.findData(own)))

    def report_filter(self) -> ReportFilter:
        def day(edit: QDateEdit) -> date | None:
            chosen = edit.date()
            return None if chosen == EMPTY_DATE else date(chosen.year(), chosen.month(), chosen.day())

        return ReportFilter(regency_code=self.regency.currentData() or None,
                            date_from=day(self.date_from), date_to=day(self.date_to),
                            status=self.status.currentData() or None)

    def choose_export_file(self) -> None:
        fmt = self.format.currentData()
        suggested = f"{self.job.currentData()}-{self.regency.currentData() or 'lampung'}-" \
                    f"{date.today():%Y%m%d}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, tr("Export to"), str(Path.home() / suggested),
                                              f"*.{fmt}")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the chosen list to ``path`` on the DB lane."""
        self.export_button.setEnabled(False)
        self.export_note.setText(tr("Exporting…"))
        self.ctx.run(exports.export, self.ctx.store, self.job.currentData(), path,
                     self.report_filter(), fmt=self.format.currentData(), owner=self).success(
            self._exported).failure(self._failed).finally_(lambda: self.export_button.setEnabled(True))

    def _exported(self, result: exports.ExportResult) -> None:
        self.export_note.setText(tr("{rows} rows written to {path}").format(
            rows=numbers.number(result.rows), path=result.path))

    def _failed(self, error: BaseException) -> None:
        self.export_note.setText("")
        dialogs.show_error(self, error)

    def choose_summary_file(self) -> None:
        regency = self.regency.currentData()
        if not regency:
            dialogs.inform(self, tr("Choose a regency"),
                           tr("The summary is made for one regency or city: choose it first."))
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save the summary as"),
            str(Path.home() / f"ringkasan-{regency}-{date.today():%Y%m%d}.pdf"), "*.pdf")
        if path:
            self.summary_to(Path(path))

    def summary_to(self, path: Path) -> None:
        self.summary_button.setEnabled(False)
        self.export_note.setText(tr("Making the summary…"))
        self.ctx.run(_regency_pdf, self.ctx.store, self.regency.currentData(), self.report_filter(), path,
                     owner=self).success(
            lambda pages: self.export_note.setText(tr("Summary written to {path}").format(path=path))
        ).failure(self._failed).finally_(lambda: self.summary_button.setEnabled(True))

    # --- bundles -----------------------------------------------------------------------

    def _bundle_box(self) -> QGroupBox:
        box = QGroupBox(tr("Sync without a connection (USB bundle)"))
        layout = QVBoxLayout(box)
        explain = QLabel(tr("No signal for weeks? Put everything not yet sent into one encrypted "
                            "file, carry it to the office on a USB stick or send it by chat. The "
                            "office imports it and forwards it to the province. It is safe to "
                            "sync normally later: nothing is applied twice."))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        buttons = QHBoxLayout()
        self.bundle_button = QPushButton(tr("Make a bundle…"))
        self.bundle_button.clicked.connect(self.choose_bundle_file)
        self.import_button = QPushButton(tr("Import a bundle from a laptop…"))
        self.import_button.clicked.connect(self.choose_import_file)
        buttons.addWidget(self.bundle_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.bundle_note = QLabel()
        self.bundle_note.setWordWrap(True)
        self.bundle_note.setObjectName("bundleNote")
        layout.addWidget(self.bundle_note)
        layout.addWidget(QLabel(tr("Bundles imported here, waiting for or sent to the server:")))
        self.relayed = QListWidget()
        self.relayed.setObjectName("relayedBundles")
        layout.addWidget(self.relayed, 1)
        self.ctx.events.listen(self, self.ctx.events.sync_finished, lambda _s: self._refresh_relayed())
        return box

    def choose_bundle_file(self) -> None:
        name = f"tapis-{date.today():%Y%m%d}-{self.ctx.store.device_id[:8]}.tapisbundle"
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the bundle as"), str(Path.home() / name),
                                              "*.tapisbundle")
        if path:
            self.bundle_to(Path(path))

    def bundle_to(self, path: Path) -> None:
        """Write every unsent change and photo to ``path`` on the DB lane."""
        self.bundle_button.setEnabled(False)
        self.bundle_note.setText(tr("Making the bundle…"))
        self.ctx.run(bundle_export.export_bundle, self.ctx.store, path, owner=self).success(
            self._bundled).failure(self._bundle_failed).finally_(
            lambda: self.bundle_button.setEnabled(True))

    def _bundle_failed(self, error: BaseException) -> None:
        """Nothing unsent is good news, said beside the button; other refusals
        (no key yet, a full stick) need the officer to act, so they are errors."""
        if isinstance(error, bundle.BundleError) and error.reason == "nothing_to_send":
            self.bundle_note.setText(message_of(error))
            return
        self.bundle_note.setText("")
        dialogs.show_error(self, error)

    def _bundled(self, result: bundle_export.ExportResult) -> None:
        size = f"{numbers.number(result.size_bytes / 1024, 0)} KB"
        if len(result.parts) == 1:
            text = tr("{changes} changes and {photos} photos in {path} ({size}).").format(
                changes=numbers.number(result.changes), photos=numbers.number(result.photos),
                path=result.path, size=size)
        else:
            text = tr("{changes} changes and {photos} photos in {n} bundles, more than one bundle "
                      "may hold ({size}): {paths}. Import them in this order.").format(
                changes=numbers.number(result.changes), photos=numbers.number(result.photos),
                n=numbers.number(len(result.parts)), size=size,
                paths=", ".join(part.path.name for part in result.parts))
        if result.photos_left:
            text += " " + tr("{n} photos did not fit and go with the next bundle or sync.").format(
                n=numbers.number(result.photos_left))
        self.bundle_note.setText(text)

    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Choose a bundle"), str(Path.home()),
                                              "*.tapisbundle")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        self.ctx.run(relay.import_bundle, self.ctx.store, path, owner=self).success(
            self._imported).failure(lambda error: dialogs.show_error(self, error))

    def _imported(self, entry: relay.Relayed) -> None:
        if entry.newly_imported:
            self.bundle_note.setText(tr("Imported {changes} changes and {photos} photos; they go to "
                                        "the server with the next sync.").format(
                changes=numbers.number(entry.changes), photos=numbers.number(entry.photos)))
        else:
            self.bundle_note.setText(tr("This bundle was imported before; nothing was added."))
        self._refresh_relayed()

    def _refresh_relayed(self) -> None:
        self.ctx.run(relay.list_relayed, self.ctx.store, owner=self).success(self._show_relayed)

    def _show_relayed(self, entries: list[relay.Relayed]) -> None:
        self.relayed.clear()
        states = {"waiting": tr("waiting for the next sync"), "forwarded": tr("sent to the server"),
                  "refused": tr("refused by the server")}
        for entry in entries:
            line = tr("{when}: {changes} changes, {photos} photos — {state}").format(
                when=entry.created_at[:10], changes=numbers.number(entry.changes),
                photos=numbers.number(entry.photos), state=states.get(entry.state, entry.state))
            if entry.message and entry.state == "refused":
                line += f" ({entry.message})"
            self.relayed.addItem(line)
        if not entries:
            self.relayed.addItem(tr("None yet."))


def create(ctx: AppContext, window: Any) -> ReportsPage:
    return ReportsPage(ctx, window)

