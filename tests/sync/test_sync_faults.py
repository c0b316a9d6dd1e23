"""Sync over a link that cuts connections at random byte counts: whatever
the link does, the server ends with every record exactly once and every
photo byte-identical. Against one server process on SQLite, and against
``python -m server run --workers 2`` on a fresh PostgreSQL database (each
request, each resumed upload, may land on either worker)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from benchmarks.linkemu import CutPolicy, LinkEmulator
from desktop_app.models import synced_tables
from desktop_app.services import demo, listing, photos
from desktop_app.services.context import Actor
from desktop_app.store import migrate, open_store
from desktop_app.sync.client import SyncClient, SyncError, make_retry
from desktop_app.sync.device_signing import device_key
from desktop_app.sync.engine import SyncEngine
from tests.support.accounting import laptop_rows, server_query, server_rows
from tests.support.laptops import sign_in_through
from tests.support.photos import make_photo
from tests.support.servers import SERVER_KINDS, server_of_kind

RECORDS = 2000
PHOTOS = 12
MIN_CUTS = 200
MAX_ROUNDS = 600  # bounded: each round is one sync attempt
#: Records and the cuts they must meet, per server: the multi-worker
#: PostgreSQL run is the same scenario, smaller (the suite's time); the
#: photos, whose uploads resume across cuts on either worker, are the same.
SIZE_BY_KIND = {"sqlite": (RECORDS, MIN_CUTS), "postgres-2-workers": (300, 30)}


@pytest.mark.slow
@pytest.mark.campaign
@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_random_cuts_lose_nothing_and_duplicate_nothing(tmp_path, request, kind):
    """2,000 records (300 on the two-worker PostgreSQL server) pushed and
    pulled back through a link cut 200+ (30+) times at random byte counts:
    each change applied once, every row identical, every photo byte-identical."""
    records, min_cuts = SIZE_BY_KIND[kind]
    store = open_store(tmp_path / "laptop")
    with server_of_kind(kind, request, tmp_path / "server") as server:
        with LinkEmulator(upstream=("127.0.0.1", server.port),
                          cut_policy=CutPolicy.random(500, 12000), seed=20261123) as link:
            client = SyncClient(f"http://127.0.0.1:{link.port}", device_id=store.device_id,
                                device_key=device_key(store),
                                schema=migrate.head_revision(),
                                retry=make_retry(total=2, backoff=0.01, cap=0.05),
                                timeout=(2.0, 5.0))
            officer = sign_in_through(client, "admin.provinsi", tries=50).officer.id
            store.set_officer(officer)
            # Small units of work, like an officer's own saves: a push never splits one.
            actor = Actor(officer, store.device_id)
            demo.fill(store, actor, records, seed=7, today=date(2026, 11, 23), batch=5)
            shas = _photograph_drafts(store, actor, tmp_path)
            rounds = _sync_until_done(store, client)
            cuts = link.stats.cuts
            client.close()
        applied = server_query(server.db_url, "SELECT count(*) FROM applied_change")[0][0]
        with sqlite3.connect(store.db_path) as conn:
            logged = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
            unsent = conn.execute(
                "SELECT count(*) FROM change_log WHERE push_state != 'sent'").fetchone()[0]
        assert cuts >= min_cuts, f"only {cuts} cuts in {rounds} rounds"
        for sha in shas:
            stored = server.blob_dir / sha[:2] / sha
            assert stored.read_bytes() == photos.photo_path(store, sha).read_bytes()
        assert (applied, unsent) == (logged, 0)
        for table in synced_tables():
            on_server = server_rows(server.db_url, table, None)
            on_laptop = laptop_rows(store.db_path, table, None)
            assert set(on_server) == set(on_laptop), table
            differing = {(row_id, f) for row_id, row in on_laptop.items()
                         for f, value in row.items() if on_server[row_id].get(f) != value}
            assert not differing, f"{table}: {sorted(differing)[:5]}"
    store.close()


def _photograph_drafts(store, actor, folder) -> list[str]:
    """A photo on each of the first draft surveys, as an officer takes them."""
    drafts = listing.list_records(store, "umkm_survey", listing.ListFilter(status="draft"),
                                  limit=PHOTOS).rows
    shas = []
    for n, draft in enumerate(drafts):
        source = make_photo(folder / f"photo-{n}.jpg", size=(1600, 1200), seed=n)
        shas.append(photos.attach_photo(store, actor, "umkm_survey", draft["id"], source,
                                        max_side=1024)["sha256"])
    return shas


def _sync_until_done(store, client) -> int:
    for round_ in range(1, MAX_ROUNDS + 1):
        try:
            summary = SyncEngine(store, client, batch_bytes=64 * 1024).run()
        except SyncError:
            continue
        if summary.pending_left == 0:
            return round_
    raise AssertionError(f"sync did not finish in {MAX_ROUNDS} rounds")
