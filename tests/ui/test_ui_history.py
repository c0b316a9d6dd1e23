"""An entity's history on screen: visits with their corrections, changes
with who and when, never a whole NIK, and a visit opens on double-click."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import open_store
from desktop_app.sync.account import Account
from desktop_app.ui.context import AppContext
from desktop_app.ui.history import HistoryDialog, show_history
from desktop_app.ui.settings import Settings

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
TODAY = date(2026, 11, 23)
NIK = "1871014101900001"


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    store = open_store(tmp_path / "data")
    account = Account(officer_id=OFFICER, username="petugas.bandarlampung", full_name="Andi Saputra",
                      role="officer", regency_code="18.71", server_url="", has_token=False)
    context = AppContext(store=store, data_dir=store.data_dir, settings=Settings(store.data_dir),
                         account=account)
    yield context
    context.runner.wait()
    store.close()


def business_with_survey(ctx: AppContext) -> tuple[str, str]:
    actor = Actor(OFFICER, ctx.store.device_id, "18.71")
    business = records.save(ctx.store, actor, "business", {
        "name": "Kopi Robusta Siti", "owner_name": "Siti Aminah", "owner_nik": NIK,
        "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton"}, today=TODAY).record["id"]
    survey = records.save(ctx.store, actor, "umkm_survey", {
        "business_id": business, "visit_date": TODAY, "capital": 50_000_000}, today=TODAY).record["id"]
    records.save(ctx.store, actor, "business", {"phone": "0811111111"}, record_id=business, today=TODAY)
    return business, survey


def texts(tree: Any) -> str:
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        out += [item.text(c) for c in range(tree.columnCount())]
        for j in range(item.childCount()):
            out += [item.child(j).text(c) for c in range(tree.columnCount())]
    return " | ".join(out)


def test_history_shows_visits_and_changes_without_the_nik(qtbot: Any, ctx: AppContext) -> None:
    """The survey is listed by date and officer; the phone change shows old and new; the NIK only masked."""
    business, _survey = business_with_survey(ctx)
    dialog = HistoryDialog(ctx, "business", business)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.view.history is not None, timeout=10_000)
    visits, changes = texts(dialog.view.visits), texts(dialog.view.changes)
    assert "23 November 2026" in visits and "Andi Saputra" in visits
    assert "081234567890" not in changes and "0811111111" in changes
    assert NIK not in changes + visits and "1871********0001" in changes
    assert "Kopi Robusta Siti" in dialog.view.title.text()


def test_double_clicking_a_visit_opens_it_in_the_window(qtbot: Any, ctx: AppContext) -> None:
    """From the history beside a form, a visit opens in the main window."""
    business, survey = business_with_survey(ctx)

    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[tuple[str, str]] = []

        def open_record(self, kind: str, record_id: str) -> None:
            self.opened.append((kind, record_id))

    window = Window()
    qtbot.addWidget(window)
    dialog = show_history(ctx, "business", business, window)
    qtbot.waitUntil(lambda: dialog.view.history is not None, timeout=10_000)
    item = dialog.view.visits.topLevelItem(0)
    dialog.view.visits.itemActivated.emit(item, 0)
    assert window.opened == [("umkm_survey", survey)]
