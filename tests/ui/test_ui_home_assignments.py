"""Home's cards from the office's assignments (pulled into the laptop's
``assignment`` table at each sync): "Visits assigned to you" lists surveys
and verifications overdue first, each line opening the right new visit, and
the audit card follows the audit plan instead of every cooperative of the
regency."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from desktop_app.models.types import utc_now
from desktop_app.store import Store
from desktop_app.store.local_tables import AssignmentRow
from desktop_app.ui.context import AppContext
from tests.ui.test_ui_home import OFFICER, FakeWindow, ctx, line, loaded, saved, store  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english() -> Any:
    from tests.support.sync_gui import screens_in

    with screens_in("en"):
        yield


def assign(store: Store, kind: str, table: str, target: str, due: date | None) -> None:
    with store.write() as session:
        session.add(AssignmentRow(id=f"{kind}-{target}", officer_id=OFFICER, kind=kind,
                                  target_table=table, target_id=target, due_date=due,
                                  note="", assigned_at=utc_now() - timedelta(days=30),
                                  pulled_at=utc_now()))


def test_assigned_visits_overdue_first_and_the_audit_plan(qtbot: Any, ctx: AppContext,
                                                          store: Store) -> None:
    today = date.today()
    shop = saved(store, "business", {"name": "Warung Bu Sri", "owner_name": "Sri Wahyuni",
                                     "owner_nik": "1871014506900001", "regency_code": "18.71",
                                     "district_code": "18.71.01", "village": "Way Halim"})
    applicant = saved(store, "aid_applicant", {
        "full_name": "Rahmat Hidayat", "nik": "1871011503850007", "aid_round": "bpum-2021",
        "regency_code": "18.71", "district_code": "18.71.01", "village": "Kedaton"})
    planned, other = (saved(store, "cooperative", {
        "name": name, "cooperative_type": "simpan_pinjam", "regency_code": "18.71",
        "members_male": 10, "members_female": 10}) for name in ("KSP Rencana", "KSP Lain"))
    assign(store, "verification", "aid_applicant", applicant, today + timedelta(days=9))
    assign(store, "survey", "business", shop, today - timedelta(days=2))
    assign(store, "audit", "cooperative", planned, today + timedelta(days=30))
    window = FakeWindow()
    page = loaded(qtbot, ctx, window)

    visits = [b for b in page.lines() if str(b.property("target")).startswith("new:")
              and "cooperative_audit" not in str(b.property("target"))]
    assert [b.property("target") for b in visits] == [f"new:umkm_survey:{shop}",
                                                      f"new:aid_verification:{applicant}"]
    assert "OVERDUE since" in visits[0].text() and "due " in visits[1].text()
    visits[0].click()
    line(page, f"new:aid_verification:{applicant}").click()
    assert window.calls == [("record", "umkm_survey", None, {"business_id": shop}),
                            ("record", "aid_verification", None, {"applicant_id": applicant})]
    assert page.summary.audits_planned and page.summary.audits_due.total == 1
    line(page, f"new:cooperative_audit:{planned}")
    assert f"new:cooperative_audit:{other}" not in [b.property("target") for b in page.lines()]
    assert "1871011503850007" not in " ".join(b.text() for b in page.lines())
