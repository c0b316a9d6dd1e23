"""The province office and a field laptop, through the office's commands and
the laptop's real sync, on SQLite and PostgreSQL: visits assigned from the
command line (one by one and from a spreadsheet) reach the officer's Home,
overdue first; a one-time password is replaced from the laptop; a
deactivated officer is told in words and a colleague sends the work they
left unsent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from desktop_app.services.home import home_summary
from desktop_app.services.sync_run import sync_signed_in
from desktop_app.store import open_store
from desktop_app.sync import account as accounts
from desktop_app.sync.client import ServerRefused
from server.__main__ import main as server_main
from server.tables import Assignment
from tests.support.laptops import PASSWORD, Laptop

KOTA = "18.71"
PIN = "482915"


def cli(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = server_main([*args, "--db", db_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def business(name: str, nib: str) -> dict:
    return {"name": name, "owner_name": "Ani Rahayu", "owner_nik": "1871014506900001",
            "regency_code": KOTA, "district_code": "18.71.01", "village": "Way Halim", "nib": nib}


def cooperative(name: str) -> dict:
    return {"name": name, "cooperative_type": "simpan_pinjam", "regency_code": KOTA,
            "members_male": 80, "members_female": 40, "legal_entity_no": f"BH-{name[-2:]}"}


def sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_assignments_reach_home_overdue_first_and_close_with_the_visit(
        sync_server, tmp_path, capsys) -> None:
    officer = Laptop(tmp_path / "officer", sync_server.url, "petugas.bandarlampung")
    colleague = Laptop(tmp_path / "colleague", sync_server.url, "supervisor.bandarlampung")
    today = date.today()
    try:
        shops = [officer.save("business", business(f"Warung {n}", f"91200000000{n}{n}"))
                 for n in range(1, 4)]
        coops = [officer.save("cooperative", cooperative(f"KSP Maju {n:02}")) for n in (1, 2)]
        assert officer.sync().pending_left == 0
        db = sync_server.db_url
        late = (today - timedelta(days=3)).isoformat()
        soon = (today + timedelta(days=20)).isoformat()
        for args in (["--kind", "survey", "--target", "912000000002" + "2", "--due", soon],
                     ["--kind", "survey", "--target", shops[0]["id"], "--due", late],
                     ["--kind", "audit", "--target", coops[1]["legal_entity_no"], "--due", soon]):
            code, out, err = cli(capsys, db, "assignments", "add", *args,
                                 "--officer", "petugas.bandarlampung")
            assert code == 0, (out, err)
        # Someone else's regency, and the admin, are refused with their field named.
        code, _, err = cli(capsys, db, "assignments", "add", "--kind", "survey", "--target",
                           shops[2]["id"], "--officer", "petugas.tanggamus")
        assert code == 1 and "another regency" in err
        # A spreadsheet with one wrong row assigns nothing.
        bad = sheet(tmp_path / "plan.xlsx", [
            ["jenis", "rekaman", "petugas", "tenggat"],
            ["audit", coops[0]["id"], "petugas.bandarlampung", soon],
            ["survey", shops[2]["id"], "petugas.nobody", soon],
            ["audit", coops[0]["id"], "petugas.bandarlampung", "31/12/2026"]])
        code, out, err = cli(capsys, db, "assignments", "import", str(bad))
        assert code == 3, (out, err)
        assert "row 3: officer:" in err and "row 4: due_date:" in err
        with sync_server.database.session() as session:
            assert len(session.scalars(select(Assignment)).all()) == 3
        good = sheet(tmp_path / "plan-ok.xlsx", [
            ["jenis", "rekaman", "petugas", "tenggat"],
            ["audit", coops[0]["id"], "petugas.bandarlampung", late]])
        code, out, err = cli(capsys, db, "assignments", "import", str(good))
        assert code == 0 and "assigned 1 visit(s)" in out, err

        summary = officer.sync()
        assert summary.assignments == 4
        assert colleague.sync().assignments == 0  # a colleague's laptop gets none of them
        home = home_summary(officer.store, officer.officer.id, KOTA)
        assert [r.title for r in home.assigned_visits.first] == ["Warung 1", "Warung 2"]
        assert [r.overdue for r in home.assigned_visits.first] == [True, False]
        assert home.audits_planned
        assert [(r.title, r.overdue) for r in home.audits_due.first] == [
            ("KSP Maju 01", True), ("KSP Maju 02", False)]

        code, out, _ = cli(capsys, db, "assignments", "list", "--overdue")
        assert code == 0 and "2 assignment(s), 2 overdue" in out
        # The officer visits the overdue business (and may record an unassigned one too).
        officer.save("umkm_survey", {"business_id": shops[0]["id"], "visit_date": today,
                                     "capital": 50_000_000})
        officer.save("umkm_survey", {"business_id": shops[2]["id"], "visit_date": today,
                                     "capital": 20_000_000})
        home = home_summary(officer.store, officer.officer.id, KOTA)
        assert [r.title for r in home.assigned_visits.first] == ["Warung 2"]
        assert officer.sync().pending_left == 0
        code, out, _ = cli(capsys, db, "assignments", "list", "--status", "done")
        assert code == 0 and "Warung 1" in out and "Warung 3" not in out
        code, out, _ = cli(capsys, db, "audit-log", "--action", "assignment_add", "--json")
        assert code == 0 and out.count("assignment_add") == 3 and "1871014506900001" not in out
        # The officer goes on leave: everything of theirs moves to a colleague.
        code, out, _ = cli(capsys, db, "assignments", "move", "--from", "petugas.bandarlampung",
                           "--to", "supervisor.bandarlampung")
        assert code == 0 and "moved 4 open assignment(s)" in out
        assert officer.sync().assignments == 0 and colleague.sync().assignments == 4
    finally:
        officer.close()
        colleague.close()


def test_a_one_time_password_is_replaced_from_the_laptop(sync_server, tmp_path, capsys) -> None:
    code, out, _ = cli(capsys, sync_server.db_url, "officers", "add", "petugas.baru",
                       "--name", "Petugas Baru", "--regency", KOTA)
    assert code == 0
    one_time = re.search(r"one-time password for petugas.baru: (\S+)", out).group(1)
    store = open_store(tmp_path / "laptop")
    try:
        with pytest.raises(accounts.PasswordChangeRequired) as asked:
            accounts.sign_in_online(store, sync_server.url, "petugas.baru", one_time, PIN)
        assert "one-time" in asked.value.message_en
        assert accounts.known_accounts(store) == []
        account = accounts.sign_in_with_new_password(store, sync_server.url, "petugas.baru",
                                                     one_time, "Tapis-Lampung-77", PIN)
        assert account.username == "petugas.baru" and account.has_token
        assert accounts.unlock(store, "petugas.baru", PIN).officer_id == account.officer_id
        with pytest.raises(ServerRefused):  # the one-time password is spent
            accounts.sign_in_online(store, sync_server.url, "petugas.baru", one_time, PIN)
    finally:
        store.close()


def test_a_deactivated_officer_is_told_and_a_colleague_sends_their_work(
        sync_server, tmp_path, capsys) -> None:
    store = open_store(tmp_path / "laptop")
    try:
        leaving = accounts.sign_in_online(store, sync_server.url, "petugas.bandarlampung",
                                          PASSWORD, PIN)
        from desktop_app.services import records
        from desktop_app.services.context import Actor

        actor = Actor(leaving.officer_id, store.device_id, KOTA)
        shop = records.save(store, actor, "business", business("Warung Terakhir", "9120000000999"))
        code, out, _ = cli(capsys, sync_server.db_url, "officers", "deactivate",
                           "petugas.bandarlampung", "--keep-devices", "--reason", "pensiun")
        assert code == 0 and "1 kept" in out, out

        with pytest.raises(ServerRefused) as refused:
            sync_signed_in(store, leaving)
        assert refused.value.body.code == "account_deactivated"
        assert "another officer" in refused.value.message_en
        with pytest.raises(accounts.AccountError) as told:
            accounts.unlock(store, "petugas.bandarlampung", PIN)
        assert "deactivated" in told.value.message_en and "send them" in told.value.message_en

        colleague = accounts.sign_in_online(store, sync_server.url, "supervisor.bandarlampung",
                                            PASSWORD, "739154")
        summary = sync_signed_in(store, colleague)
        assert summary.pending_left == 0 and summary.pushed >= 1
        with sync_server.database.session() as session:
            from desktop_app.models import Business

            sent = session.get(Business, shop.record["id"])
            assert sent is not None and sent.name == "Warung Terakhir"
    finally:
        store.close()
