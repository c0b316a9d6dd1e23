"""The set-based ingest (server/ingest.py): a batch is merged in memory and
written with a few statements; what that must not change."""

from __future__ import annotations

from sqlalchemy import select

from server.tables import AppliedChange, Conflict, FieldVersion
from tests.server.server_calls import (
    attribution, business, change, new_id, row, sign_in,
)


def _log(server, row_id: str) -> list[tuple[str, int]]:
    with server.database.session() as session:
        return [(op, seq) for op, seq in session.execute(
            select(AppliedChange.op, AppliedChange.server_seq)
            .where(AppliedChange.row_id == row_id).order_by(AppliedChange.server_seq))]


def _versions(server, row_id: str) -> set[str]:
    with server.database.session() as session:
        return set(session.scalars(select(FieldVersion.field)
                                   .where(FieldVersion.row_id == row_id)))


def test_one_bad_change_in_a_batch_is_found_and_only_it_is_rejected(any_server):
    """A visit of a business the server lacks sits between good inserts: the
    database refuses the batch's writes, the batch is settled again one
    change at a time, and only that change is rejected; sent again, the good
    ones are duplicates and the bad one is told again."""
    officer = sign_in(any_server.url, "petugas.tanggamus")
    shops = [change("business", "insert", business(officer, name=f"Toko {i}"),
                    officer_id=officer.officer_id) for i in range(4)]
    orphan = change("umkm_survey", "insert", {
        "business_id": new_id(), "visit_date": "2026-11-20", "regency_code": officer.regency,
        **attribution(officer)}, officer_id=officer.officer_id)
    batch = [*shops[:2], orphan, *shops[2:]]
    answer = officer.push_ok(*batch)
    assert (answer["applied"], answer["acked_through"]) == (4, 5)
    assert [(r["seq"], r["code"]) for r in answer["rejected"]] == [(3, "invalid")]
    assert all(row(any_server, "business", s["row_id"]) for s in shops)
    assert row(any_server, "umkm_survey", orphan["row_id"]) is None
    officer.last_seq = 0
    again = officer.push_ok(*batch)
    assert (again["applied"], again["duplicates"]) == (0, 4)
    assert [r["seq"] for r in again["rejected"]] == [3]
    for shop in shops:
        assert len(_log(any_server, shop["row_id"])) == 1


def test_changes_to_one_row_in_one_batch_apply_in_order(any_server):
    """An insert and two edits of one business in one batch: the row ends
    with the last edit, the log holds all three in order, and only the
    edited fields get field-version rows (the insert's log entry stands for
    the rest)."""
    officer = sign_in(any_server.url, "petugas.tanggamus")
    shop = change("business", "insert", business(officer), officer_id=officer.officer_id)
    rid = shop["row_id"]
    first = change("business", "update", {"name": "Toko Satu", "phone": "0812"}, row_id=rid,
                   officer_id=officer.officer_id)
    second = change("business", "update", {"name": "Toko Dua"}, row_id=rid,
                    officer_id=officer.officer_id)
    answer = officer.push_ok(shop, first, second)
    assert (answer["applied"], answer["conflicts"], answer["rejected"]) == (3, 0, [])
    stored = row(any_server, "business", rid)
    assert (stored["name"], stored["phone"]) == ("Toko Dua", "0812")
    log = _log(any_server, rid)
    assert [op for op, _ in log] == ["insert", "update", "update"]
    assert [seq for _, seq in log] == sorted(seq for _, seq in log)
    assert _versions(any_server, rid) == {"name", "phone"}


def test_a_field_set_only_by_the_insert_still_meets_a_concurrent_edit(any_server):
    """No field-version row is written for an insert: a supervisor's edit
    from before the row (base 0) of a field only the insert set is still
    seen as concurrent and merged by the rules (descriptive: later stamp
    wins, the other kept as an 'auto' conflict)."""
    officer = sign_in(any_server.url, "petugas.tanggamus")
    supervisor = sign_in(any_server.url, "supervisor.tanggamus")
    shop = change("business", "insert", business(officer), officer_id=officer.officer_id)
    officer.push_ok(shop)
    assert _versions(any_server, shop["row_id"]) == set()
    edit = change("business", "update", {"address": "Jl. Baru 1"}, row_id=shop["row_id"],
                  officer_id=supervisor.officer_id, base_seq=0)
    answer = supervisor.push_ok(edit)
    assert (answer["applied"], answer["conflicts"]) == (1, 1)
    with any_server.database.session() as session:
        conflict = session.scalars(select(Conflict).where(
            Conflict.row_id == shop["row_id"])).one()
    assert (conflict.field, conflict.status) == ("address", "auto")
    assert row(any_server, "business", shop["row_id"])["address"] == "Jl. Baru 1"
