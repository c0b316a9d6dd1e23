"""The device sequence at the server: a gap is a 409 naming where to resume,
a resent batch is counted as duplicates and applied once, and every entry
up to acked_through is settled."""

from __future__ import annotations

from server_calls import (
    applied_for,
    business,
    change,
    error_body,
    last_seq,
    row,
    sign_in,
    stored_state,
)


def _numbered(caller, *seqs: int) -> list[dict]:
    return [{"seq": s, **change("business", "insert", business(caller, name=f"Warung {s}"),
                                officer_id=caller.officer_id)} for s in seqs]


def _send(caller, entries: list[dict]):
    return caller.post("/v1/push", json={"device_id": caller.device_id, "changes": entries})


def test_a_first_push_starting_at_5_is_a_sequence_gap(server):
    """A device that sent nothing pushes seq 5..6: 409 sequence_gap, expected_seq 1, nothing stored."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    before = stored_state(server)
    body = error_body(_send(laptop, _numbered(laptop, 5, 6)), 409, "sequence_gap")
    assert body.detail == {"expected_seq": 1}
    assert stored_state(server) == before and last_seq(server, laptop.device_id) == 0


def test_a_later_gap_names_the_next_expected_seq(server):
    """After seqs 1..3, a batch starting at 6 is told to resume from 4; then 4..6 apply."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    first = _numbered(laptop, 1, 2, 3)
    assert _send(laptop, first).json()["acked_through"] == 3
    later = _numbered(laptop, 4, 5, 6)
    assert error_body(_send(laptop, later[2:]), 409, "sequence_gap").detail == {"expected_seq": 4}
    assert row(server, "business", later[2]["row_id"]) is None
    answer = _send(laptop, later).json()
    assert (answer["acked_through"], answer["applied"]) == (6, 3)


def test_a_resent_batch_is_counted_as_duplicates_and_applied_once(server):
    """The same batch sent twice: the second answer counts duplicates and stores nothing new."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    batch = _numbered(laptop, 1, 2, 3)
    first = _send(laptop, batch).json()
    after_first = stored_state(server)
    again = _send(laptop, batch).json()
    assert (first["applied"], first["duplicates"]) == (3, 0)
    assert (again["applied"], again["duplicates"], again["acked_through"]) == (0, 3, 3)
    assert stored_state(server) == after_first
    assert all(len(applied_for(server, change_id=e["change_id"])) == 1 for e in batch)


def test_an_overlapping_batch_applies_only_the_new_part(server):
    """Seqs 2..4 after 1..3 were acknowledged: two duplicates, one applied."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    entries = _numbered(laptop, 1, 2, 3, 4)
    _send(laptop, entries[:3])
    answer = _send(laptop, entries[1:]).json()
    assert (answer["applied"], answer["duplicates"], answer["acked_through"]) == (1, 2, 4)


def test_a_gap_inside_a_batch_acknowledges_the_contiguous_part(server):
    """Seqs 1, 2, 4 in one batch: 1 and 2 apply, 4 waits (not stored) until 3 arrives."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    entries = _numbered(laptop, 1, 2, 3, 4)
    answer = _send(laptop, [entries[0], entries[1], entries[3]]).json()
    assert (answer["acked_through"], answer["applied"]) == (2, 2)
    assert row(server, "business", entries[3]["row_id"]) is None
    answer = _send(laptop, entries[2:]).json()
    assert (answer["acked_through"], answer["applied"]) == (4, 2)


def test_an_unordered_batch_is_applied_in_seq_order(server):
    """Entries arriving as 3, 1, 2 are settled as 1, 2, 3."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    shop = _numbered(laptop, 1)[0]
    rename = {"seq": 2, **change("business", "update", {"name": "Dua"}, row_id=shop["row_id"])}
    rename_again = {"seq": 3, **change("business", "update", {"name": "Tiga"}, row_id=shop["row_id"])}
    answer = _send(laptop, [rename_again, shop, rename]).json()
    assert (answer["applied"], answer["acked_through"]) == (3, 3)
    assert row(server, "business", shop["row_id"])["name"] == "Tiga"


def test_a_change_arriving_again_under_a_new_seq_is_a_duplicate(server):
    """The same change_id by another route (a new seq, or another laptop) is not applied twice."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    [entry] = _numbered(laptop, 1)
    _send(laptop, [entry])
    again = _send(laptop, [{**entry, "seq": 2}]).json()
    assert (again["applied"], again["duplicates"], again["acked_through"]) == (0, 1, 2)
    other = sign_in(server.url, "petugas.tanggamus")
    from_other = _send(other, [{**entry, "seq": 1}]).json()
    assert (from_other["applied"], from_other["duplicates"]) == (0, 1)
    assert len(applied_for(server, row_id=entry["row_id"])) == 1


def test_rejected_entries_are_settled_too(server):
    """A rejected entry moves acked_through past it; resending it is not a retry: the
    refusal is told again (so the laptop parks it with the reason), nothing applied."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    bad = {"seq": 1, **change("business", "insert", business(laptop, year_started="1999"))}
    answer = _send(laptop, [bad]).json()
    assert answer["acked_through"] == 1 and [r["seq"] for r in answer["rejected"]] == [1]
    again = _send(laptop, [bad]).json()
    assert (again["applied"], again["duplicates"], again["acked_through"]) == (0, 0, 1)
    assert again["rejected"] == answer["rejected"]


def test_a_batch_holding_one_seq_twice_is_refused_whole(server):
    """Two different changes numbered alike cannot both be 'the' seq 1: the batch
    is refused and nothing is stored, rather than one change silently dropped."""
    laptop = sign_in(server.url, "petugas.tanggamus")
    before = stored_state(server)
    twins = _numbered(laptop, 1) + _numbered(laptop, 1)
    error_body(_send(laptop, twins), 422, "invalid")
    assert stored_state(server) == before and last_seq(server, laptop.device_id) == 0
