"""Regency scope on every endpoint, on SQLite and PostgreSQL: a Tanggamus
officer neither reads nor writes Mesuji's records, supervisors see only
their regency's conflicts and devices, the provincial admin sees all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from server_calls import (
    KOTA,
    MESUJI,
    TANGGAMUS,
    Caller,
    applied_for,
    attribution,
    business,
    change,
    cooperative,
    error_body,
    insert,
    row,
    sign_in,
)

from server.tables import AppliedChange


@dataclass
class World:
    """Records of three regencies, with an open conflict in each."""

    server: object
    rows: dict[str, list[str]]  # regency -> row ids created there
    tanggamus_business: str
    mesuji_business: str
    mesuji_survey: str
    mesuji_device: str

    signed_in: dict[str, Caller] = field(default_factory=dict)

    def caller(self, username: str) -> Caller:
        """One laptop per account for the whole module (signing in is slow by design)."""
        if username not in self.signed_in:
            self.signed_in[username] = sign_in(self.server.url, username)  # type: ignore[attr-defined]
        return self.signed_in[username]


def _regency_with_conflict(url: str, username: str, regency: str) -> tuple[list[str], Caller]:
    """A business, a visit and a cooperative whose member count two laptops disagree on."""
    first, second = sign_in(url, username), sign_in(url, username)
    nik = regency.replace(".", "") + "014506900001"
    shop, _ = insert(first, "business", business(first, owner_nik=nik))
    survey, _ = insert(first, "umkm_survey", {"business_id": shop, "visit_date": "2026-11-20",
                                              "regency_code": regency, **attribution(first)})
    coop, _ = insert(first, "cooperative", cooperative(first))
    answer = second.push_ok(change("cooperative", "update", {"members_male": 99}, row_id=coop,
                                   officer_id=second.officer_id))
    assert answer["conflicts"] == 1
    return [shop, survey, coop], first


@pytest.fixture(scope="module")
def world(any_server) -> World:
    rows, callers = {}, {}
    for username, regency in (("petugas.mesuji", MESUJI), ("petugas.tanggamus", TANGGAMUS),
                              ("petugas.bandarlampung", KOTA)):
        rows[regency], callers[regency] = _regency_with_conflict(any_server.url, username, regency)
    return World(any_server, rows, rows[TANGGAMUS][0], rows[MESUJI][0], rows[MESUJI][1],
                 callers[MESUJI].device_id)


def _pulled(caller: Caller, scope: str) -> list[dict]:
    changes, cursor = [], 0
    while True:
        answer = caller.pull(scope, cursor, limit=2)  # small pages: the filter holds on every page
        assert answer.status_code == 200, answer.text
        page = answer.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes


def _regencies_of(world: World, changes: list[dict]) -> set[str | None]:
    with world.server.database.session() as session:  # type: ignore[attr-defined]
        return {session.get(AppliedChange, c["server_seq"]).regency_code for c in changes}


# --- one check per endpoint, each as a Tanggamus officer facing Mesuji --------


def pull_regency(world: World, officer: Caller) -> None:
    changes = _pulled(officer, "regency")
    _only_tanggamus(world, {c["row_id"] for c in changes})
    assert _regencies_of(world, changes) == {TANGGAMUS}


def pull_own(world: World, officer: Caller) -> None:
    _only_tanggamus(world, {c["row_id"] for c in _pulled(officer, "own")})


def _only_tanggamus(world: World, pulled: set[str]) -> None:
    assert set(world.rows[TANGGAMUS]) <= pulled
    assert not pulled & (set(world.rows[MESUJI]) | set(world.rows[KOTA]))


def _refused(world: World, officer: Caller, entry: dict) -> None:
    answer = officer.push_ok(entry)
    assert answer["applied"] == 0 and answer["acked_through"] == officer.last_seq
    [rejected] = answer["rejected"]
    assert rejected["code"] == "forbidden" and rejected["seq"] == officer.last_seq
    assert "wilayah" in rejected["message_id"] and "regency" in rejected["message_en"]
    assert applied_for(world.server, change_id=entry["change_id"]) == []


def push_insert(world: World, officer: Caller) -> None:
    entry = change("business", "insert", business(officer, MESUJI), officer_id=officer.officer_id)
    _refused(world, officer, entry)
    assert row(world.server, "business", entry["row_id"]) is None


def push_insert_visit_photo(world: World, officer: Caller) -> None:
    fields = {"owner_table": "umkm_survey", "owner_id": world.mesuji_survey, "sha256": "a" * 64,
              **attribution(officer)}
    entry = change("attachment", "insert", fields, officer_id=officer.officer_id)
    _refused(world, officer, entry)
    assert row(world.server, "attachment", entry["row_id"]) is None


def push_visit_of_mesuji_business(world: World, officer: Caller) -> None:
    """A visit filed in Tanggamus but about a Mesuji business is refused."""
    fields = {"business_id": world.mesuji_business, "visit_date": "2026-11-20",
              "regency_code": TANGGAMUS, **attribution(officer)}
    entry = change("umkm_survey", "insert", fields, officer_id=officer.officer_id)
    _refused(world, officer, entry)
    assert row(world.server, "umkm_survey", entry["row_id"]) is None


def push_update(world: World, officer: Caller) -> None:
    before = row(world.server, "business", world.mesuji_business)
    _refused(world, officer, change("business", "update", {"name": "Dicuri"},
                                    row_id=world.mesuji_business, officer_id=officer.officer_id))
    _refused(world, officer, change("business", "update", {"name": "Dicuri", "regency_code": TANGGAMUS},
                                    row_id=world.mesuji_business, officer_id=officer.officer_id))
    assert row(world.server, "business", world.mesuji_business) == before


def push_delete(world: World, officer: Caller) -> None:
    _refused(world, officer, change("business", "delete", {}, row_id=world.mesuji_business,
                                    officer_id=officer.officer_id))
    assert row(world.server, "business", world.mesuji_business)["deleted_at"] is None


def push_move_out(world: World, officer: Caller) -> None:
    before = row(world.server, "business", world.tanggamus_business)
    _refused(world, officer, change("business", "update", {"regency_code": MESUJI},
                                    row_id=world.tanggamus_business, officer_id=officer.officer_id))
    assert row(world.server, "business", world.tanggamus_business) == before


def conflicts(world: World, officer: Caller) -> None:
    error_body(officer.get("/v1/conflicts"), 403, "forbidden")


def revoke(world: World, officer: Caller) -> None:
    error_body(officer.revoke(world.mesuji_device), 403, "forbidden")
    assert world.caller("petugas.mesuji").pull().status_code == 200


CHECKS: list[Callable[[World, Caller], None]] = [
    pull_regency, pull_own, push_insert, push_insert_visit_photo, push_visit_of_mesuji_business,
    push_update, push_delete,
    push_move_out, conflicts, revoke]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_a_tanggamus_officer_cannot_reach_mesuji(world, check):
    """Each endpoint keeps a Tanggamus officer inside Tanggamus (reads, writes, conflicts, devices)."""
    check(world, world.caller("petugas.tanggamus"))


def test_the_admin_pulls_every_regency(world):
    """The provincial admin's regency scope holds all three regencies (so the checks above bite)."""
    changes = _pulled(world.caller("admin.provinsi"), "regency")
    assert {r for rows in world.rows.values() for r in rows} <= {c["row_id"] for c in changes}
    assert {MESUJI, TANGGAMUS, KOTA} <= _regencies_of(world, changes)


