"""Work carried by hand: a laptop with no signal exports a bundle, the office
copy imports it and forwards it at its sync (or it is uploaded straight to
the server), and whichever route arrives first applies each change once."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from desktop_app.models import Business
from desktop_app.services import photos, records
from desktop_app.sync import relay
from desktop_app.sync.bundle_export import export_bundle
from desktop_app.sync.client import ServerRefused
from server.tables import AppliedChange, Upload
from tests.bundle.conftest import business
from tests.support.photos import make_photo


def server_counts(server, device_id: str) -> tuple[int, int]:
    """(business rows, changes applied from this device) at the server."""
    with server.database.session() as session:
        rows = session.scalar(select(func.count()).select_from(Business))
        applied = session.scalar(select(func.count()).select_from(AppliedChange)
                                 .where(AppliedChange.device_id == device_id))
    return rows, applied


def local_changes(laptop) -> int:
    with sqlite3.connect(laptop.store.db_path) as conn:
        return conn.execute("SELECT count(*) FROM change_log").fetchone()[0]


def test_a_thousand_records_reach_the_server_once_by_bundle_then_network(
        field, office, sync_server, tmp_path):
    """1,000 records go by USB stick through the office copy; when the field
    laptop comes online its own push finds them all there: each record once."""
    for start in range(0, 1000, 250):
        records.save_batch(field.store, field.actor, "business",
                           [(business(n), False) for n in range(start, start + 250)])
    made = local_changes(field)
    assert made >= 1000
    stick = tmp_path / "stick" / "kota.tapisbundle"
    exported = export_bundle(field.store, stick)
    assert (exported.header.changes, exported.header.first_seq) == (made, 1)
    assert field.pending() == made  # exported changes stay queued for the network

    entry = relay.import_bundle(office.store, stick)
    assert entry.newly_imported and entry.state == relay.WAITING
    assert server_counts(sync_server, field.store.device_id) == (0, 0)
    summary = office.sync()
    assert summary.bundles_forwarded == 1
    assert [e.state for e in relay.list_relayed(office.store)] == [relay.FORWARDED]
    assert server_counts(sync_server, field.store.device_id) == (1000, made)

    later = field.sync()  # the field laptop finds a signal
    # Its first batch comes back all duplicates with acked_through = its last
    # seq, which settles the whole queue without sending the rest.
    assert (later.pushed, later.pending_left, later.parked_total) == (0, 0, 0)
    assert 0 < later.duplicates <= made
    assert server_counts(sync_server, field.store.device_id) == (1000, made)
    assert len(field.rows("business")) == 1000


def test_the_same_bundle_twice_is_applied_once(field, office, sync_server, tmp_path):
    """Imported twice at the office, then uploaded once more by hand: one
    entry, and the server applies its changes once."""
    for n in range(5):
        field.save("business", business(n))
    stick = export_bundle(field.store, tmp_path / "b.tapisbundle").path
    first = relay.import_bundle(office.store, stick)
    again = relay.import_bundle(office.store, stick)
    assert first.newly_imported and not again.newly_imported
    assert first.bundle_id == again.bundle_id and len(relay.list_relayed(office.store)) == 1
    office.sync()
    again = relay.import_bundle(office.store, stick)  # after forwarding: still the one entry
    assert (again.newly_imported, again.state) == (False, relay.FORWARDED)
    assert office.sync().bundles_forwarded == 0
    direct = office.client.upload_bundle(stick.read_bytes())
    assert (direct.applied, direct.duplicates) == (0, 5)
    assert server_counts(sync_server, field.store.device_id) == (5, 5)


def test_a_bundle_after_the_network_sync_changes_nothing(field, office, sync_server, tmp_path):
    """The officer exported, then found a signal and synced before the stick
    reached the office: the late bundle is all duplicates."""
    for n in range(3):
        field.save("business", business(n))
    stick = export_bundle(field.store, tmp_path / "late.tapisbundle").path
    assert field.sync().pushed == 3
    result = office.client.upload_bundle(stick.read_bytes())
    assert (result.applied, result.duplicates, result.acked_through) == (0, 3, 3)
    assert server_counts(sync_server, field.store.device_id) == (3, 3)


def test_photos_travel_in_the_bundle_and_are_not_sent_again(field, office, sync_server, tmp_path):
    """A survey photo rides in the bundle; the server keeps it as a finished
    upload, byte-identical, and the laptop's later sync sends no photo bytes."""
    shop = field.save("business", business(1))
    source = make_photo(tmp_path / "shop.jpg", size=(1200, 900))
    sha = photos.attach_photo(field.store, field.actor, "business", shop["id"], source,
                              max_side=800)["sha256"]
    small = export_bundle(field.store, tmp_path / "small.tapisbundle", max_bytes=20_000)
    assert (small.header.photos, small.photos_left, small.header.changes) == (0, 1, 2)
    stick = export_bundle(field.store, tmp_path / "photo.tapisbundle")
    assert stick.header.photos == 1
    result = office.client.upload_bundle(stick.path.read_bytes())
    assert (result.photos_stored, result.photos_skipped) == (1, 0)
    with sync_server.database.session() as session:
        assert session.get(Upload, sha).complete
    on_laptop = photos.photo_path(field.store, sha).read_bytes()
    assert office.client.download_attachment(sha) == on_laptop
    field.sync()
    assert field.client.bytes_sent < 20_000  # the records' push only; the photo was there


