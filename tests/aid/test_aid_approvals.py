"""The approval chain across laptops and the server: the officer's verdict,
the regency office approves or returns it with a note (on its laptop), the
province accepts or returns (server command); an accepted verdict is locked
at the server; each step a synced change, checked again at the server."""

from __future__ import annotations

import pytest

from desktop_app.services import approvals, records
from desktop_app.services.errors import InvalidState, ValidationFailed
from server.__main__ import main as server_main
from tests.aid.lists import row, write_csv
from tests.services.services_forms import verification_form
from tests.support.laptops import Laptop

ROUND = "bpum-2021"


def import_list(server, tmp_path, regency: str, count: int, by: str) -> None:
    path = write_csv(tmp_path / f"{regency}.csv", [row(regency, n) for n in range(1, count + 1)])
    assert server_main(["applicants", "import", ROUND, str(path), "--regency", regency,
                        "--db", server.db_url, "--by", by, "--today", "2021-06-01"]) == 0


def verify_all(laptop: Laptop, verdicts: dict[int, str]) -> dict[str, str]:
    """Verify the laptop's applicants (by list row number): 'eligible' or
    'not_eligible' (the civil-servant check not met); name -> verification id."""
    made = {}
    for applicant in sorted(laptop.rows("aid_applicant").values(), key=lambda a: a["full_name"]):
        n = int(applicant["full_name"].split()[-1])
        if n not in verdicts:
            continue
        form = verification_form(applicant["id"])
        if verdicts[n] == "not_eligible":
            form["check_not_civil_servant"] = "not_met"
        saved = laptop.save("aid_verification", form)
        final = records.finalise(laptop.store, laptop.actor, "aid_verification", saved["id"])
        assert final["verdict"] == verdicts[n]
        made[applicant["full_name"]] = saved["id"]
    return made