@pytest.mark.parametrize(("username", "regencies"), [
    ("supervisor.tanggamus", {TANGGAMUS}),
    ("supervisor.bandarlampung", {KOTA}),
    ("admin.provinsi", {TANGGAMUS, KOTA, MESUJI}),
])
def test_conflicts_are_listed_within_the_callers_regency(world, username, regencies):
    """Supervisors see their regency's open conflicts only; the admin sees every regency's."""
    answer = world.caller(username).get("/v1/conflicts")
    assert answer.status_code == 200, answer.text
    assert {c["regency_code"] for c in answer.json()} == regencies


def _mesuji_conflict(world: World) -> str:
    from sqlalchemy import select

    from server.tables import Conflict

    with world.server.database.session() as session:  # type: ignore[attr-defined]
        return session.scalar(select(Conflict.id).where(Conflict.regency_code == MESUJI,
                                                        Conflict.status == "open"))


@pytest.mark.parametrize("username", ["petugas.tanggamus", "supervisor.tanggamus",
                                      "petugas.mesuji"])
def test_only_mesujis_supervisor_or_the_admin_may_settle_its_conflict(world, username):
    """Settling a Mesuji conflict is refused to a Tanggamus officer or supervisor and to
    Mesuji's own field officer; the conflict stays open."""
    conflict = _mesuji_conflict(world)
    answer = world.caller(username).post(f"/v1/conflicts/{conflict}/settle", json={"value": 1})
    error_body(answer, 403, "forbidden")
    assert _mesuji_conflict(world) == conflict


def test_an_officer_works_freely_inside_their_regency(world):
    """Positive control: update, photo, photo caption and delete of own-regency rows are applied."""
    officer = world.caller("petugas.tanggamus")
    shop, _ = insert(officer, "business", business(officer, owner_nik="1806011203990001"))
    survey, _ = insert(officer, "umkm_survey", {"business_id": shop, "visit_date": "2026-11-21",
                                                "regency_code": TANGGAMUS, **attribution(officer)})
    photo, _ = insert(officer, "attachment", {"owner_table": "umkm_survey", "owner_id": survey,
                                              "sha256": "b" * 64, **attribution(officer)})
    for entry in (change("business", "update", {"name": "Kopi Tanggamus"}, row_id=shop),
                  change("attachment", "update", {"caption": "Depan toko"}, row_id=photo),
                  change("attachment", "delete", {}, row_id=photo)):
        answer = officer.push_ok(entry)
        assert (answer["applied"], answer["rejected"]) == (1, []), answer
    assert row(world.server, "business", shop)["name"] == "Kopi Tanggamus"
    assert row(world.server, "attachment", photo)["caption"] == "Depan toko"
    assert row(world.server, "attachment", photo)["deleted_at"] is not None
