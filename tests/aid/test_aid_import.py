"""Applicant lists imported into a round at the server: refused rows
reported one by one (never with the NIK), nothing half-imported, applicants
assigned to the regency's officers and pulled by their laptops."""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from desktop_app.models import AidApplicant
from server.__main__ import main as server_main
from tests.aid.lists import nik, row, write_csv, write_xlsx
from tests.support.laptops import Laptop

ROUND = "bpum-2021"
TODAY = ["--today", "2021-06-01", "--by", "supervisor.bandarlampung"]


def _count(server, regency: str | None = None) -> int:
    with server.database.session() as session:
        query = select(func.count()).select_from(AidApplicant)
        if regency:
            query = query.where(AidApplicant.regency_code == regency)
        return session.scalar(query)


def _import(server, path, regency="18.71", *extra):
    args = TODAY if regency == "18.71" else ["--today", "2021-06-01", "--by", "admin.provinsi"]
    return server_main(["applicants", "import", ROUND, str(path), "--regency", regency,
                        "--db", server.db_url, *args, *extra])


def test_a_list_with_refused_rows_imports_nothing_and_says_why_row_by_row(
        sync_server, tmp_path, capsys):
    rows = [row("18.71", n) for n in range(1, 6)]
    rows.append(row("18.71", 6, NIK="18710145069"))  # row 7: too short
    rows.append(row("18.71", 7, **{"No KK": "1899011503200007"}))  # row 8: KK of no province
    rows.append(row("18.71", 8, NIK=nik("18.71", 2)))  # row 9: the NIK of row 3 again
    rows.append(row("18.71", 9, **{"Kode Kecamatan": "18.06.01"}))  # row 10: Tanggamus
    rows.append(row("18.71", 10, **{"Nama Lengkap": ""}))  # row 11: no name
    path = write_csv(tmp_path / "kota.csv", rows)
    assert _import(sync_server, path) == 2
    out = capsys.readouterr()
    assert _count(sync_server) == 0  # nothing half-imported
    lines = out.out.splitlines()
    assert [line.split(",")[0] for line in lines if line.startswith("baris")] == \
        ["baris 7", "baris 8", "baris 9", "baris 10", "baris 11"]
    assert "row 9, nik: This NIK is already on row 3" in out.out
    assert "outside this list's regency" in out.out
    assert "nothing was imported" in out.err
    assert nik("18.71", 2) not in out.out + out.err  # the report never shows a NIK

    assert _import(sync_server, path, "18.71", "--skip-refused") == 0
    assert "imported 5 applicants" in capsys.readouterr().out
    assert _count(sync_server, "18.71") == 5


def test_a_nik_listed_anywhere_in_the_round_is_refused_province_wide(sync_server, tmp_path, capsys):
    assert _import(sync_server, write_csv(tmp_path / "a.csv", [row("18.71", 1)])) == 0
    # the same person on Tanggamus's list of the same round
    again = row("18.06", 1, NIK=nik("18.71", 1))
    assert _import(sync_server, write_csv(tmp_path / "b.csv", [again, row("18.06", 2)]),
                   "18.06") == 2
    assert "row 2, nik: This NIK is already in the round" in capsys.readouterr().out
    assert _count(sync_server, "18.06") == 0


def test_xlsx_lists_import_and_a_nik_kept_as_a_number_is_refused(sync_server, tmp_path, capsys):
    good = write_xlsx(tmp_path / "good.xlsx", [row("18.71", n) for n in range(1, 4)])
    assert _import(sync_server, good) == 0
    with sync_server.database.session() as session:
        stored = session.scalars(select(AidApplicant.nik).order_by(AidApplicant.nik)).all()
    assert stored == sorted(nik("18.71", n) for n in range(1, 4))
    number = write_xlsx(tmp_path / "n.xlsx", [row("18.71", 9)], nik_as_number=True)
    assert _import(sync_server, number) == 2
    assert "stored as a number in Excel" in capsys.readouterr().out


def test_a_closed_round_takes_no_list(sync_server, tmp_path, capsys):
    path = write_csv(tmp_path / "late.csv", [row("18.71", 1)])
    assert server_main(["applicants", "import", ROUND, str(path), "--regency", "18.71",
                        "--db", sync_server.db_url, "--today", "2022-01-01",
                        "--by", "admin.provinsi"]) == 2
    assert "closed on 2021-12-31" in capsys.readouterr().err
    assert server_main(["applicants", "import", ROUND, str(path), "--regency", "18.71",
                        "--db", sync_server.db_url, "--today", "2021-12-31",
                        "--by", "admin.provinsi"]) == 0  # the close date is the last day


def test_only_that_regencys_supervisor_or_the_province_imports(sync_server, tmp_path, capsys):
    path = write_csv(tmp_path / "t.csv", [row("18.06", 1)])
    assert server_main(["applicants", "import", ROUND, str(path), "--regency", "18.06",
                        "--db", sync_server.db_url, "--today", "2021-06-01",
                        "--by", "supervisor.bandarlampung"]) == 2
    assert "Not permitted" in capsys.readouterr().err
    assert server_main(["applicants", "import", ROUND, str(path), "--regency", "18.06",
                        "--db", sync_server.db_url, "--today", "2021-06-01",
                        "--by", "petugas.tanggamus"]) == 2


def test_imported_applicants_are_assigned_and_reach_the_officers_laptop(sync_server, tmp_path):
    assert _import(sync_server, write_csv(tmp_path / "k.csv",
                                          [row("18.71", n) for n in range(1, 4)])) == 0
    laptop = Laptop(tmp_path / "lap", sync_server.url, "petugas.bandarlampung")
    try:
        laptop.sync()
        with sqlite3.connect(laptop.store.db_path) as conn:
            got = conn.execute("SELECT count(*), min(assigned_officer_id), max(aid_round) "
                               "FROM aid_applicant").fetchone()
        assert got == (3, laptop.officer.id, ROUND)
    finally:
        laptop.close()
