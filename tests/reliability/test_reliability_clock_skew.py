"""Laptops whose clocks are a year behind and a year ahead still merge in
the right order.

How a wrong clock is emulated: the change-capture triggers stamp every write
with ``max(hlc + 1, julianday('now') …)``, and SQLite reads 'now' from the
operating system. Each skewed laptop gets ``julianday`` replaced, on every
connection of its store, by a function that answers 'now' a year early (or
late) and anything else as SQLite would — exactly what its triggers would see
on a laptop whose OS clock is wrong, for 'behind' as well as 'ahead' (setting
``local_state.hlc`` could only ever emulate 'ahead'). Row timestamps written
from Python (updated_at) keep the true time; only the stamps matter to merging.

What must hold: an edit made after pulling another officer's edit sorts after
it and wins, even on the laptop a year behind (the hybrid clock observes
every pulled stamp); concurrent edits resolve by (hlc, device) the same way
whichever laptop pushes first, the loser kept as a conflict; every laptop
ends with the server's rows and passes the store's own check.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import event, select

from desktop_app.models import synced_tables
from desktop_app.store import check
from desktop_app.protocol.clock import stamp_time
from server.tables import Conflict
from tests.support.laptops import Laptop, snapshot

KOTA = "18.71"
YEAR = 365.0  # days
_REFERENCE = sqlite3.connect(":memory:", check_same_thread=False)


def skew(laptop: Laptop, days: float) -> None:
    """Make the laptop's SQLite clock ``days`` off from now."""

    def julianday(value):  # type: ignore[no-untyped-def]
        real = _REFERENCE.execute("SELECT julianday(?)", (value,)).fetchone()[0]
        return real + days if value == "now" and real is not None else real

    event.listen(laptop.store.engine, "connect",
                 lambda conn, _record: conn.create_function("julianday", 1, julianday))
    laptop.store.engine.dispose()  # connections made before get the clock on reconnecting


def last_stamp(laptop: Laptop, row_id: str, field: str) -> int:
    with sqlite3.connect(laptop.store.db_path) as conn:
        rows = conn.execute("SELECT hlc, fields FROM change_log WHERE row_id = ? ORDER BY seq",
                            (row_id,)).fetchall()
    return [h for h, f in rows if f'"{field}"' in f][-1]


def business(name: str) -> dict:
    return {"name": name, "owner_name": "Ani Rahayu", "owner_nik": "1871014506900001",
            "regency_code": KOTA, "district_code": "18.71.01", "village": "Way Halim"}


