"""The sync bar at the bottom of the main window, always visible.

It answers the officer's three questions at a glance (is there a
connection, is anything of mine still on this laptop only, when did it last
reach the province) and offers the one action, 'Sync now'. It also syncs by
itself: a cheap GET /health every PROBE_SECONDS (backing off while there is
no signal, never while a sync runs) and, when the server answers and
something waits, a sync. All network and database work runs on the lanes;
this widget only shows what comes back.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget,
)

from ..models import RECORD_KINDS
from ..models.errors import TapisError
from ..models.types import utc_now
from ..services import formats, sync_status
from ..services.sync_run import probe
from . import i18n
from .context import AppContext
from .settings import AUTO_SYNC, PROBE_SECONDS, SERVER_URL
from .sync_worker import SyncJob
from .tasks import DB, NET
from . import numbers

if TYPE_CHECKING:
    from ..sync.engine import Progress, SyncSummary

log = logging.getLogger(__name__)

#: The probe interval grows up to this many times PROBE_SECONDS while offline.
MAX_BACKOFF = 8
#: With nothing waiting, an automatic sync still pulls when the last one is older.
PULL_AFTER = timedelta(minutes=30)
#: Counts are re-read this long after the last change (a batch import saves many).
REFRESH_DELAY_MS = 400


def human_bytes(size: int) -> str:
    """1234567 -> '1,2 MB' with the office's decimal comma."""
    if size < 1024:
        return f"{numbers.number(size)} B"
    if size < 1024 * 1024:
        return f"{numbers.number(size / 1024, 1)} KB"
    return f"{numbers.number(size / (1024 * 1024), 1)} MB"


