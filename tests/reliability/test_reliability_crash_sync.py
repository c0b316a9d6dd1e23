"""SIGKILL a laptop process that saves and syncs, at random points aimed at
the dangerous ones — inside a save's transaction, with a push in flight,
inside the transaction that records the server's acknowledgement, and while
a page of pulled changes is applied — then restart it and sync to the end.

The harness is :func:`tests.support.crash_campaign.crash_campaign` (the
benchmark runs a longer campaign with it): the killed laptop is a subprocess
(``python -m tests.support.crash_worker``) printing markers, flushed, as it
goes; '*-commit' markers come from SQLAlchemy's commit event, i.e. inside
the transaction before its COMMIT, where the worker lingers 15 ms so the kill
lands with the transaction open. Another officer's laptop keeps records
coming (a few hundred before the first kill) so every pull has pages to
apply. The server is a separate process: one on SQLite, and
``python -m server run --workers 2`` on a fresh PostgreSQL database (the
laptop's requests spread over both workers).

Afterwards: ``integrity_check`` ok, the store's own check passes (it folds
the local change log; rows pulled and later overwritten by pulls are checked
only for fields still pending), every change the laptop logged is applied at
the server exactly once (applied_change rows of the device vs its
change_log), every record it reported saved is there, and its rows of its
regency equal the server's. Reproduce with TAPIS_CRASH_SYNC_SEED=<seed>.
"""

from __future__ import annotations

import os

import pytest

from tests.support.crash_campaign import crash_campaign
from tests.support.servers import SERVER_KINDS, server_of_kind

KILLS = 30
SEED = int(os.environ.get("TAPIS_CRASH_SYNC_SEED", "20261124"))


@pytest.mark.slow
@pytest.mark.campaign
@pytest.mark.timeout(240)
@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_sigkill_while_saving_pushing_acknowledging_and_applying_loses_nothing(
        tmp_path, request, kind):
    with server_of_kind(kind, request, tmp_path / "server") as server:
        result = crash_campaign(tmp_path / "crash", server, kills=KILLS, seed=SEED,
                                prefill=240, feed=(20, 50))
    print(f"seed {SEED}: {result.kills} kills in {result.seconds:.0f} s, aimed "
          f"{dict(result.aimed)}, landed inside the transaction {dict(result.landed_open)}; "
          f"{len(result.saved_reported)} saves reported; {result.books}")
    books = result.books
    assert result.kills >= KILLS
    assert result.integrity == "ok"
    assert not result.check_faults, "\n".join(result.check_faults[:10])
    assert not result.missing_reported, result.missing_reported[:5]
    assert books is not None and books.recorded > 0
    assert (books.lost, books.duplicated, books.foreign) == (0, 0, 0), books
    assert (books.pending, books.parked) == (0, 0), books
    assert books.applied == books.recorded == books.distinct
    assert not result.differences, result.differences[:10]
    # The kills reached every dangerous point, not only the easy ones.
    for target in ("save", "push", "ack", "apply"):
        assert result.landed_open[target] >= 1, (target, result.landed_open, result.aimed)