def refused(laptop: Laptop, role: str, verification_id: str, level: str, action: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        approvals.decide(laptop.store, laptop.actor, role, verification_id, level, action)
    return caught.value.problems[0].rule


def parked(laptop: Laptop) -> list[str]:
    import sqlite3
    with sqlite3.connect(laptop.store.db_path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT table_name FROM change_log WHERE push_state = 'parked' ORDER BY seq")]


def test_the_chain_from_verdict_to_accepted_and_locked(sync_server, tmp_path, capsys):
    import_list(sync_server, tmp_path, "18.71", 4, "supervisor.bandarlampung")
    officer = Laptop(tmp_path / "officer", sync_server.url, "petugas.bandarlampung")
    office = Laptop(tmp_path / "office", sync_server.url, "supervisor.bandarlampung")
    try:
        officer.sync()
        made = verify_all(officer, {1: "eligible", 2: "eligible", 3: "not_eligible", 4: "eligible"})
        officer.sync()
        office.sync()
        waiting = approvals.queue(office.store, "regency", round_code=ROUND)
        assert sorted(i.full_name for i in waiting) == sorted(made)
        assert {i.masked_nik[4:12] for i in waiting} == {"********"}
        # a return needs a note; an officer is no regency office
        assert refused(office, "supervisor", made["Pemohon 3"], "regency", "return") == \
            "approval.note_required"
        assert refused(officer, "officer", made["Pemohon 1"], "regency", "approve") == \
            "approval.role"
        for name in ("Pemohon 1", "Pemohon 2", "Pemohon 3"):
            approvals.decide(office.store, office.actor, "supervisor", made[name], "regency",
                             "approve")
        approvals.decide(office.store, office.actor, "supervisor", made["Pemohon 4"], "regency",
                         "return", "Foto usaha tidak jelas; kunjungi lagi.")
        assert refused(office, "supervisor", made["Pemohon 1"], "regency", "approve") == \
            "approval.stage"  # approved already
        assert office.sync().parked == []

        assert server_main(["approvals", "list", "--db", sync_server.db_url,
                            "--level", "province"]) == 0
        out = capsys.readouterr().out
        assert "3 verdicts" in out and "Pemohon 4" not in out
        assert server_main(["approvals", "accept", made["Pemohon 1"], made["Pemohon 3"],
                            "--db", sync_server.db_url, "--by", "admin.provinsi"]) == 0
        assert server_main(["approvals", "return", made["Pemohon 2"], "--level", "province",
                            "--note", "KK tidak terbaca", "--db", sync_server.db_url,
                            "--by", "admin.provinsi"]) == 0
        # a supervisor cannot accept; an accepted verdict takes no further step
        assert server_main(["approvals", "accept", made["Pemohon 2"], "--db", sync_server.db_url,
                            "--by", "supervisor.bandarlampung"]) == 2
        assert server_main(["approvals", "return", made["Pemohon 1"], "--level", "province",
                            "--note", "x", "--db", sync_server.db_url,
                            "--by", "admin.provinsi"]) == 2
        assert "locked" in capsys.readouterr().err

        office.sync()
        counts = approvals.counts(office.store, round_code=ROUND)
        assert counts == {approvals.Stage.AT_REGENCY: 1, approvals.Stage.RETURNED: 1,
                          approvals.Stage.AT_PROVINCE: 0, approvals.Stage.ACCEPTED: 2}
        back = approvals.queue(office.store, "regency")
        assert [(i.full_name, i.last_note) for i in back] == [("Pemohon 2", "KK tidak terbaca")]

        # the lock: the officer's correction of an accepted verdict, an edit of its
        # applicant, and a step forged past the laptop's check are refused by the server
        officer.sync()
        with pytest.raises(InvalidState, match="locked"):  # the laptop says so first
            records.supersede(officer.store, officer.actor, "aid_verification", made["Pemohon 1"])
        forged = records.save(officer.store, officer.actor, "aid_verification",
                              verification_form(next(a["id"] for a in officer.rows(
                                  "aid_applicant").values() if a["full_name"] == "Pemohon 1")))
        import sqlite3
        with sqlite3.connect(officer.store.db_path) as conn:  # past the service, as a tool would
            conn.execute("UPDATE aid_verification SET supersedes_id = ? WHERE id = ?",
                         (made["Pemohon 1"], forged.record["id"]))
        accepted_applicant = next(a for a in officer.rows("aid_applicant").values()
                                  if a["full_name"] == "Pemohon 1")
        officer.save("aid_applicant", {"phone": "0811111111"}, record_id=accepted_applicant["id"])
        approvals.decide(officer.store, officer.actor, "supervisor", made["Pemohon 2"], "regency",
                         "approve")  # the laptop believes the role it is told; the server does not
        summary = officer.sync()
        assert parked(officer) == ["aid_verification", "aid_applicant", "aid_decision"]
        assert any("locked" in message for message in summary.parked)
        assert any("supervisor only" in message for message in summary.parked)
        # every step in the audit log (pushed ones and the command line's), never a NIK
        from sqlalchemy import select
        from server.tables import AuditEvent
        with sync_server.database.session() as session:
            lines = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.detail)
                                    .where(AuditEvent.action.like("approval_%"))
                                    .order_by(AuditEvent.id)).all()
            imported = session.scalar(select(AuditEvent.detail).where(
                AuditEvent.action == "applicant_import"))
        assert [(a, who) for a, who, _ in lines] == \
            [("approval_regency_approve", "supervisor.bandarlampung")] * 3 + \
            [("approval_regency_return", "supervisor.bandarlampung")] + \
            [("approval_province_accept", "admin.provinsi")] * 2 + \
            [("approval_province_return", "admin.provinsi")]
        assert imported["imported"] == 4 and imported["assigned"] == {"petugas.bandarlampung": 4}
        assert "1871" not in str([d for _, _, d in lines])
    finally:
        officer.close()
        office.close()
