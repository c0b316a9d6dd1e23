"""The store at field scale: saving a record, the first page of a list and
search as you type, on a store holding 100,000 records.

The store is filled once with :func:`desktop_app.services.demo.fill` (about a
minute for 100,000 records) into ``benchmarks/.cache/store-N`` and reused
while the record count, seed and schema revision match. Each run works on a
fresh copy of it, so the saves measured here never accumulate in the cache.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from argparse import Namespace
from datetime import date
from pathlib import Path

from sqlalchemy import text

from desktop_app.services import demo, listing, records, search
from desktop_app.services.context import Actor
from desktop_app.services.demo_data import DemoFactory, DemoPlace
from desktop_app.store import Store, change_capture, migrate, open_store
from desktop_app.store.store import DB_NAME

from .common import CACHE, Figure, Section, time_ms

NAME = "store"
DEFAULT_RECORDS = 100_000
SEED = 18
OFFICER = "00000000-0000-7000-8000-000000000d30"  # the CLI demo's officer

#: With 50 runs the p99 would be the maximum; 200 make it the second largest.
SAVE_RUNS, PAGE_RUNS, SEARCH_RUNS = 300, 200, 100
SAVE_TARGET, PAGE_TARGET, SEARCH_TARGET = 10.0, 50.0, 30.0
#: What an officer types into the search box, word by word as they type it.
TYPED = ("kop", "keripik pis", "sari", "tani mak", "way")


def run(options: Namespace) -> Section:
    wanted = options.records or DEFAULT_RECORDS
    cache = cached_store(wanted)
    with tempfile.TemporaryDirectory(prefix="work-", dir=CACHE) as work:
        store = working_copy(cache, Path(work))
        try:
            figures = measure(store)
        finally:
            store.close()
    command = "python -m benchmarks store" + (
        f" --records {wanted}" if wanted != DEFAULT_RECORDS else "")
    return Section(
        name=NAME,
        title=f"Store: saves, first pages and search at {wanted:,} records",
        command=command,
        setup=(f"The store holds {wanted:,} demo records (`demo.fill`, seed {SEED}: businesses, "
               "cooperatives and aid applicants with one survey, audit or verification each, "
               "70 % finalised), on a fresh copy of the cached database in a warm OS page "
               "cache, with the application's PRAGMAs (WAL, `synchronous = FULL`). "
               f"A save is one `records.save` unit of work (BEGIN IMMEDIATE, validation, "
               f"insert, change-log trigger, commit with fsync), {SAVE_RUNS} of each kind. "
               f"A first page is `listing.list_records(limit=100)`, each in a new session "
               f"(page and total count), {PAGE_RUNS} runs per list, the regency filter rotating "
               f"over all regencies. A search is `search.search` over all three kinds, "
               f"{SEARCH_RUNS} runs per query. A few uncounted warm-up calls come first."),
        figures=figures,
        notes=NOTES,
        full_size=wanted == DEFAULT_RECORDS,
    )


#: Findings behind the figures, kept with them in the document.
NOTES: list[str] = [
    "Saves: before the background checkpointer (desktop_app/store/checkpoint.py) the save "
    "p99 was 8-12 ms, set by SQLite's automatic WAL checkpoint running inside one save in "
    "~1,000; now a thread checkpoints (PASSIVE) once a second and the automatic one is only "
    "a safety net at 10,000 pages. The reference codes a save validates against are cached "
    "per reference version (one version row read instead of six tables).",
    "The rare outliers of 40-80 ms in the lists are Python's full (generation-2) garbage "
    "collections, counted in the 'full GCs' column: one takes ~50 ms over the ~90,000 objects "
    "SQLAlchemy and the models keep alive. `gc.freeze()` once after start-up (imports and "
    "`open_store` done) cuts a full collection to ~1 ms; the GUI should do that.",
    "The unfiltered survey list costs ~20 ms, nearly all in its COUNT: every live survey is "
    "joined to its business and checked for a correction (NOT EXISTS on "
    "`ix_umkm_survey_supersedes_id`); it grows linearly with the records. The regency filter "
    "reads the regency's surveys through `ix_umkm_survey_region_status` and sorts them by id "
    "(temp B-tree); an index on `(regency_code, id)` would let the page stop after 100 rows.",
    "'kop' and 'way' are the slowest searches: short prefixes match tens of thousands of rows "
    "(Kopi, Koperasi; Way Halim, Way Jepara) and bm25 ranks all of them before the LIMIT.",
]



def cached_store(wanted: int) -> Path:
    """The cache folder holding ``wanted`` demo records, built if missing or stale."""
    folder = CACHE / f"store-{wanted}"
    marker = folder / "built.json"
    expected = {"records": wanted, "seed": SEED, "revision": migrate.head_revision()}
    if marker.exists() and (folder / DB_NAME).exists():
        built = json.loads(marker.read_text())
        if {k: built.get(k) for k in expected} == expected:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"building the {wanted:,}-record store in {folder} (once; about a minute per "
          "100,000 records)", file=sys.stderr)
    store = open_store(folder)
    try:
        actor = Actor(officer_id=OFFICER, device_id=store.device_id)

        def progress(done: int, total: int) -> None:
            print(f"\r  {done:,} / {total:,}", end="", file=sys.stderr, flush=True)

        result = demo.fill(store, actor, wanted, seed=SEED, progress=progress)
        print(file=sys.stderr)
    finally:
        store.close()  # the last connection checkpoints the WAL into the file
    marker.write_text(json.dumps({**expected, "created": result.created}, indent=1))
    return folder


def working_copy(cache: Path, work: Path) -> Store:
    """A store on a copy of the cached database.

    Opened as :func:`open_store` would, minus the backup a fresh folder
    without backups would take of 100,000 records before every run: the
    schema must already be at head, and the triggers are refreshed.
    """
    for suffix in ("", "-wal"):
        source = cache / (DB_NAME + suffix)
        if source.exists():
            target = work / (DB_NAME + suffix)
            shutil.copyfile(source, target)
            # Flush the copy now: left dirty in the OS cache, all of it would
            # be written by the first WAL checkpoint's fsync, inside a save.
            descriptor = os.open(target, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    store = Store(work)
    if migrate.pending(store.engine):
        store.close()
        raise RuntimeError(f"{cache} is not at the schema head; delete it to rebuild")
    with store.engine.begin() as connection:
        change_capture.install(connection, ["business", "umkm_survey"])
    return store


def measure(store: Store) -> list[Figure]:
    rng = random.Random(SEED + 1)
    with store.read() as session:
        places = [DemoPlace(regency_code=parent, district_code=code) for code, parent in
                  session.execute(text("SELECT code, parent_code FROM region "
                                       "WHERE level = 'district'")).all()]
        business_ids = list(session.scalars(text(
            "SELECT id FROM business WHERE deleted_at IS NULL ORDER BY random() LIMIT 2000")))
        niks = list(session.scalars(text(
            "SELECT owner_nik FROM business ORDER BY random() LIMIT 200")))
        regencies = list(session.scalars(text(
            "SELECT DISTINCT regency_code FROM umkm_survey ORDER BY 1")))
    actor = Actor(officer_id=OFFICER, device_id=store.device_id)
    factory = DemoFactory(places, seed=SEED + 2, today=date.today())
    figures = []

    def save_business() -> None:
        records.save(store, actor, "business", factory.business())

    def save_survey() -> None:
        records.save(store, actor, "umkm_survey", factory.survey(rng.choice(business_ids)))

    figures.append(Figure("save business (records.save)",
                          time_ms(save_business, SAVE_RUNS, warmup=10), SAVE_TARGET))
    figures.append(Figure("save survey draft (records.save)",
                          time_ms(save_survey, SAVE_RUNS, warmup=10), SAVE_TARGET))

    for kind in ("business", "umkm_survey"):
        figures.append(Figure(
            f"first page: {kind}",
            time_ms(lambda: listing.list_records(store, kind, limit=100), PAGE_RUNS, warmup=3),
            PAGE_TARGET))
        turn = iter(range(10**9))
        figures.append(Figure(
            f"first page: {kind}, one regency",
            time_ms(lambda: listing.list_records(
                store, kind, listing.ListFilter(regency_code=regencies[next(turn) % len(regencies)]),
                limit=100), PAGE_RUNS, warmup=3),
            PAGE_TARGET))

    for typed in TYPED:
        figures.append(Figure(f"search '{typed}'",
                              time_ms(lambda: search.search(store, typed), SEARCH_RUNS, warmup=3),
                              SEARCH_TARGET))
    figures.append(Figure("search by NIK (16 digits, equality)",
                          time_ms(lambda: search.search(store, rng.choice(niks)),
                                  SEARCH_RUNS, warmup=3),
                          SEARCH_TARGET))
    return figures
