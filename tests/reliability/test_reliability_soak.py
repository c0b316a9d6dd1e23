"""A short soak: six devices in two regencies sync for ~25 s (longer, up to
75 s, on a loaded machine, until they have made 110 records) through links
that cut connections at random byte counts, drop every connection every few
seconds ('flaky') and go offline in blank spots, while their officers make
and edit records — the cooperatives of each regency edited by every device
of it. At the end the links heal and every device syncs until nothing moves.

Books, per device, against its own change_log: lost (logged, not applied at
the server) 0, duplicated (applied rows minus distinct change ids) 0, every
device's rows of its regency equal the server's. Then the NIK check of the
issue: every device logged at DEBUG with SQL statements and their parameters
(NIKs among them) through the application's filter, the server to its
stderr; every log file is grepped for every NIK in the data: none found.

It runs twice: against one server process on SQLite, and against
``python -m server run --workers 2`` on a fresh PostgreSQL database, where
each request of a device may land on either worker.

The harness is :func:`tests.support.soak.soak`; ``python -m benchmarks
reliability`` runs it with 20 devices for 10 minutes.
"""

from __future__ import annotations

import pytest

from tests.support.servers import SERVER_KINDS, server_of_kind
from tests.support.soak import SoakConfig, soak

CONFIG = SoakConfig(devices=6, seconds=25, seed=20261125, think=(0.2, 0.8),
                    sync_every=(1.5, 4.0), rtt_ms=40.0, bps=None, blank_every=2.0,
                    blank_for=(0.5, 3.0), min_created=110)


@pytest.fixture(scope="module", params=SERVER_KINDS)
def soaked(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("soak")
    with server_of_kind(request.param, request, folder, sample_every=1.0) as server:
        result = soak(folder / "devices", server, CONFIG)
    print(f"soak ({request.param}): {result.devices} devices, {result.recorded} changes logged, "
          f"{result.changes_pushed} pushed, {result.cuts} cuts ({result.cuts_by_bytes} by bytes, "
          f"{result.drops} drops, {result.blank_spots} blank spots), {result.conflicts} "
          f"conflicts, {result.syncs} syncs ({result.syncs_cut} cut), settle rounds "
          f"{result.settle_rounds}, server RSS {result.memory}")
    return result


@pytest.mark.slow
@pytest.mark.campaign
@pytest.mark.timeout(180)
def test_soak_through_cutting_links_loses_nothing_duplicates_nothing_and_converges(soaked):
    result = soaked
    assert sum(result.created.values()) >= 60 and sum(result.edited.values()) >= 30
    assert result.edited["cooperative"] >= 10  # shared records really were edited by several
    assert result.cuts >= 20, "the links hardly cut anything"
    assert result.syncs_cut + result.cut_requests >= 5, "no sync was hurt by a cut"
    for device, books in result.books.items():
        assert books.recorded > 0, device
        assert (books.lost, books.duplicated, books.foreign) == (0, 0, 0), (device, books)
        assert (books.pending, books.parked) == (0, 0), (device, books)
    assert result.lost == 0 and result.duplicated == 0
    assert result.converged, {d: diff[:5] for d, diff in result.differences.items() if diff}
    assert result.conflicts > 0  # concurrent edits of the shared cooperatives met


@pytest.mark.slow
@pytest.mark.campaign
def test_no_nik_in_any_log_file_after_the_soak(soaked):
    assert soaked.nik_count >= 50 and soaked.log_files >= CONFIG.devices + 1
    assert soaked.log_bytes > 100_000, "the devices logged almost nothing: the check proves little"
    assert soaked.nik_hits == {}
