"""Two laptops and a server on loopback: records made offline on both reach
the province once, conflicts are raised where they should be and nowhere
else, and both laptops end with the server's state."""

from __future__ import annotations

from datetime import date

import pytest
import requests
from sqlalchemy import func, select

from desktop_app import protocol as p
from desktop_app.sync.client import ServerRefused
from server.tables import AppliedChange, Conflict
from tests.support.laptops import Laptop, snapshot

KOTA = "18.71"


@pytest.fixture
def laptops(sync_server, tmp_path):
    """An officer and a supervisor of Kota Bandar Lampung, each on a laptop."""
    a = Laptop(tmp_path / "a", sync_server.url, "petugas.bandarlampung")
    b = Laptop(tmp_path / "b", sync_server.url, "supervisor.bandarlampung")
    yield a, b
    a.close()
    b.close()


def business(name: str = "Keripik Pisang Ani") -> dict:
    return {"name": name, "owner_name": "Ani Rahayu", "owner_nik": "1871014506900001",
            "regency_code": KOTA, "district_code": "18.71.01", "village": "Way Halim"}


def cooperative() -> dict:
    return {"name": "KSP Sejahtera Bersama", "cooperative_type": "simpan_pinjam",
            "regency_code": KOTA, "members_male": 80, "members_female": 40}


def conflicts(server, status: str | None = None) -> list[Conflict]:
    with server.database.session() as session:
        query = select(Conflict)
        if status:
            query = query.where(Conflict.status == status)
        return list(session.scalars(query))


def test_offline_work_on_two_laptops_converges(laptops, sync_server):
    """Each officer records offline; after syncing both laptops hold the same records."""
    a, b = laptops
    shop = a.save("business", business())
    a.save("umkm_survey", {"business_id": shop["id"], "visit_date": date(2026, 11, 20),
                           "capital": 150_000_000})
    coop = b.save("cooperative", cooperative())
    b.save("cooperative_audit", {"cooperative_id": coop["id"], "visit_date": date(2026, 11, 21),
                                 "rat_held": False})
    for laptop in (a, b, a):
        summary = laptop.sync()
        assert summary.pending_left == 0 and not summary.parked
    assert snapshot(a, KOTA) == snapshot(b, KOTA)
    assert set(a.rows("cooperative")) == {coop["id"]} and set(b.rows("business")) == {shop["id"]}
    assert conflicts(sync_server) == []
    with sync_server.database.session() as session:
        assert session.scalar(select(func.count()).select_from(AppliedChange)) == 4


def test_same_descriptive_field_later_stamp_wins_and_loser_is_kept(laptops, sync_server):
    """Two officers rename one business offline: the later edit wins everywhere,
    the other name is kept as an 'auto' conflict, other fields merge untouched."""
    a, b = laptops
    shop = a.save("business", business())
    a.sync()
    b.sync()
    a.save("business", {"name": "Keripik Pisang Bu Ani", "phone": "081234567890"}, shop["id"])
    b.save("business", {"name": "Keripik Ani Jaya", "address": "Jl. Teuku Umar 5"}, shop["id"])
    for laptop in (a, b, a):
        laptop.sync()
    for laptop in (a, b):
        row = laptop.rows("business")[shop["id"]]
        assert (row["name"], row["phone"], row["address"]) == (
            "Keripik Ani Jaya", "081234567890", "Jl. Teuku Umar 5")
    assert snapshot(a, KOTA) == snapshot(b, KOTA)
    [conflict] = conflicts(sync_server)
    assert (conflict.field, conflict.status) == ("name", "auto")
    assert (conflict.kept_value, conflict.other_value) == ("Keripik Ani Jaya", "Keripik Pisang Bu Ani")


