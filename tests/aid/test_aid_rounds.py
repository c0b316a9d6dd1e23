"""Rounds the province creates on the server (``python -m server rounds``)
reach every laptop with the reference data, alone (not the whole set), and
stay as the province set them when the server is initialised again."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.models import AidRound, AidRoundQuota
from server.__main__ import main as server_main
from server.rounds import RoundInput, add, bump_version, change
from server.setup import init
from tests.support.laptops import Laptop

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _add_2022(db_url: str, *extra: str) -> int:
    return server_main(["rounds", "add", "bpum-2022", "--db", db_url, "--program", "BPUM",
                        "--year", "2022", "--amount", "600000", "--checks",
                        "valid_nik,micro_business,not_civil_servant,no_bank_credit",
                        "--excluded-credit", "kur", "--opens", "2022-01-01",
                        "--closes", "2022-12-31", "--quota", "18.71=2", *extra])


def test_a_round_added_on_the_server_is_pulled_by_a_laptop_alone(sync_server, tmp_path):
    laptop = Laptop(tmp_path / "lap", sync_server.url, "petugas.bandarlampung")
    try:
        first = laptop.sync()
        assert first.reference_rows == 0  # the shipped set is the server's: nothing to fetch
        assert _add_2022(sync_server.db_url) == 0
        summary = laptop.sync()
        assert summary.reference_rows == 2  # the round and its quota, not ~2,900 regions again
        with sqlite3.connect(laptop.store.db_path) as conn:
            row = conn.execute("SELECT amount, checks, excluded_credit, opens_on, closes_on "
                               "FROM aid_round WHERE code = 'bpum-2022'").fetchone()
            quota = conn.execute("SELECT quota FROM aid_round_quota "
                                 "WHERE code = 'bpum-2022:18.71'").fetchone()
        assert row == (600000, '["valid_nik","micro_business","not_civil_servant","no_bank_credit"]',
                       '["kur"]', "2022-01-01", "2022-12-31")
        assert quota == (2,)
        assert server_main(["rounds", "close", "bpum-2022", "--db", sync_server.db_url,
                            "--on", "2022-06-30"]) == 0
        assert laptop.sync().reference_rows == 1
        with sqlite3.connect(laptop.store.db_path) as conn:
            assert conn.execute("SELECT closes_on FROM aid_round WHERE code = 'bpum-2022'"
                                ).fetchone() == ("2022-06-30",)
        assert laptop.sync().reference_rows == 0  # nothing new: nothing sent
    finally:
        laptop.close()


def test_a_new_laptop_gets_the_whole_set_with_the_provinces_rounds(sync_server, tmp_path):
    assert _add_2022(sync_server.db_url) == 0
    laptop = Laptop(tmp_path / "lap", sync_server.url, "petugas.tanggamus")
    try:
        assert laptop.sync().reference_rows == 2  # past the shipped set: only the edits
        with sqlite3.connect(laptop.store.db_path) as conn:
            assert conn.execute("SELECT count(*) FROM aid_round").fetchone() == (3,)
    finally:
        laptop.close()


def test_round_refusals_name_the_field(sync_server, capsys):
    db = sync_server.db_url
    assert _add_2022(db) == 0
    assert _add_2022(db) == 2  # the code exists
    assert "exists already" in capsys.readouterr().err
    cases = [
        (["--amount", "0"], "amount per recipient"),
        (["--amount", "-5"], "amount per recipient"),
        (["--checks", "valid_nik,bogus"], "Unknown or no checks"),
        (["--excluded-credit", "arisan"], "Unknown credit"),
        (["--opens", "2022-07-01", "--closes", "2022-06-30"], "close date"),
        (["--quota", "18.99=3"], "Unknown regency"),
        (["--quota", "18.71=x"], "CODE=NUMBER"),
        (["--year", "1999"], "outside 2000-2100"),
    ]
    for args, words in cases:
        assert server_main(["rounds", "set", "bpum-2022", "--db", db, *args]) == 2, args
        assert words in capsys.readouterr().err, args
    # the boundaries that are allowed
    assert server_main(["rounds", "set", "bpum-2022", "--db", db, "--amount", "1",
                        "--opens", "2022-06-30", "--closes", "2022-06-30",
                        "--quota", "18.71=0", "--year", "2000"]) == 0


def test_rules_and_amount_freeze_once_a_verdict_is_accepted(sync_server):
    from tests.aid.chain import accepted_decision_row

    with sync_server.database.session() as session:
        accepted_decision_row(session, "bpum-2021")
    with sync_server.database.session() as session:
        with pytest.raises(Exception, match="can no longer change"):
            change(session, "bpum-2021", {"amount": 1}, by="admin")
        change(session, "bpum-2021", {"closes_on": date(2021, 12, 30), "quotas": {"18.71": 5}},
               by="admin")  # dates and quotas may still move


def test_server_versions_climb_above_any_shipped_set_and_init_keeps_the_edits(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    init(url, demo=False)
    from server.db import Database
    database = Database(url)
    with database.session() as session:
        assert bump_version(session, date(2026, 12, 1)) == 2026_012_501
        assert bump_version(session, date(2026, 12, 1)) == 2026_012_502
        assert bump_version(session, date(2026, 11, 1)) == 2026_012_503  # never backwards
        add(session, RoundInput("bpum-2021x", "BPUM", 2021, 5, ["valid_nik"], []), by="admin")
        change(session, "bpum-2021", {"amount": 999}, by="admin")
    database.dispose()
    init(url, demo=False)  # loads the shipped files again
    database = Database(url)
    with database.session() as session:
        assert session.get(AidRound, "bpum-2021").amount == 999
        assert session.get(AidRound, "bpum-2020").amount == 2_400_000
        from desktop_app.models import ReferenceVersion
        assert session.get(ReferenceVersion, "reference").version == "2026.12.505"
        assert session.scalars(select(AidRoundQuota)).all() == []
    database.dispose()
