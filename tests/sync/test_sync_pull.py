"""The pull: each change downloaded once on an officer's first pull (the
'own' scope leaves out what 'regency' sends), an officer's records outside
their regency still arrive, an older laptop still gets the whole 'own'
scope, and the next page is fetched while the store applies the last
without a crash there ever skipping or doubling a row. Real server on
loopback (SQLite and PostgreSQL), real laptop stores."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app import protocol as p
from desktop_app.store import inbox
from desktop_app.sync.engine import AdaptiveSize, SyncEngine
from server.tables import AppliedChange
from tests.support.laptops import Laptop, regency_factory

KOTA = "18.71"
OFFICER = "petugas.bandarlampung"


def fill(laptop: Laptop, n: int, seed: int = 11) -> None:
    factory = regency_factory(laptop.store, KOTA, seed=seed, today=date(2026, 11, 23))
    for _ in range(n):
        shop = laptop.save("business", factory.business())
        laptop.save("umkm_survey", factory.survey(shop["id"]))


def regency_changes(server, regency: str = KOTA) -> int:
    with server.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(AppliedChange)
                                  .where(AppliedChange.regency_code == regency)) or 0)


def row_versions(laptop: Laptop) -> int:
    with sqlite3.connect(laptop.store.db_path) as conn:
        return conn.execute("SELECT count(*) FROM sync_row_version").fetchone()[0]


def raw_pull(laptop: Laptop, **params: object) -> dict:
    answer = laptop.client._send("GET", "/pull", params={"cursor": 0, "limit": 1000, **params})
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()


def test_an_officers_first_pull_downloads_each_change_once(sync_server, tmp_path):
    """A new laptop of an officer who made records: every change once (the
    old 'own' scope sent the regency's rows again: twice the rows and bytes)."""
    maker = Laptop(tmp_path / "maker", sync_server.url, OFFICER)
    fresh = Laptop(tmp_path / "fresh", sync_server.url, OFFICER)
    colleague = Laptop(tmp_path / "colleague", sync_server.url, "supervisor.bandarlampung")
    try:
        fill(maker, 25)
        maker.sync()
        total = regency_changes(sync_server)
        assert total == 50
        before = fresh.client.bytes_received
        summary = fresh.sync()
        assert summary.pulled == total  # was 100: the own scope sent all 50 again
        assert summary.refetched_scopes == []
        assert len(fresh.rows("business")) == 25 and len(fresh.rows("umkm_survey")) == 25
        assert row_versions(fresh) == total
        # The same rows cost the officer no more than a colleague who owns none of them.
        officer_bytes = fresh.client.bytes_received - before
        before = colleague.client.bytes_received
        colleague.sync()
        assert officer_bytes < 1.2 * (colleague.client.bytes_received - before)
        # A second sync downloads nothing again.
        assert fresh.sync().pulled == 0
    finally:
        for laptop in (maker, fresh, colleague):
            laptop.close()


def test_own_records_outside_the_regency_and_older_laptops(sync_server, tmp_path):
    """A record the officer made, moved by the province to another regency,
    still reaches the officer's new laptop (through 'own', once), with both
    scopes' checksums agreeing; a laptop that does not send ``exclude`` (an
    older one) still gets the whole 'own' scope with its checksum."""
    maker = Laptop(tmp_path / "maker", sync_server.url, OFFICER)
    admin = Laptop(tmp_path / "admin", sync_server.url, "admin.provinsi")
    fresh = Laptop(tmp_path / "fresh", sync_server.url, OFFICER)
    try:
        fill(maker, 3)
        maker.sync()
        admin.sync()
        moved = next(iter(maker.rows("business")))
        admin.save("business", {"regency_code": "18.06", "district_code": None,
                                "village_code": None}, moved)
        assert admin.sync().parked == []
        summary = fresh.sync()
        assert summary.refetched_scopes == []
        assert fresh.rows("business")[moved]["regency_code"] == "18.06"
        with sync_server.database.session() as session:
            visible = int(session.scalar(select(func.count()).select_from(AppliedChange).where(
                (AppliedChange.regency_code == KOTA)
                | (AppliedChange.owner_officer_id == fresh.officer.id))) or 0)
        assert summary.pulled == visible  # each change once, the move included

        outside = raw_pull(fresh, scope="own", exclude="regency")
        assert [c["row_id"] for c in outside["changes"]] == [moved]
        assert outside["row_count"] == 1
        whole = raw_pull(fresh, scope="own")  # an older laptop: everything the officer made
        assert len(whole["changes"]) == 7 and whole["row_count"] == 6
        assert whole["checksum"] != outside["checksum"]
        refused = fresh.client._send("GET", "/pull", allow=(422,),
                                     params={"scope": "regency", "exclude": "regency"})
        assert refused.status_code == 422 and refused.json()["detail"]["field"] == "exclude"
        assert raw_pull(admin, scope="own", exclude="regency")["changes"] == []
    finally:
        for laptop in (maker, admin, fresh):
            laptop.close()


def test_next_page_is_fetched_while_the_last_applies_and_a_crash_loses_nothing(
        sync_server, tmp_path, monkeypatch):
    """While page 3 is applied the request for page 4 is already out (its
    cursor is page 3's next_cursor); the laptop crashes before page 3 is
    committed; the next sync starts from page 3 again: every change applied
    exactly once, the checksum agrees, nothing refetched."""
    maker = Laptop(tmp_path / "maker", sync_server.url, OFFICER)
    fresh = Laptop(tmp_path / "fresh", sync_server.url, "supervisor.bandarlampung")
    try:
        fill(maker, 30)
        maker.sync()
        total = regency_changes(sync_server)
        asked: list[int] = []
        lock = threading.Lock()
        pull = fresh.client.pull

        def recorded(scope, cursor, limit=500, exclude=None):  # type: ignore[no-untyped-def]
            if scope == p.Scope.REGENCY:
                with lock:
                    asked.append(cursor)
            extra = {"exclude": exclude} if exclude is not None else {}
            return pull(scope, cursor, limit=limit, **extra)

        fresh.client.pull = recorded  # type: ignore[method-assign]
        apply_page = inbox.apply_page
        calls: list[int] = []
        seen_ahead: list[bool] = []

        def crashing(store, scope, changes, next_cursor):  # type: ignore[no-untyped-def]
            calls.append(next_cursor)
            if len(calls) == 3:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    with lock:
                        if next_cursor in asked:
                            break
                    time.sleep(0.01)
                with lock:
                    seen_ahead.append(next_cursor in asked)
                raise RuntimeError("laptop lost power")
            return apply_page(store, scope, changes, next_cursor)

        monkeypatch.setattr(inbox, "apply_page", crashing)
        engine = SyncEngine(fresh.store, fresh.client)
        engine.page_size = AdaptiveSize(10, minimum=10)
        with pytest.raises(RuntimeError, match="lost power"):
            engine.pull_all()
        assert seen_ahead == [True]  # the next page was asked for before this one was applied
        first = engine.summary.pulled
        assert first == 20
        assert inbox.cursor(fresh.store, "regency") == calls[1]  # pages 1 and 2 only

        monkeypatch.setattr(inbox, "apply_page", apply_page)
        again = SyncEngine(fresh.store, fresh.client)
        again.page_size = AdaptiveSize(10, minimum=10)
        again.pull_all()
        assert first + again.summary.pulled == total  # none skipped, none twice
        assert again.summary.refetched_scopes == []
        assert row_versions(fresh) == total
        assert set(fresh.rows("business")) == set(maker.rows("business"))
        assert set(fresh.rows("umkm_survey")) == set(maker.rows("umkm_survey"))
    finally:
        maker.close()
        fresh.close()


def test_pages_are_sized_to_the_link(sync_server, tmp_path, monkeypatch):
    """A page that arrives slowly makes the next one smaller (so a page
    arrives within the server's keep-alive); fast pages make them grow back."""
    from desktop_app.sync import engine as sync_engine

    maker = Laptop(tmp_path / "maker", sync_server.url, OFFICER)
    fresh = Laptop(tmp_path / "fresh", sync_server.url, "supervisor.bandarlampung")
    try:
        fill(maker, 40)
        maker.sync()
        monkeypatch.setattr(sync_engine, "PULL_PAGE_SECONDS", 0.5)
        asked: list[int] = []
        pull = fresh.client.pull

        def slow(scope, cursor, limit=500, exclude=None):  # type: ignore[no-untyped-def]
            extra = {"exclude": exclude} if exclude is not None else {}
            page = pull(scope, cursor, limit=limit, **extra)
            if scope == p.Scope.REGENCY:
                asked.append(limit)
                if len(asked) == 1:
                    time.sleep(0.05 * len(page.changes))  # 20 changes/s: a slow link
            return page

        fresh.client.pull = slow  # type: ignore[method-assign]
        engine = SyncEngine(fresh.store, fresh.client)
        engine.page_fit = 40
        engine.pull_all()
        assert asked[0] == 40
        assert asked[1] == 10  # 0.5 s at 20 changes/s, never under the minimum of 10
        assert asked[-1] > asked[1]  # loopback: the pages grow back
        assert engine.summary.pulled == regency_changes(sync_server)
    finally:
        maker.close()
        fresh.close()