def test_a_bundle_with_a_gap_is_refused_until_the_earlier_one(field, office, sync_server, tmp_path):
    """A bundle that starts after changes the server never received is refused
    with a message to import the earlier bundle first, and waits at the office."""
    for n in range(4):
        field.save("business", business(n))
    with sqlite3.connect(field.store.db_path) as conn:  # as if 1-2 went in a bundle now lost
        conn.execute("UPDATE change_log SET push_state = 'sent' WHERE seq <= 2")
    stick = export_bundle(field.store, tmp_path / "gap.tapisbundle").path
    with pytest.raises(ServerRefused) as refused:
        office.client.upload_bundle(stick.read_bytes())
    assert refused.value.status == 409
    body = refused.value.body
    assert "earlier" in body.message_en and "sebelumnya" in body.message_id
    assert refused.value.body.detail == {"expected_seq": 1, "first_seq": 3}
    relay.import_bundle(office.store, stick)
    office.sync()
    [entry] = relay.list_relayed(office.store)
    assert entry.state == relay.WAITING and "earlier" in entry.message


def test_only_the_bundles_regency_or_the_admin_may_upload_it(field, sync_server, tmp_path):
    """Another regency's supervisor is refused; the provincial admin may send it."""
    from tests.bundle.conftest import signed_in

    field.save("business", business(1))
    data = export_bundle(field.store, tmp_path / "x.tapisbundle").path.read_bytes()
    other = signed_in(tmp_path / "tgm", sync_server.url, "supervisor.tanggamus")
    admin = signed_in(tmp_path / "adm", sync_server.url, "admin.provinsi")
    try:
        with pytest.raises(ServerRefused) as refused:
            other.client.upload_bundle(data)
        assert refused.value.status == 403
        assert admin.client.upload_bundle(data).applied == 1
    finally:
        other.close()
        admin.close()


def test_the_export_key_follows_the_officer_working_now(field, sync_server, tmp_path):
    """Two officers share a laptop: after the other one unlocks it, bundles are
    sealed with the working officer's regency key, not the last sign-in's."""
    from desktop_app.store.local_tables import OfficerAccount
    from desktop_app.sync.bundle_keys import export_key, remember_keys
    from desktop_app.models.types import utc_now

    admin = field.client.login("admin.provinsi", "tapis-demo-2026")
    remember_keys(field.store, admin)  # the admin signed in last: the province key is marked
    assert export_key(field.store)[1] is None
    with field.store.write() as session:  # the Kota officer unlocks the laptop (GUI sign-in)
        session.add(OfficerAccount(officer_id=field.officer.id, username=field.officer.username,
                                   full_name="Petugas", role="officer", regency_code="18.71",
                                   pin_hash="x", server_url=sync_server.url,
                                   last_signed_in=utc_now()))
    field.store.set_officer(field.officer.id)
    assert export_key(field.store)[:2] == ("18.71-1", "18.71")


