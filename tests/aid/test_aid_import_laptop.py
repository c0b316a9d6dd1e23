"""A regency office without a connection imports its applicant list on its
laptop (``python -m desktop_app applicants import``): the same row rules as
the server, all or nothing, the applicants saved as records that sync."""

from __future__ import annotations

import sqlite3

from desktop_app.cli import main as laptop_main
from desktop_app.store import open_store
from desktop_app.sync import account
from tests.aid.lists import nik, row, write_csv
from tests.support.servers import DEMO_PASSWORD


def test_the_office_imports_its_list_on_the_laptop(sync_server, tmp_path, capsys):
    data = tmp_path / "office"
    store = open_store(data)
    try:
        account.sign_in_online(store, sync_server.url, "supervisor.tanggamus", DEMO_PASSWORD,
                               "246810")
    finally:
        store.close()
    rows = [row("18.06", n) for n in range(1, 4)] + [row("18.06", 4, NIK=nik("18.06", 1))]
    path = write_csv(tmp_path / "tgm.csv", rows)
    args = ["--data-dir", str(data), "applicants", "import", "bpum-2021", str(path),
            "--regency", "18.06", "--today", "2021-06-01"]
    assert laptop_main(args) == 2
    out = capsys.readouterr()
    assert "row 5, nik: This NIK is already on row 2" in out.out
    assert "nothing was imported" in out.err
    assert laptop_main([*args, "--skip-refused"]) == 0
    assert "imported 3 applicants; 1 rows refused" in capsys.readouterr().out
    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        stored = conn.execute("SELECT count(*), min(regency_code), max(aid_round) "
                              "FROM aid_applicant").fetchone()
        logged = conn.execute("SELECT count(*) FROM change_log WHERE table_name = 'aid_applicant' "
                              "AND push_state = 'pending'").fetchone()[0]
    assert stored == (3, "18.06", "bpum-2021") and logged == 3
