"""The approvals page on a regency office's laptop: the officers' finalised
verdicts wait in a table (NIK masked); a return without a note is refused
with the reason on the page; an approval leaves the queue and is a record
that syncs."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from desktop_app.services import records
from desktop_app.ui.approvals_page import ApprovalsPage
from tests.services.services_forms import applicant_form, verification_form
from tests.support.gui import make_context


@pytest.fixture
def office(tmp_path):
    from tests.support.gui import officer
    context = make_context(tmp_path / "data", account=dataclasses.replace(officer(),
                                                                          role="supervisor"))
    yield context
    context.runner.wait()
    context.store.close()


@pytest.mark.usefixtures("indonesian")
def test_the_office_returns_with_a_note_and_approves(qtbot, office):
    ids = []
    for n, nik in enumerate(("1871011503850007", "1871015503850002")):
        applicant = records.save(office.store, office.actor, "aid_applicant",
                                 applicant_form(full_name=f"Pemohon {n}", nik=nik)).record
        draft = records.save(office.store, office.actor, "aid_verification",
                             verification_form(applicant["id"])).record
        ids.append(records.finalise(office.store, office.actor, "aid_verification",
                                    draft["id"])["id"])
    page = ApprovalsPage(office)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    assert page.table.item(0, 1).text() == "1871********0007"
    assert page.forward.text() == "Setujui"
    page.back.click()  # no note
    qtbot.waitUntil(lambda: "alasan pengembalian" in page.message.text())
    page.forward.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert "Disetujui" not in page.counts.text() and "Menunggu penerimaan provinsi: 1" in \
        page.counts.text()
    with sqlite3.connect(office.store.db_path) as conn:
        logged = conn.execute("SELECT count(*) FROM change_log WHERE table_name = 'aid_decision' "
                              "AND push_state = 'pending'").fetchone()[0]
    assert logged == 1