def test_a_change_refused_from_a_bundle_is_shown_on_the_laptop_later(
        field, office, sync_server, tmp_path):
    """A record outside the officer's regency travels in a bundle: the office
    sees the refusal, and when the field laptop syncs it is parked there with
    the reason too, not taken for a silent duplicate."""
    field.save("business", business(1))
    field.save("business", {**business(2, nik="1811014506900001"), "regency_code": "18.11",
                            "district_code": None})
    stick = export_bundle(field.store, tmp_path / "mixed.tapisbundle").path
    relay.import_bundle(office.store, stick)
    office.sync()
    [entry] = relay.list_relayed(office.store)
    assert "applied 1" in entry.message and "outside your regency" in entry.message
    summary = field.sync()
    assert (summary.pushed, summary.pending_left, summary.parked_total) == (0, 0, 1)
    assert "outside your regency" in summary.parked[0]
    assert server_counts(sync_server, field.store.device_id) == (1, 1)


def test_more_than_one_bundle_holds_is_cut_into_parts_taken_in_order(
        field, office, sync_server, tmp_path):
    """Weeks offline: more changes than one bundle may carry. The export
    writes parts of whole transactions beside the chosen name; the office
    imports them in any order, the relay sends each in seq order, and every
    change reaches the server once."""
    for start in range(0, 60, 10):  # six units of work of 10 businesses
        records.save_batch(field.store, field.actor, "business",
                           [(business(n), False) for n in range(start, start + 10)])
    made = local_changes(field)
    stick = tmp_path / "stick" / "weeks.tapisbundle"
    exported = export_bundle(field.store, stick, max_changes=25)
    names = [part.path.name for part in exported.parts]
    assert names == ["weeks.tapisbundle", "weeks-2.tapisbundle", "weeks-3.tapisbundle"]
    headers = [part.header for part in exported.parts]
    assert [h.changes for h in headers] == [20, 20, 20] and exported.changes == made
    assert [(h.first_seq, h.last_seq) for h in headers] == [(1, 20), (21, 40), (41, 60)]

    with pytest.raises(ServerRefused) as refused:  # sent out of order: which one first
        office.client.upload_bundle(exported.parts[2].path.read_bytes())
    assert refused.value.body.detail == {"expected_seq": 1, "first_seq": 41}
    for part in reversed(exported.parts):  # the office imports them backwards
        relay.import_bundle(office.store, part.path)
    assert office.sync().bundles_forwarded == 3
    assert server_counts(sync_server, field.store.device_id) == (60, made)


def test_a_part_never_passes_the_server_s_limits() -> None:
    """The default limits are the server's: 25,001 one-change transactions
    make two parts, the first exactly MAX_BUNDLE_CHANGES; and a part's JSON
    stays under MAX_JSON_BYTES."""
    from desktop_app import protocol as p
    from desktop_app.protocol import bundle
    from desktop_app.sync.bundle_export import split_parts

    def change(seq: int, text: str = "") -> p.Change:
        return p.Change(seq=seq, change_id=f"00000000-0000-4000-8000-{seq:012d}", txn=seq,
                        table="business", row_id=f"00000000-0000-4000-9000-{seq:012d}",
                        op="update", fields={"notes": text}, hlc=seq, officer_id=None, base_seq=0)

    many = [change(n) for n in range(1, bundle.MAX_BUNDLE_CHANGES + 2)]
    parts = split_parts(many, max_changes=bundle.MAX_BUNDLE_CHANGES,
                        max_json=bundle.MAX_JSON_BYTES)
    assert [len(part) for part in parts] == [bundle.MAX_BUNDLE_CHANGES, 1]
    wide = [change(n, "x" * 4000) for n in range(1, 201)]  # ~4 KB each
    parts = split_parts(wide, max_changes=bundle.MAX_BUNDLE_CHANGES, max_json=100_000)
    assert len(parts) > 1 and sum(len(part) for part in parts) == 200
    assert all(sum(len(c.model_dump_json()) + 1 for c in part) <= 100_000 for part in parts)