def test_audit_field_disagreement_is_left_to_a_supervisor(laptops, sync_server):
    """Two officers count a cooperative's members differently: the server keeps
    the first value, both are kept in an open conflict, and the supervisor sees it."""
    a, b = laptops
    coop = a.save("cooperative", cooperative())
    a.sync()
    b.sync()
    a.save("cooperative", {"members_male": 95}, coop["id"])
    b.save("cooperative", {"members_male": 120}, coop["id"])
    for laptop in (a, b, a):
        laptop.sync()
    [conflict] = conflicts(sync_server, "open")
    assert (conflict.field, conflict.kept_value, conflict.other_value) == ("members_male", 95, 120)
    assert a.rows("cooperative")[coop["id"]]["members_male"] == 95
    assert b.rows("cooperative")[coop["id"]]["members_male"] == 95
    assert snapshot(a, KOTA) == snapshot(b, KOTA)
    listed = requests.get(f"{sync_server.url}/v1/conflicts",
                          headers={"Authorization": f"Bearer {b.client.token}",
                                   p.PROTOCOL_HEADER: "1"}, timeout=10).json()
    assert [c["other_value"] for c in listed] == [120]


def test_tombstone_wins_over_an_edit(laptops, sync_server):
    """One officer deletes a business while another edits it offline: it stays
    deleted, and the edit is kept as a conflict rather than lost."""
    a, b = laptops
    shop = a.save("business", business())
    a.sync()
    b.sync()
    from desktop_app.services import records

    records.delete(a.store, a.actor, "business", shop["id"])
    b.save("business", {"name": "Keripik Pisang Ani Baru"}, shop["id"])
    for laptop in (a, b, a):
        laptop.sync()
    for laptop in (a, b):
        assert laptop.rows("business")[shop["id"]]["deleted_at"] is not None
    assert snapshot(a, KOTA) == snapshot(b, KOTA)
    assert [c.other_value for c in conflicts(sync_server)] == ["Keripik Pisang Ani Baru"]


def test_a_resent_batch_is_applied_once(laptops, sync_server):
    """The answer to a push is lost in a blank spot: sending again changes nothing."""
    a, _ = laptops
    for n in range(5):
        a.save("business", business(f"Warung {n}"))
    first = a.sync()
    import sqlite3

    with sqlite3.connect(a.store.db_path) as conn:  # as if the acknowledgement never arrived
        conn.execute("UPDATE change_log SET push_state = 'pending'")
    again = a.sync()
    assert (first.pushed, again.pushed, again.duplicates) == (5, 0, 5)
    with sync_server.database.session() as session:
        assert session.scalar(select(func.count()).select_from(AppliedChange)) == 5


def test_records_outside_the_officers_regency_are_parked_not_stored(sync_server, tmp_path):
    """A Tanggamus officer's record placed in Mesuji is refused by the server and
    parked with a readable reason; Tanggamus never pulls Kota's records."""
    kota = Laptop(tmp_path / "kota", sync_server.url, "petugas.bandarlampung")
    kota.save("business", business())
    kota.sync()
    tanggamus = Laptop(tmp_path / "tgm", sync_server.url, "petugas.tanggamus")
    tanggamus.save("business", {**business("Kopi Mesuji"), "regency_code": "18.11",
                                "district_code": None, "owner_nik": "1811014506900001"})
    summary = tanggamus.sync()
    assert summary.parked_total == 1 and "wilayah" in summary.parked[0]
    assert tanggamus.rows("business") and all(
        r["regency_code"] == "18.11" for r in tanggamus.rows("business").values())
    assert all(r["name"] != "Kopi Mesuji" for r in kota.rows("business").values())
    kota.sync()
    assert len(kota.rows("business")) == 1
    kota.close()
    tanggamus.close()


def test_an_outdated_client_is_told_to_upgrade_and_keeps_its_queue(laptops, monkeypatch):
    """A server that no longer accepts this protocol answers 426; nothing queued is lost."""
    a, _ = laptops
    a.save("business", business())
    a.client.http.headers[p.PROTOCOL_HEADER] = "0"
    with pytest.raises(ServerRefused) as refused:
        a.sync()
    assert refused.value.body.code == p.ErrorCode.UPGRADE_REQUIRED
    assert a.pending() == 1


