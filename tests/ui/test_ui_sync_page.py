"""The changes the server refused are on a screen, each with its reason and
what to do (open the record to correct it), beside the sync history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop_app.models.types import utc_now
from desktop_app.services import records
from desktop_app.store import outbox
from desktop_app.store.local_tables import ChangeLog, SyncHistory
from desktop_app.ui.sync_page import SyncPage
from tests.services.services_forms import business_form
from tests.support.gui import drain

pytestmark = pytest.mark.usefixtures("indonesian")


class Window:
    def __init__(self) -> None:
        self.opened: list[tuple[str, str]] = []

    def open_record(self, kind: str, record_id: str) -> None:
        self.opened.append((kind, record_id))


def test_refused_changes_show_the_reason_and_open_the_record(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    saved = records.save(ctx.store, ctx.actor, "business", business_form()).record
    with ctx.store.read() as session:
        seqs = session.scalars(select(ChangeLog.seq).where(ChangeLog.row_id == saved["id"])).all()
    outbox.acknowledge(ctx.store, through_seq=0, parked={
        seq: "Isian 'Nomor HP' harus 10-13 digit. Perbaiki isiannya. / "
             "'Phone' must have 10-13 digits. Correct the entry." for seq in seqs})
    with ctx.store.write() as session:
        now = utc_now()
        session.add(SyncHistory(started_at=now - timedelta(seconds=9), finished_at=now, ok=1,
                                pushed=12, pulled=30, message=f"{len(seqs)} parked"))
    window = Window()
    page = SyncPage(ctx, window)
    qtbot.addWidget(page)
    page.resize(1146, 640)
    page.show()
    qtbot.waitUntil(lambda: page.refused_table.rowCount() == 1 and page.history_table.rowCount() == 1)
    table = page.refused_table
    assert table.item(0, 0).text() == "Kopi Robusta Siti"
    assert table.item(0, 3).text().startswith("Isian 'Nomor HP' harus 10-13 digit")
    assert table.item(0, 4).text().startswith("Buka data ini, perbaiki isian")
    assert "ditolak oleh server" in page.refused_note.text()
    assert page.history_table.item(0, 1).text() == "Selesai" and page.history_table.item(0, 2).text() == "12"
    page.open_button.click()
    assert window.opened == [("business", saved["id"])]
    drain(qtbot, ctx)
