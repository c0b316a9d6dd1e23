"""Migrations at start-up: an old database upgrades without loss, a newer one
is refused untouched, and opening again changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.models import synced_tables, uuid7
from desktop_app.resources import reference_dir
from desktop_app.store import backup, change_capture, migrate, open_store, refdata
from desktop_app.store.engine import make_engine
from desktop_app.store.store import DB_NAME

#: Fresh stores here run the migrations themselves (tests/support/laptop_template.py).
pytestmark = pytest.mark.real_migrations

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
STAMP = "2026-01-05T08:00:00.000Z"
COMMON = (
    "id, created_at, updated_at, created_by, officer_id, device_id, address, regency_code, village"
)


def _common(row_id: str, village: str) -> tuple:
    return (row_id, STAMP, STAMP, OFFICER, OFFICER, OFFICER, "", "18.71", village)


#: The reference files and set version a laptop at revision 0001-0008 had.
FIRST_REFERENCE = ("regions.csv", "kbli_sections.csv", "digital_channels.csv",
                   "cooperative_types.csv", "payment_methods.csv", "capital_access.csv")


def first_reference(folder: Path) -> Path:
    """The shipped reference folder as the first set (2026.11.1) had it: its
    six files, no villages, rounds or health methods."""
    shutil.copytree(reference_dir(), folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = "2026.11.1"
    manifest["files"] = {k: v for k, v in manifest["files"].items() if k in FIRST_REFERENCE}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def make_database_at(data_dir: Path, revision: str) -> None:
    """An empty database at ``revision`` with its triggers and the first reference set."""
    data_dir.mkdir(parents=True)
    engine = make_engine(data_dir / DB_NAME)
    migrate.upgrade(engine, revision)
    with engine.begin() as connection:
        change_capture.install(connection, synced_tables())
    engine.dispose()
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con, con:
        refdata.load_if_newer(con, first_reference(data_dir.parent / f"reference-{revision}"))


def make_0001_database(data_dir: Path) -> dict[str, str]:
    """A database as revision 0001 left it, with triggers, reference data and a
    few rows written by raw SQL; returns the row ids by table."""
    make_database_at(data_dir, "0001")
    ids = {"business": uuid7(), "cooperative": uuid7(), "aid_applicant": uuid7()}
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con, con:
        con.execute(
            f"INSERT INTO business ({COMMON}, name, owner_name, owner_nik, phone)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'Keripik Pisang Wijaya', 'Wijaya', '1871010101800001', '')",
            _common(ids["business"], "Kedaton"),
        )
        con.execute(
            f"INSERT INTO cooperative ({COMMON}, name, legal_entity_no, cooperative_type,"
            " chair_name, members_male, members_female, is_active, rat_last_year)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'KSP Tani Makmur', '123/BH', 'simpan_pinjam', 'Sutrisno',"
            " 10, 12, 1, 1)",
            _common(ids["cooperative"], "Rajabasa"),
        )
        con.execute(
            f"INSERT INTO aid_applicant ({COMMON}, full_name, nik, business_name, phone, aid_round,"
            " on_credit_list, prior_recipient)"
            " VALUES (?,?,?,?,?,?,?,?,?, 'Rahmawati', '1871015502850002', 'Gorengan Rahma', '',"
            " '2026-1', 0, 0)",
            _common(ids["aid_applicant"], "Sukarame"),
        )
    return ids


def fts_rowids(con: sqlite3.Connection, table: str, query: str) -> list[int]:
    return [r[0] for r in con.execute(
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?", (query,)
    )]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_is_at_head(store):
    """A store made from nothing is at the head revision."""
    with store.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_0001_database_upgrades_to_head_without_loss(data_dir):
    """Rows, change log and device id survive the upgrade; the new FTS index finds old rows."""
    ids = make_0001_database(data_dir)
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        log_before = con.execute("SELECT * FROM change_log ORDER BY seq").fetchall()
        state_before = con.execute("SELECT device_id, hlc FROM local_state").fetchone()
    assert len(log_before) == 3

    store = open_store(data_dir)
    store.close()

    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            migrate.head_revision()
        )
        assert con.execute("SELECT * FROM change_log ORDER BY seq").fetchall() == log_before
        assert con.execute("SELECT device_id, hlc FROM local_state").fetchone() == state_before
        for table, row_id in ids.items():
            assert con.execute(f"SELECT count(*) FROM {table} WHERE id = ?", (row_id,)).fetchone()
        rowid = con.execute("SELECT rowid FROM business WHERE id = ?", (ids["business"],))
        assert fts_rowids(con, "business", "keripik") == [rowid.fetchone()[0]]
        assert len(fts_rowids(con, "cooperative", "makmur")) == 1
        assert len(fts_rowids(con, "aid_applicant", "gorengan")) == 1


def test_upgrade_takes_a_pre_migration_backup(data_dir):
    """Before migrating an existing database a backup at the old revision is kept."""
    make_0001_database(data_dir)
    open_store(data_dir).close()
    [taken] = backup.listing(data_dir / "backups")
    assert "pre-migration" in taken.path.name
    with closing(sqlite3.connect(taken.path)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert con.execute("SELECT count(*) FROM business").fetchone()[0] == 1


def test_database_from_a_newer_version_is_refused_untouched(data_dir):
    """An unknown newer revision raises DatabaseTooNew and leaves the file as it was."""
    open_store(data_dir).close()
    db_path = data_dir / DB_NAME
    with closing(sqlite3.connect(db_path)) as con, con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    digest, backups = file_digest(db_path), backup.listing(data_dir / "backups")

    with pytest.raises(migrate.DatabaseTooNew) as refused:
        open_store(data_dir, backup_every=timedelta(0))

    assert refused.value.revision == "9999"
    assert file_digest(db_path) == digest
    assert backup.listing(data_dir / "backups") == backups
    assert not (data_dir / f"{DB_NAME}-wal").exists()  # no connection left open on it


def test_opening_twice_changes_nothing(data_dir):
    """A second open installs no trigger again and does not reload the reference data."""
    first = open_store(data_dir)
    first.close()
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                               " ORDER BY name").fetchall()
        loaded = con.execute("SELECT * FROM reference_version").fetchall()

    second = open_store(data_dir)
    with second.engine.begin() as connection:
        assert change_capture.install(connection, synced_tables()) == 0
    second.close()

    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        assert con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                           " ORDER BY name").fetchall() == triggers
        assert con.execute("SELECT * FROM reference_version").fetchall() == loaded
    assert len([t for t in triggers if t[0].startswith(change_capture.TRIGGER_PREFIX)]) == (
        3 * len(synced_tables())
    )


# --- 0009: rounds, health methods, village codes, size-class basis --------------------


def _insert(con: sqlite3.Connection, table: str, row: dict) -> None:
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()))


def make_0008_database(data_dir: Path) -> dict[str, str]:
    """A laptop at 0008 with records typed before 0009: villages as text,
    free-text rounds, size classes without a basis, an audit of the 2016
    method; each row written by the officer (so logged)."""
    make_database_at(data_dir, "0008")
    ids = {name: uuid7() for name in ("natar", "kedaton", "nowhere", "coop", "r2021", "r2026",
                                      "survey", "audit")}
    stamps = {"created_at": STAMP, "updated_at": STAMP, "created_by": OFFICER,
              "officer_id": OFFICER, "device_id": OFFICER}
    common = {**stamps, "address": ""}
    person = {"owner_name": "Wijaya", "owner_nik": "1801041503850007", "phone": ""}
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con, con:
        # Hajimena is one village of Natar (18.01.04): found by name in the district
        _insert(con, "business", {**common, **person, "id": ids["natar"], "name": "Warung",
                                  "regency_code": "18.01", "district_code": "18.01.04",
                                  "village": "desa  HAJIMENA"})
        # no district: found in the regency when only one village bears the name
        _insert(con, "business", {**common, **person, "id": ids["kedaton"], "name": "Toko",
                                  "regency_code": "18.01", "district_code": None,
                                  "village": "Hajimena"})
        _insert(con, "business", {**common, **person, "id": ids["nowhere"], "name": "Kios",
                                  "regency_code": "18.01", "district_code": "18.01.04",
                                  "village": "Kampung Tengah Sawah"})
        _insert(con, "cooperative", {**common, "id": ids["coop"], "name": "KSP Maju",
                                     "legal_entity_no": "", "cooperative_type": "simpan_pinjam",
                                     "chair_name": "", "members_male": 1, "members_female": 1,
                                     "is_active": 1, "rat_last_year": 1, "regency_code": "18.01",
                                     "district_code": "18.01.04", "village": "Natar"})
        for key, round_text in (("r2021", "BPUM 2021 tahap 1"), ("r2026", "2026-1")):
            _insert(con, "aid_applicant", {**common, "id": ids[key], "full_name": "Rahmat",
                                           "nik": "1801041503850007", "business_name": "",
                                           "phone": "", "aid_round": round_text,
                                           "regency_code": "18.01", "village": "",
                                           "on_credit_list": 0, "prior_recipient": 0})
        _insert(con, "umkm_survey", {**stamps, "id": ids["survey"], "business_id": ids["natar"],
                                     "status": "finalised", "visit_date": "2026-01-05",
                                     "regency_code": "18.01", "location_source": "", "notes": "",
                                     "workers_paid": 1, "workers_unpaid": 0, "workers_women": 0,
                                     "capital": None, "turnover_monthly": 10_000_000,
                                     "turnover_annual": None, "size_class": "mikro",
                                     "digital_channels": "[]", "online_sales_share": 0,
                                     "payment_methods": "[]", "capital_access": "[]",
                                     "needs": "", "training_received": "", "training_wanted": "",
                                     "pandemic_impact": "", "exports": 0,
                                     "export_destinations": ""})
        _insert(con, "cooperative_audit", {**stamps, "id": ids["audit"], "cooperative_id": ids["coop"],
                                           "status": "draft", "visit_date": "2026-01-06",
                                           "regency_code": "18.01", "location_source": "",
                                           "notes": "", "is_active": 1, "rat_held": 0,
                                           "members_male": 0, "members_female": 0,
                                           "aspect_scores": "", "health_category": "",
                                           "findings": "", "recommendations": ""})
    return ids


def test_0008_database_upgrades_to_0009_without_sending_anything(data_dir):
    """Typed villages get their code where the name is unambiguous (the name
    kept), free-text rounds naming a shipped year map to it, a stored size
    class gets the basis that decided it then, an old audit is of the 2016
    method; none of it enters the change log, and the village list is there."""
    ids = make_0008_database(data_dir)
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        log_before = con.execute("SELECT * FROM change_log ORDER BY seq").fetchall()
    assert len(log_before) == 8

    open_store(data_dir).close()

    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        assert con.execute("SELECT * FROM change_log ORDER BY seq").fetchall() == log_before
        assert con.execute("SELECT applying FROM local_state").fetchone() == (0,)
        villages = {row_id: (code, district, name) for row_id, code, district, name in con.execute(
            "SELECT id, village_code, district_code, village FROM business")}
        assert villages[ids["natar"]] == ("18.01.04.2001", "18.01.04", "desa  HAJIMENA")
        assert villages[ids["kedaton"]] == ("18.01.04.2001", "18.01.04", "Hajimena")
        assert villages[ids["nowhere"]] == (None, "18.01.04", "Kampung Tengah Sawah")
        assert con.execute("SELECT village_code FROM cooperative").fetchone() == ("18.01.04.2004",)
        rounds = dict(con.execute("SELECT id, aid_round FROM aid_applicant"))
        assert (rounds[ids["r2021"]], rounds[ids["r2026"]]) == ("bpum-2021", "2026-1")
        assert con.execute("SELECT size_class_basis FROM umkm_survey").fetchone() == (
            "annual_sales_estimated",)
        assert con.execute("SELECT health_method FROM cooperative_audit").fetchone() == (
            "perdep_06_2016",)
        assert con.execute("SELECT kk_number, business_location_differs, sku_number "
                           "FROM aid_applicant").fetchall() == [("", 0, "")] * 2
        assert con.execute("SELECT count(*) FROM region WHERE level = 'village'").fetchone() == (2651,)
        assert con.execute("SELECT count(*) FROM aid_round").fetchone() == (2,)
        foreign = con.execute("PRAGMA foreign_key_list(business)").fetchall()
        assert ("region", "village_code", "code") in [(f[2], f[3], f[4]) for f in foreign]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_village_code_outside_the_list_is_refused_by_the_database(data_dir):
    """The column is a foreign key to the region list, as the district is."""
    make_database_at(data_dir, "0008")
    open_store(data_dir).close()
    with closing(sqlite3.connect(data_dir / DB_NAME)) as con:
        con.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            _insert(con, "business", {"id": uuid7(), "created_at": STAMP, "updated_at": STAMP,
                                      "created_by": OFFICER, "officer_id": OFFICER,
                                      "device_id": OFFICER, "address": "", "name": "X",
                                      "owner_name": "Y", "owner_nik": "1", "phone": "",
                                      "regency_code": "18.01", "village": "",
                                      "village_code": "18.01.04.9999"})
