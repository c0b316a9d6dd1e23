"""The home page as the officer meets it: what waits for them, read off the
GUI thread, and every line opening the work it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import Store, open_store
from desktop_app.sync.account import Account
from desktop_app.ui.context import AppContext
from desktop_app.ui.home import HomePage, create
from desktop_app.ui.settings import Settings

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
TODAY = date(2026, 11, 23)


class FakeWindow:
    """Records what the page asked the main window to open."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def show_page(self, key: str) -> None:
        self.calls.append(("page", key))

    def open_record(self, kind: str, record_id: str | None, **initial: object) -> None:
        self.calls.append(("record", kind, record_id, initial))


def account(role: str = "officer") -> Account:
    return Account(officer_id=OFFICER, username="petugas.bandarlampung", full_name="Andi Saputra",
                   role=role, regency_code="18.71", server_url="http://127.0.0.1:9", has_token=False)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def ctx(store: Store, tmp_path: Path) -> Any:
    context = AppContext(store=store, data_dir=store.data_dir, settings=Settings(store.data_dir),
                         account=account())
    yield context
    context.runner.wait()


def saved(store: Store, kind: str, data: dict[str, Any]) -> str:
    actor = Actor(OFFICER, store.device_id, "18.71")
    return records.save(store, actor, kind, data, today=TODAY).record["id"]


def business(store: Store) -> str:
    return saved(store, "business", {"name": "Kopi Robusta Siti", "owner_name": "Siti Aminah",
                                     "owner_nik": "1871014101900001", "regency_code": "18.71",
                                     "district_code": "18.71.01", "village": "Kedaton"})


def loaded(qtbot: Any, ctx: AppContext, window: FakeWindow) -> HomePage:
    page = create(ctx, window)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.summary is not None and not page.loading, timeout=10_000)
    return page


def line(page: HomePage, target: str) -> Any:
    found = [b for b in page.lines() if b.property("target") == target]
    assert found, [b.property("target") for b in page.lines()]
    return found[0]


def test_a_draft_opens_its_form(qtbot: Any, ctx: AppContext, store: Store) -> None:
    """The officer's draft survey is on the home page; clicking it opens that survey."""
    draft = saved(store, "umkm_survey", {"business_id": business(store), "visit_date": TODAY,
                                         "capital": 50_000_000})
    window = FakeWindow()
    page = loaded(qtbot, ctx, window)
    assert page.summary.draft_total == 1
    button = line(page, f"record:umkm_survey:{draft}")
    assert "Kopi Robusta Siti" in button.text()
    button.click()
    line(page, "page:umkm_survey").click()
    assert window.calls == [("record", "umkm_survey", draft, {}), ("page", "umkm_survey")]


def test_an_assigned_applicant_starts_a_verification(qtbot: Any, ctx: AppContext, store: Store) -> None:
    """An applicant sent down to me opens a new verification for them; the list link opens the register."""
    applicant = saved(store, "aid_applicant", {
        "full_name": "Rahmat Hidayat", "nik": "1871011503850007", "aid_round": "bpum-2021",
        "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton",
        "assigned_officer_id": OFFICER})
    window = FakeWindow()
    page = loaded(qtbot, ctx, window)
    line(page, f"new:aid_verification:{applicant}").click()
    line(page, "page:aid_applicant").click()
    assert window.calls == [("record", "aid_verification", None, {"applicant_id": applicant}),
                            ("page", "aid_applicant")]
    assert "1871011503850007" not in " ".join(b.text() for b in page.lines())


def test_a_save_elsewhere_refreshes_the_page(qtbot: Any, ctx: AppContext, store: Store) -> None:
    """A cooperative saved on another page shows up as due for audit after records_changed."""
    window = FakeWindow()
    page = loaded(qtbot, ctx, window)
    assert page.summary.audits_due.total == 0
    coop = saved(store, "cooperative", {"name": "KSP Sejahtera Bersama", "cooperative_type": "simpan_pinjam",
                                        "regency_code": "18.71", "district_code": "18.71.02"})
    ctx.changed("cooperative")
    qtbot.waitUntil(lambda: page.summary.audits_due.total == 1, timeout=10_000)
    line(page, f"new:cooperative_audit:{coop}").click()
    assert window.calls == [("record", "cooperative_audit", None, {"cooperative_id": coop})]
    assert page.summary.pending_changes >= 1


def test_supervisor_sees_the_conflicts_card(qtbot: Any, store: Store, ctx: AppContext) -> None:
    """A supervisor has a card that opens the conflicts page; an officer has none."""
    window = FakeWindow()
    assert not [b for b in loaded(qtbot, ctx, window).lines() if b.property("target") == "page:conflicts"]
    ctx.account = account("supervisor")
    page = loaded(qtbot, ctx, window)
    line(page, "page:conflicts").click()
    assert window.calls == [("page", "conflicts")]
