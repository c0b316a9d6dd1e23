"""Issue 11 items 3 (laptop side) and 8: a pulled change is applied only by
the laptop's own schema. ``python -m desktop_app sync`` pulls scripted pages
from a hostile server: injected column names, unknown columns and tables,
incomplete inserts holding a NIK, wrong types, rows pointing at nothing.
Each is set aside with its reason, the cursor moves on, later changes
arrive, nothing personal reaches the screen or the log; and the set-aside
list reaches the real server."""

from __future__ import annotations

import base64
import sqlite3
import uuid
from pathlib import Path

import pytest

from desktop_app.models import synced_tables
from desktop_app.models.types import utc_now
from desktop_app.store import inbox, open_store
from desktop_app.store.check import run as check_store
from desktop_app.store.local_tables import BundleKeyRow
from tests.support.hostile_server import (
    Script, business_fields, change, hostile, page, run_sync,
)

NIK = "1871014101900001"
OWNER = "Siti Aminah"
SECRET = base64.b64encode(b"K" * 32).decode()


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """A laptop holding a regency bundle key (what the injection went after)."""
    data = tmp_path / "laptop"
    store = open_store(data)
    with store.write() as session:
        session.add(BundleKeyRow(key_id="18.71-1", regency_code="18.71", secret=SECRET,
                                 for_export=1, received_at=utc_now()))
    store.close()
    return data