def test_skewed_clocks_merge_in_causal_then_stamp_order(sync_server, tmp_path):
    normal = Laptop(tmp_path / "normal", sync_server.url, "petugas.bandarlampung")
    behind = Laptop(tmp_path / "behind", sync_server.url, "supervisor.bandarlampung")
    ahead = Laptop(tmp_path / "ahead", sync_server.url, "admin.provinsi")
    skew(behind, -YEAR)
    skew(ahead, +YEAR)
    laptops = (normal, behind, ahead)
    try:
        # The clocks really are skewed as the triggers see them (first writes,
        # before any laptop has observed another's stamps).
        stamps = {}
        for laptop, name in ((normal, "Normal"), (behind, "Behind"), (ahead, "Ahead")):
            own = laptop.save("business", business(f"Toko {name}"))
            stamps[name] = stamp_time(last_stamp(laptop, own["id"], "name"))
        assert (stamps["Behind"].year + 1 == stamps["Normal"].year
                == stamps["Ahead"].year - 1), stamps
        shops = [normal.save("business", business(f"Toko {n}")) for n in range(4)]
        for laptop in laptops:
            laptop.sync()
        for laptop in laptops:
            laptop.sync()
        [first, second, third, fourth] = [s["id"] for s in shops]

        # 1. Causal order: the ahead laptop renames, the behind one pulls that and
        #    renames after it. A year behind, its stamp still sorts after (observe).
        ahead.save("business", {"name": "Nama dari Ahead"}, first)
        ahead.sync()
        behind.sync()
        behind.save("business", {"name": "Nama dari Behind"}, first)
        assert last_stamp(behind, first, "name") > last_stamp(ahead, first, "name")
        behind.sync()

        # 2. Causal order through another row: the behind laptop has seen the ahead
        #    laptop's stamps (it pulled them), so its edit, made after the normal
        #    laptop's concurrent one, sorts after it and wins; without the observe
        #    its clock would have made it lose.
        normal.save("business", {"address": "Jl. Normal 1"}, second)
        behind.save("business", {"address": "Jl. Behind 2"}, second)
        assert last_stamp(behind, second, "address") > last_stamp(normal, second, "address")
        normal.sync()
        behind.sync()

        # 3. Truly concurrent edits (neither saw the other): the ahead laptop's later
        #    stamp wins; the loser is kept as an 'auto' conflict. Here the winner
        #    pushes first; in the next test the winner pushes second.
        ahead.sync()
        normal.sync()
        ahead.save("business", {"village": "Desa Ahead"}, third)
        normal.save("business", {"village": "Desa Normal"}, third)
        ahead.save("business", {"address": "Jl. Ahead 3"}, fourth)
        normal.save("business", {"address": "Jl. Normal 4"}, fourth)
        ahead.sync()
        normal.sync()  # third: normal pushes second and loses
        for laptop in laptops:
            laptop.sync()
        for laptop in laptops:
            laptop.sync()

        with sync_server.database.session() as session:
            conflicts = {(c.row_id, c.field): (c.kept_value, c.other_value, c.status)
                         for c in session.scalars(select(Conflict))}
        for laptop in laptops:
            rows = laptop.rows("business")
            assert rows[first]["name"] == "Nama dari Behind"
            assert rows[second]["address"] == "Jl. Behind 2"
            assert rows[third]["village"] == "Desa Ahead"
            assert rows[fourth]["address"] == "Jl. Ahead 3"
        assert (first, "name") not in conflicts  # a causal successor is no conflict
        assert conflicts[(second, "address")] == ("Jl. Behind 2", "Jl. Normal 1", "auto")
        assert conflicts[(third, "village")] == ("Desa Ahead", "Desa Normal", "auto")
        assert conflicts[(fourth, "address")] == ("Jl. Ahead 3", "Jl. Normal 4", "auto")

        # Every laptop converged and its store is sound.
        assert snapshot(normal, KOTA) == snapshot(behind, KOTA) == snapshot(ahead, KOTA)
        for laptop in laptops:
            assert laptop.pending() == 0
            with sqlite3.connect(laptop.store.db_path) as conn:
                report = check.run(conn, synced_tables())
            assert report.ok, report.faults
    finally:
        for laptop in laptops:
            laptop.close()


def test_behind_clock_without_news_loses_a_concurrent_edit_deterministically(sync_server, tmp_path):
    """The limit of any clock: a laptop a year behind that has seen no newer
    stamp writes stamps a year early, so its concurrent edit loses to the
    normal laptop's even when made later — the same on every laptop, whichever
    pushes first, and kept as a conflict rather than lost."""
    normal = Laptop(tmp_path / "normal", sync_server.url, "petugas.bandarlampung")
    behind = Laptop(tmp_path / "behind", sync_server.url, "supervisor.bandarlampung")
    skew(behind, -YEAR)
    try:
        shop = behind.save("business", business("Toko Behind"))  # only its own stamps around
        behind.sync()
        normal.sync()
        normal.save("business", {"phone": "081200000001"}, shop["id"])
        behind.save("business", {"phone": "081200000002"}, shop["id"])  # later, in real time
        assert last_stamp(behind, shop["id"], "phone") < last_stamp(normal, shop["id"], "phone")
        behind.sync()  # pushes first, still loses
        normal.sync()
        behind.sync()
        for laptop in (normal, behind):
            assert laptop.rows("business")[shop["id"]]["phone"] == "081200000001"
        with sync_server.database.session() as session:
            [conflict] = session.scalars(select(Conflict)).all()
        assert (conflict.kept_value, conflict.other_value, conflict.status) == (
            "081200000001", "081200000002", "auto")
        assert snapshot(normal, KOTA) == snapshot(behind, KOTA)
    finally:
        normal.close()
        behind.close()
