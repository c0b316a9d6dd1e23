"""An officer takes a backup, keeps working, then restores the backup from
the Backups page: the window comes back on the old data as a new device, and
the database it replaced is listed so the restore can be undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.services import listing, records
from desktop_app.ui.app import TapisApp, make_application
from desktop_app.ui.backups_page import BackupsPage
from tests.services.services_forms import business_form
from tests.support.gui import make_context


@pytest.fixture
def tapis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indonesian):  # type: ignore[no-untyped-def]
    """The running application with one window; signing in again is answered
    as if the officer typed the PIN."""
    make_application()
    context = make_context(tmp_path / "data")
    app = TapisApp(context.store)
    app.ctx.account = context.account
    monkeypatch.setattr(app, "sign_in", lambda: True)
    yield app
    if app.window is not None:
        app.window.close()
    app.close()


def names(app: TapisApp) -> list[str]:  # type: ignore[no-untyped-def]
    page = listing.list_records(app.ctx.store, "business", listing.ListFilter())
    return sorted(row["title"] for row in page.rows)


def test_restore_brings_back_the_old_data_as_a_new_device(qtbot, tapis, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    """Backup, new work, restore: old data, new device id, the replaced file kept and listed."""
    records.save(tapis.ctx.store, tapis.ctx.actor, "business", business_form(name="Kopi Lama"))
    window = tapis.show_window()  # the application owns it: it is replaced after a restore
    page = window.show_page("backups")
    assert isinstance(page, BackupsPage)
    page.take_button.click()
    qtbot.waitUntil(lambda: page.note.text() == "Cadangan dibuat.")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 1).text() == "Cadangan berkala"

    records.save(tapis.ctx.store, tapis.ctx.actor, "business",
                 business_form(name="Keripik Baru", owner_nik="1871011503850007"))
    assert names(tapis) == ["Keripik Baru", "Kopi Lama"]
    old_device = tapis.ctx.store.device_id

    page.table.selectRow(0)
    page.restore_button.click()
    assert modal_dialogs.questions == ["Pulihkan cadangan ini?"]
    qtbot.waitUntil(lambda: tapis.window is not window)
    assert names(tapis) == ["Kopi Lama"]  # the store reopened holds the backup's data
    assert tapis.ctx.store.device_id != old_device

    again = tapis.window.show_page("backups")
    qtbot.waitUntil(lambda: again.table.rowCount() == 2)
    kinds = sorted(again.table.item(row, 1).text() for row in range(2))
    assert kinds == ["Cadangan berkala", "Sebelum pemulihan"]
    kept = next(e for e in again.entries if e.kind == "before-restore")
    assert kept.path.exists() and kept.path.name.startswith("tapis-before-restore-")
