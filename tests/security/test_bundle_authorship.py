"""Issue 11, items 1 and 10 (authorship): who wrote a change is who the
server verified, never what a header or a field says.

An officer of Tanggamus, with only their own token, their regency's bundle
key and their own laptop's signing key, writes a bundle whose header names
the provincial admin as its author: refused (the admin never signed in on
that laptop), nothing applied. Pushed changes and bundle changes whose
``officer_id``, ``device_id`` or ``created_by`` name someone else are
refused with the field and the reason; the rest of the batch goes on.
"""

from __future__ import annotations

from tests.security.ingest_calls import (  # noqa: F401 (fixture)
    any_server, full_business, insert_change, insider, own,
)
from tests.server.server_calls import (
    KOTA, TANGGAMUS, change, error_body, insert, new_id, row, stored_state,
)


def test_a_bundle_naming_the_admin_as_author_is_refused(any_server):
    """The reported attack: admin named in the header, a Kota business
    renamed and a new one inserted there. 422 author_not_signer, nothing stored."""
    kota = insider(any_server.url, "petugas.bandarlampung")
    target, _ = insert(kota, "business", full_business(kota))
    admin = insider(any_server.url, "admin.provinsi", register=False)  # signed in elsewhere
    attacker = insider(any_server.url, "petugas.tanggamus")
    assert attacker.regency == TANGGAMUS
    forged = [change("business", "update", {"name": "Diambil alih"}, row_id=target,
                     officer_id=admin.officer_id),
              insert_change(admin, "business", {**full_business(admin, regency_code=KOTA),
                                                "device_id": attacker.device_id})]
    before = stored_state(any_server)
    answer = attacker.send_bundle(attacker.seal(forged, officer_id=admin.officer_id))
    body = error_body(answer, 422, "invalid")
    assert body.detail["reason"] == "author_not_signer"
    assert stored_state(any_server) == before
    assert row(any_server, "business", target)["name"] == "Keripik Pisang Ani"


def test_a_bundle_naming_another_officer_of_the_regency_is_refused(any_server):
    """Same regency, another officer who never used this laptop: refused too."""
    other = insider(any_server.url, "supervisor.tanggamus", register=False)
    attacker = insider(any_server.url, "petugas.tanggamus")
    before = stored_state(any_server)
    answer = attacker.send_bundle(attacker.seal(
        [insert_change(other, "business", {**full_business(other),
                                            "device_id": attacker.device_id})],
        officer_id=other.officer_id))
    assert error_body(answer, 422, "invalid").detail["reason"] == "author_not_signer"
    assert stored_state(any_server) == before


def test_a_bundle_by_an_officer_who_signed_in_on_that_laptop_is_applied(any_server):
    """Two officers sharing one laptop (both signed in on it): the bundle of
    the second is theirs and is applied, its rows stamped with them."""
    first = insider(any_server.url, "petugas.tanggamus")
    from tests.server.server_calls import login

    answer = login(any_server.url, "supervisor.tanggamus", device_id=first.device_id)
    assert answer.status_code == 200, answer.text
    second_id = answer.json()["officer"]["id"]
    row_id = new_id()
    fields = {**full_business(first), "created_by": second_id, "officer_id": second_id}
    entry = change("business", "insert", fields, row_id=row_id, officer_id=second_id)
    result = first.send_bundle(first.seal([entry], officer_id=second_id))
    assert result.status_code == 200, result.text
    assert (result.json()["applied"], result.json()["rejected"]) == (1, [])
    assert row(any_server, "business", row_id)["created_by"] == second_id


def test_bundle_changes_naming_another_officer_are_refused_one_by_one(any_server):
    """The author is verified, but one change inside claims another officer:
    that change is refused with the field named, the others applied."""
    author = insider(any_server.url, "petugas.tanggamus")
    other = insider(any_server.url, "supervisor.tanggamus", register=False)
    good, bad = new_id(), new_id()
    entries = [insert_change(author, "business", full_business(author), row_id=good),
               change("business", "insert", {**full_business(author), **own(other)},
                      row_id=bad, officer_id=other.officer_id)]
    result = author.send_bundle(author.seal(entries))
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["applied"] == 1 and [r["seq"] for r in body["rejected"]] == [2]
    assert "officer_id" in body["rejected"][0]["message_en"]
    assert row(any_server, "business", good) is not None and row(any_server, "business", bad) is None


def test_pushed_stamps_naming_someone_else_are_refused(any_server):
    """officer_id / created_by / device_id fields naming another officer or
    device, and an envelope officer_id of another: each refused, nothing of
    it stored; the genuine change in the same batch is applied."""
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    other = insider(any_server.url, "supervisor.tanggamus", register=False)
    forged = [
        change("business", "insert", {**full_business(me), "officer_id": other.officer_id}),
        change("business", "insert", {**full_business(me), "created_by": other.officer_id}),
        change("business", "insert", {**full_business(me), "device_id": other.device_id}),
        change("business", "insert", full_business(me), officer_id=other.officer_id),
    ]
    genuine = insert_change(me, "business", full_business(me))
    answer = me.push_ok(*forged, genuine)
    assert answer["applied"] == 1 and len(answer["rejected"]) == 4, answer
    for rejected, name in zip(answer["rejected"],
                              ("officer_id", "created_by", "device_id", "officer_id")):
        assert rejected["code"] == "forbidden" and name in rejected["message_en"], rejected
    for entry in forged:
        assert row(any_server, "business", entry["row_id"]) is None
    assert row(any_server, "business", genuine["row_id"]) is not None


def test_an_update_cannot_take_over_a_record(any_server):
    """created_by of a stored row is its owner's for good: an update naming
    the updater as creator (to pull it in their 'own' scope) is refused."""
    owner = insider(any_server.url, "petugas.tanggamus", register=False)
    row_id, _ = insert(owner, "business", full_business(owner))
    colleague = insider(any_server.url, "supervisor.tanggamus", register=False)
    answer = colleague.push_ok(change("business", "update",
                                      {"created_by": colleague.officer_id, "name": "Milik saya"},
                                      row_id=row_id, officer_id=colleague.officer_id))
    assert answer["applied"] == 0 and "created_by" in answer["rejected"][0]["message_en"]
    assert row(any_server, "business", row_id)["created_by"] == owner.officer_id


def test_a_colleague_sends_the_work_left_on_a_shared_laptop(any_server):
    """A laptop shared in an office: an officer's unsent change, pushed later
    under a colleague's token from the same (proven) laptop, is accepted and
    stays the first officer's; naming an officer who never signed in on
    that laptop is refused."""
    first = insider(any_server.url, "petugas.tanggamus")
    from tests.server.server_calls import Caller, login

    answer = login(any_server.url, "supervisor.tanggamus", device_id=first.device_id)
    colleague = Caller(any_server.url, answer.json()["token"], first.device_id,
                       answer.json()["officer"]["id"], TANGGAMUS)
    stranger = insider(any_server.url, "admin.provinsi", register=False)  # on another laptop
    left = change("business", "insert", full_business(first), officer_id=first.officer_id)
    forged = change("business", "insert", {**full_business(first), **own(stranger),
                                            "device_id": first.device_id},
                    officer_id=stranger.officer_id)
    result = colleague.push_ok(left, forged)
    assert result["applied"] == 1 and [r["seq"] for r in result["rejected"]] == [2], result
    assert row(any_server, "business", left["row_id"])["created_by"] == first.officer_id
    from tests.server.server_calls import applied_for

    assert applied_for(any_server, row_id=left["row_id"])[0].officer_id == first.officer_id