class SyncBar(QFrame):
    """Online state, what waits, the last sync, progress, and Sync now / Cancel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("syncBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.online: bool | None = None  # None: not asked yet
        self.job: SyncJob | None = None
        self.status: sync_status.Status | None = None
        self.misses = 0  # failed probes in a row, for the back-off
        self._probing = False
        self._closed = False
        self._decide_when_counted = False  # the server answered before the counts came
        self._build()
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.timeout.connect(self.probe_now)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        ctx.events.listen(self, ctx.events.records_changed, self._records_changed)
        ctx.events.listen(self, ctx.events.account_changed, lambda _account: self._after_account())
        self._show_state()
        self.refresh()
        self._probe_timer.start(0)

    # --- layout ------------------------------------------------------------------

    def _build(self) -> None:
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("syncWaiting")
        self.last_label = QLabel()
        self.last_label.setObjectName("syncLast")
        self.message_label = QLabel()
        self.message_label.setObjectName("syncMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(140)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("syncProgressText")
        # Shrinks with the window (the full text is in the tooltip): a long
        # progress line at 150 % fonts must not push the window past 1366 px.
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("syncCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setToolTip(self.tr("Send what waits on this laptop and fetch what "
                                            "others changed"))
        self.sync_button.clicked.connect(self.sync_now)
        # Shown once a sync set aside changes it could not apply (ui/set_aside.py).
        self.set_aside_button = QPushButton(self.tr("Set aside…"))
        self.set_aside_button.setObjectName("syncSetAside")
        self.set_aside_button.setToolTip(self.tr("Changes from the server this laptop could not "
                                                 "apply, with the reason"))
        self.set_aside_button.clicked.connect(self.show_set_aside)
        self.set_aside_button.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(14)
        for widget in (self.state_label, self.waiting_label, self.last_label):
            row.addWidget(widget)
        row.addWidget(self.message_label, 1)
        row.addWidget(self.progress_label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.set_aside_button)
        row.addWidget(self.sync_button)

    # --- what the bar shows -----------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self.job is not None

    def _show_state(self) -> None:
        if self.ctx.practice:  # the practice workspace is never synced
            self.state_label.setText(self.tr("<span style='color:#8a5a00'>●</span> Practice: "
                                             "never synced"))
            self.sync_button.setEnabled(False)
            self.progress.hide()
            self.progress_label.hide()
            self.cancel_button.hide()
            return
        if self.online is None:
            text, colour = self.tr("Checking connection…"), "#666666"
        elif self.online:
            text, colour = self.tr("Online"), "#1b7a33"
        else:
            text, colour = self.tr("Offline"), "#a3441b"
        self.state_label.setText(f"<span style='color:{colour}'>●</span> {text}")
        self.progress.setVisible(self.syncing)
        self.progress_label.setVisible(self.syncing)
        self.message_label.setVisible(not self.syncing)
        self.cancel_button.setVisible(self.syncing)
        self.cancel_button.setEnabled(self.syncing and not self.job.cancelling)  # type: ignore[union-attr]
        self.sync_button.setEnabled(not self.syncing and self.ctx.account is not None)

    def _show_status(self, status: sync_status.Status) -> None:
        self.status = status
        if self._decide_when_counted:
            self._decide_when_counted = False
            if self.online and self._wants_sync():
                QTimer.singleShot(0, self, self.sync_now)
        waiting = status.waiting
        if waiting.anything:
            text = self.tr("Waiting to send: {records} records, {photos} photos").format(
                records=numbers.number(waiting.records), photos=numbers.number(waiting.photos))
        else:
            text = self.tr("Nothing waiting to send")
        self.waiting_label.setText(text)
        when = formats.local_time(status.last_success, i18n.language()) if status.last_success \
            else self.tr("never")
        self.last_label.setText(self.tr("Last sync: {when}").format(when=when))
        if waiting.parked and not self.message_label.text():
            self._say(self.tr("{count} changes were refused by the server and are kept here; "
                              "the office can see why.").format(count=numbers.number(waiting.parked)),
                      warning=True)

    def _say(self, text: str, *, warning: bool = False) -> None:
        self.message_label.setStyleSheet("color: #a3441b;" if warning else "")
        self.message_label.setText(text)
        self.message_label.setToolTip(text)

    def refresh(self) -> None:
        """Re-read what waits and the last sync (database lane)."""
        if self._closed:
            return
        self.ctx.run(sync_status.status, self.ctx.store, lane=DB, owner=self) \
            .success(self._show_status)

    def _records_changed(self, _kind: str) -> None:
        self._refresh_timer.start()  # one read after a burst of saves

    def _after_account(self) -> None:
        self._say("")
        self._show_state()
        self.refresh()

    # --- sync -----------------------------------------------------------------------

    def sync_now(self) -> None:
        """Start a sync unless one runs; the officer asked, so say why when we cannot."""
        if self.syncing or self._closed:
            return
        if self.ctx.practice:
            self._say(self.tr("This is the practice workspace: nothing in it is ever sent to "
                              "the server."), warning=True)
            return
        account = self.ctx.account
        if account is None:
            return
        if not account.has_token:
            self._say(self.tr("Sign in again with the password (when there is a connection) "
                              "to sync."), warning=True)
            return
        self._probe_timer.stop()
        self.job = SyncJob(self.ctx, account, self)
        self.job.progress.connect(self._show_progress)
        self.progress.setRange(0, 0)  # busy until the first progress arrives
        self.progress_label.setText(self.tr("Starting…"))
        self._say("")
        self._show_state()
        self.job.start().success(self._synced).failure(self._sync_failed).finally_(self._sync_ended)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("Stopping…"))
            self._show_state()

    def _show_progress(self, progress: Progress) -> None:
        if self.job is None:
            return
        phase = {"push": self.tr("Sending records"), "upload": self.tr("Sending photos"),
                 "pull": self.tr("Receiving records")}.get(progress.phase, progress.phase)
        if progress.phase == "upload":
            counts = self.tr("{done} of {total}").format(done=human_bytes(progress.done),
                                                         total=human_bytes(progress.total))
        else:
            counts = self.tr("{done} of {total}").format(done=numbers.number(progress.done),
                                                         total=numbers.number(progress.total))
        sent = self.tr("{sent} sent, {received} received").format(
            sent=human_bytes(progress.bytes_sent), received=human_bytes(progress.bytes_received))
        self.progress_label.setText(f"{phase}: {counts} · {sent}")
        self.progress_label.setToolTip(self.progress_label.text())
        if progress.total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(progress.done, progress.total) / progress.total))
        else:
            self.progress.setRange(0, 0)

    def _synced(self, summary: SyncSummary) -> None:
        self.online = True
        self.misses = 0
        parts = [self.tr("Sync finished: {pushed} sent, {pulled} received.").format(
            pushed=numbers.number(summary.pushed + summary.duplicates),
            pulled=numbers.number(summary.pulled))]
        if summary.parked:
            parts.append(self.tr("{count} changes were refused by the server and are kept here; "
                                 "the office can see why.").format(
                count=numbers.number(len(summary.parked))))
        if summary.conflicts:
            parts.append(self.tr("{count} fields were changed by two officers; a supervisor "
                                 "will choose.").format(count=numbers.number(summary.conflicts)))
        if getattr(summary, "set_aside", 0):
            parts.append(self.tr("{count} changes from the server could not be applied here and "
                                 "were set aside (see Set aside…).").format(
                count=numbers.number(summary.set_aside)))
            self.set_aside_button.show()
        self._say(" ".join(parts), warning=bool(summary.parked or getattr(summary, "set_aside", 0)))
        if summary.pulled or summary.reference_rows:
            for kind in RECORD_KINDS:
                self.ctx.events.records_changed.emit(kind)
        self.ctx.events.sync_finished.emit(summary)

    def show_set_aside(self) -> None:
        from .set_aside import show_set_aside

        self._set_aside_dialog = show_set_aside(self.ctx, self.window())

    def _sync_failed(self, error: BaseException) -> None:
        from ..sync.client import Offline, ServerRefused  # loaded by the sync that failed
        from ..sync.engine import Cancelled

        if isinstance(error, Cancelled):
            self._say(self.tr("Sync cancelled; it goes on from there next time."))
        elif isinstance(error, ServerRefused) and error.status == 401:
            if self.ctx.account is not None:
                self.ctx.account = replace(self.ctx.account, has_token=False)
            self._say(self.tr("The server no longer accepts this laptop's sign-in. Sign in again "
                              "with the password."), warning=True)
        elif isinstance(error, Offline):
            self.online = False
            self._say(i18n.message_of(error), warning=True)
        else:
            if not isinstance(error, TapisError):
                log.error("sync failed", exc_info=(type(error), error, error.__traceback__))
            self._say(i18n.message_of(error), warning=True)
        self.ctx.events.sync_finished.emit(None)

    def _sync_ended(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
        self.job = None
        self._show_state()
        self.refresh()
        self._schedule_probe()

    # --- automatic sync: probe the server, sync when it answers --------------------------

    def server_url(self) -> str:
        account = self.ctx.account
        return account.server_url if account and account.server_url \
            else str(self.ctx.settings.get(SERVER_URL))

    def probe_interval_ms(self) -> int:
        """PROBE_SECONDS while online; doubling (to MAX_BACKOFF times) while offline."""
        base = max(5, int(self.ctx.settings.get(PROBE_SECONDS)))
        return base * 1000 * min(MAX_BACKOFF, 2 ** self.misses)

    def probe_now(self) -> None:
        """Ask /health on the network lane; never while a sync or another probe runs."""
        if self.syncing or self._probing or self._closed or self.ctx.practice:
            return
        self._probing = True
        self.ctx.run(probe, self.server_url(), lane=NET, owner=self) \
            .success(self._probed).finally_(self._probe_ended)

    def _probe_ended(self) -> None:
        self._probing = False
        if not self.syncing:
            self._schedule_probe()

    def _schedule_probe(self) -> None:
        if not self._closed:
            self._probe_timer.start(self.probe_interval_ms())

    def _probed(self, answered: bool) -> None:
        self.online = answered
        self.misses = 0 if answered else min(self.misses + 1, 8)
        self._show_state()
        if answered and self._wants_sync():
            self.sync_now()

    def _wants_sync(self) -> bool:
        account = self.ctx.account
        if not self.ctx.settings.get(AUTO_SYNC) or account is None or not account.has_token:
            return False
        status = self.status
        if status is None:
            self._decide_when_counted = True
            return False
        return status.waiting.anything or _older_than(status.last_success, PULL_AFTER)

    def shutdown(self) -> None:
        """The window closes: stop probing, ask a running sync to stop at a safe point."""
        self._closed = True
        self._probe_timer.stop()
        self._refresh_timer.stop()
        if self.job is not None:
            self.job.cancel()


def _older_than(moment: datetime | None, age: timedelta) -> bool:
    return moment is None or utc_now() - moment > age