def rows(data: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        return conn.execute(sql, args).fetchall()


def set_aside(data: Path) -> list[inbox.SetAside]:
    store = open_store(data)
    try:
        return inbox.set_aside_list(store)
    finally:
        store.close()


def sound(data: Path) -> None:
    store = open_store(data)
    try:
        with store.raw() as connection:
            report = check_store(connection, synced_tables())
    finally:
        store.close()
    assert report.ok, report.faults


def no_personal_data(done, data: Path) -> None:
    log = "".join(p.read_text() for p in (data / "logs").glob("*.log*"))
    for text in (done.stdout, done.stderr, log):
        assert NIK not in text and OWNER not in text
        assert "Traceback" not in text


def sync(data: Path, script: Script):
    with hostile(script) as server:
        return run_sync(data, server.url, timeout=60)


def test_an_injected_column_name_copies_nothing(laptop):
    """A field name that is SQL (it once copied the bundle key and every NIK into
    a business name): set aside; the row keeps its name; the key stays secret."""
    business = str(uuid.uuid4())
    injected = f'name" = (SELECT group_concat(secret) FROM bundle_key), "phone'
    script = Script(pages={"regency": [
        page("regency", [change(1, "business", business_fields("Warung Asli"), row_id=business)], 1,
             has_more=True),
        page("regency", [change(2, "business", {injected: "x"}, op="update", row_id=business)], 2),
    ]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT name FROM business WHERE id = ?", business) == [("Warung Asli",)]
    assert all(SECRET not in str(r) for r in rows(laptop, "SELECT * FROM business"))
    [aside] = set_aside(laptop)
    assert aside.server_seq == 2 and "does not exist in business" in aside.reason_en
    assert "set aside" in done.stdout
    sound(laptop)


def test_an_unknown_column_does_not_stop_later_syncs(laptop):
    """A column this laptop does not have: set aside, the cursor moves on, the next
    page's row arrives (it used to stop every later sync)."""
    later = str(uuid.uuid4())
    script = Script(pages={"regency": [
        page("regency", [change(1, "business", business_fields(colour="merah"))], 1, has_more=True),
        page("regency", [change(2, "business", business_fields("Toko Berikut"), row_id=later)], 2),
    ]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT name FROM business WHERE id = ?", later) == [("Toko Berikut",)]
    assert rows(laptop, "SELECT cursor FROM sync_cursor WHERE scope = 'regency'") == [(2,)]
    assert "column 'colour'" in set_aside(laptop)[0].reason_en
    sound(laptop)


def test_an_incomplete_insert_is_set_aside_without_a_nik_on_screen(laptop):
    """An insert missing phone, address, village and the stamps, holding a NIK and
    a name: set aside naming the missing fields; no traceback, no NIK, no name on
    screen or in the log; the cursor moves on."""
    fields = business_fields()
    for name in ("phone", "address", "created_at", "updated_at"):
        fields.pop(name)
    script = Script(pages={"regency": [page("regency", [change(1, "business", fields)], 1)]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    no_personal_data(done, laptop)
    assert rows(laptop, "SELECT count(*) FROM business") == [(0,)]
    [aside] = set_aside(laptop)
    assert "incomplete" in aside.reason_en and "phone" in aside.reason_en
    assert NIK not in aside.reason_en + aside.reason_id
    assert rows(laptop, "SELECT cursor FROM sync_cursor WHERE scope = 'regency'") == [(1,)]


def test_an_unknown_table_is_set_aside(laptop):
    """A change for a table the laptop does not sync (here its own key table)."""
    script = Script(pages={"own": [page("own", [change(1, "bundle_key", {"secret": "x"})], 1)]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT secret FROM bundle_key") == [(SECRET,)]
    assert "table 'bundle_key' is unknown" in set_aside(laptop)[0].reason_en


@pytest.mark.parametrize("field, value, rule", [
    ("year_started", "abc", "an integer"),
    ("name", "x" * 201, "at most 200"),
    ("owner_nik", 18710141019000011, "String"),
    ("year_started", 2**70, "out of range"),
])
def test_a_value_of_the_wrong_type_is_set_aside(laptop, field, value, rule):
    """Values that do not fit their column are not stored in it."""
    row = str(uuid.uuid4())
    script = Script(pages={"regency": [page("regency", [
        change(1, "business", business_fields(**{field: value}), row_id=row)], 1)]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT count(*) FROM business") == [(0,)]
    [aside] = set_aside(laptop)
    assert aside.reason_en.startswith(field) and rule in aside.reason_en
    sound(laptop)


def test_a_row_pointing_at_nothing_is_set_aside_not_a_stuck_commit(laptop):
    """A business of a KBLI section this laptop does not have: the page's commit
    used to fail on the foreign key, every sync again; now it alone is set aside
    and the rest of the page is applied."""
    good = str(uuid.uuid4())
    script = Script(pages={"regency": [page("regency", [
        change(1, "business", business_fields(kbli_section="Z")),
        change(2, "business", business_fields("Toko Baik"), row_id=good),
    ], 2)]})
    done = sync(laptop, script)
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT name FROM business") == [("Toko Baik",)]
    [aside] = set_aside(laptop)
    assert "kbli_section: points at a kbli_section" in aside.reason_en
    sound(laptop)


def test_an_injected_reference_column_is_set_aside(laptop):
    """Reference rows are upserted by the models' column names too."""
    region = {"code": "18.71.99", "name": "Uji", "level": "district", "parent_code": "18.71",
              'name" = (SELECT secret FROM bundle_key) --': "x"}
    reference = page("reference", [
        change(1, "reference_version", {"version": "2099.1.1"}, row_id="2099.1.1"),
        change(2, "region", region, row_id="18.71.99")], 2099001001)
    done = sync(laptop, Script(pages={"reference": [reference]}))
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT count(*) FROM region WHERE name LIKE ?", f"%{SECRET}%") == [(0,)]
    assert any("does not exist in region" in a.reason_en for a in set_aside(laptop))


def test_set_aside_changes_reach_the_server_once(laptop):
    """The next sync reports what was set aside; a report already made is not sent again."""
    script = Script(pages={"regency": [page("regency", [
        change(7, "business", business_fields(colour="merah"))], 7)]})
    with hostile(script) as server:
        assert run_sync(laptop, server.url, timeout=60).returncode == 0
        assert run_sync(laptop, server.url, timeout=60).returncode == 0
    reports = [s for s in script.seen if s.path.endswith("/set-aside")]
    assert len(reports) == 1
    assert b'"change_id": "regency:7"' in reports[0].body and b"colour" in reports[0].body
    assert set_aside(laptop)[0].reported


def test_the_server_keeps_a_devices_report_and_refuses_one_for_another(tmp_path, sync_server):
    """POST /v1/devices/{id}/set-aside: kept once per (device, change), with the
    officer; another device's id is refused (403)."""
    from sqlalchemy import select

    from desktop_app.sync.client import ServerRefused
    from server.tables import SetAsideReport
    from tests.support.laptops import Laptop

    laptop = Laptop(tmp_path / "a", sync_server.url, "petugas.tanggamus")
    item = {"change_id": "regency:12", "entity": "business:x", "reason": "column 'colour'"}
    try:
        laptop.client.report_set_aside([item])
        laptop.client.report_set_aside([item])  # a resend after a cut link
        laptop.client.device_id = str(uuid.uuid4())
        with pytest.raises(ServerRefused) as refused:
            laptop.client.report_set_aside([item])
        assert refused.value.status == 403
    finally:
        laptop.close()
    with sync_server.database.session() as session:
        kept = session.scalars(select(SetAsideReport)).all()
        assert [(k.change_id, k.officer_id == laptop.officer.id) for k in kept] == [
            ("regency:12", True)]