def test_a_finalised_visit_is_never_changed_by_a_merge(laptops, sync_server):
    """An officer finalises a survey while a colleague still edits the old draft:
    the finalised record stands, the late edit is kept for a supervisor."""
    a, b = laptops
    from desktop_app.services import records

    shop = a.save("business", business())
    survey = a.save("umkm_survey", {"business_id": shop["id"], "visit_date": date(2026, 11, 20),
                                    "capital": 150_000_000})
    a.sync()
    b.sync()
    records.finalise(a.store, a.actor, "umkm_survey", survey["id"])
    b.save("umkm_survey", {"capital": 900_000_000}, survey["id"])
    for laptop in (a, b, a):
        laptop.sync()
    for laptop in (a, b):
        row = laptop.rows("umkm_survey")[survey["id"]]
        assert (row["status"], row["capital"]) == ("finalised", 150_000_000)
    assert {(c.field, c.status) for c in conflicts(sync_server)} >= {("capital", "open")}


def test_a_drifted_scope_is_detected_and_refetched(laptops):
    """If a laptop's copy of a scope drifts, the checksum notices and the scope
    is fetched again from the start."""
    a, b = laptops
    a.save("business", business())
    a.sync()
    b.sync()
    import sqlite3

    with sqlite3.connect(b.store.db_path) as conn:
        conn.execute("DELETE FROM sync_row_version WHERE scope = 'regency'")
    summary = b.sync()
    assert summary.refetched_scopes == ["regency"]
    assert b.sync().refetched_scopes == []


def test_a_newer_reference_set_reaches_the_laptop_once(laptops, sync_server):
    """The province renames a district and publishes a new reference version:
    the next sync brings it down, the one after downloads nothing. The set a
    laptop already holds (the shipped one, the server's too) is never
    downloaded again: ~3,000 region and village rows."""
    a, _ = laptops
    assert a.sync().reference_rows == 0
    from desktop_app.models import ReferenceVersion, Region

    with sync_server.database.session() as session:
        session.get(Region, "18.71.01").name = "Telukbetung Barat (baru)"
        session.get(ReferenceVersion, "reference").version = "2026.12.1"
    first = a.sync()
    second = a.sync()
    import sqlite3

    with sqlite3.connect(a.store.db_path) as conn:
        name = conn.execute("SELECT name FROM region WHERE code = '18.71.01'").fetchone()[0]
        version = conn.execute("SELECT version FROM reference_version").fetchone()[0]
    assert (name, version) == ("Telukbetung Barat (baru)", "2026.12.1")
    assert first.reference_rows > 200 and second.reference_rows == 0


def test_a_supervisor_settles_a_conflict_and_every_laptop_follows(laptops, sync_server):
    """The supervisor types the right member count; both laptops get it on their
    next sync, and the conflict cannot be settled twice nor by an officer."""
    a, b = laptops  # a: officer, b: supervisor
    coop = a.save("cooperative", cooperative())
    a.sync()
    b.sync()
    a.save("cooperative", {"members_male": 95}, coop["id"])
    b.save("cooperative", {"members_male": 120}, coop["id"])
    a.sync()
    b.sync()
    [open_conflict] = b.client.conflicts()
    with pytest.raises(ServerRefused) as officer_try:
        a.client.settle(open_conflict.id, 100)
    assert officer_try.value.status == 403
    settled = b.client.settle(open_conflict.id, 110)
    assert settled.status == "settled"
    with pytest.raises(ServerRefused) as twice:
        b.client.settle(open_conflict.id, 111)
    assert twice.value.status == 409
    a.sync()
    b.sync()
    assert a.rows("cooperative")[coop["id"]]["members_male"] == 110
    assert snapshot(a, KOTA) == snapshot(b, KOTA)
