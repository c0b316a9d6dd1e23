"""A writer process for the crash tests; killed with SIGKILL at random points.

    python tests/crash/writer.py DATA_DIR SEED [--backup-every-open]

Imports first, prints ``ready`` and waits for one line on stdin, so the test
can start the next writer while it still times the previous one and measure
the kill delay from the moment the store starts opening. Then it opens the
store (creating and migrating it on the first run; with
``--backup-every-open`` a backup is taken on every open) and saves records
until it is killed.

A line is printed and flushed only after the service call returned, i.e.
after its unit of work committed:

    opened                       open_store returned
    business ID                  records.save of a business
    umkm_survey ID               records.save of a draft survey
    final ID                     records.finalise of that survey
    batch KIND ID,ID,...         records.save_batch: all ids of one unit of work
    batchfinal ID,ID,...         those of the batch saved finalised
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta

from sqlalchemy import select

from desktop_app.models import Region
from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.demo_data import DemoFactory, DemoPlace
from desktop_app.store import open_store

OFFICER = "0190a1b2-0000-7000-8000-0000000c7a54"
TODAY = date(2026, 11, 23)


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    data_dir, seed = sys.argv[1], int(sys.argv[2])
    backup_every = timedelta(0) if "--backup-every-open" in sys.argv[3:] else timedelta(hours=12)
    emit("ready")
    if not sys.stdin.readline():
        return 0  # the test gave up on this writer
    store = open_store(data_dir, backup_every=backup_every)
    emit("opened")
    actor = Actor(officer_id=OFFICER, device_id=store.device_id)
    with store.read() as session:
        places = [DemoPlace(regency_code=parent, district_code=code) for code, parent in
                  session.execute(select(Region.code, Region.parent_code)
                                  .where(Region.level == "district")).all()]
    factory = DemoFactory(places, seed=seed, today=TODAY)
    rng = random.Random(seed)
    while True:
        if rng.random() < 0.6:
            business = records.save(store, actor, "business", factory.business(), today=TODAY)
            emit(f"business {business.record['id']}")
            survey = records.save(store, actor, "umkm_survey",
                                  factory.survey(business.record["id"]), today=TODAY)
            emit(f"umkm_survey {survey.record['id']}")
            records.finalise(store, actor, "umkm_survey", survey.record["id"], today=TODAY)
            emit(f"final {survey.record['id']}")
        else:
            count = rng.randrange(2, 6)
            businesses = records.save_batch(
                store, actor, "business", [(factory.business(), False) for _ in range(count)],
                today=TODAY)
            emit("batch business " + ",".join(b["id"] for b in businesses))
            items = [(factory.survey(b["id"]), rng.random() < 0.5) for b in businesses]
            surveys = records.save_batch(store, actor, "umkm_survey", items, today=TODAY)
            emit("batch umkm_survey " + ",".join(s["id"] for s in surveys))
            finalised = [s["id"] for s, (_, final) in zip(surveys, items) if final]
            if finalised:
                emit("batchfinal " + ",".join(finalised))


if __name__ == "__main__":
    sys.exit(main())
