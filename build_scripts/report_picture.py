"""The picture of an audit report in the README: a demo cooperative of Kota
Bandar Lampung and its audit (the application's own demo data, a fixed
seed), with the officer named.

    python build_scripts/report_picture.py      # writes docs/images/report-audit.png

Renders page 1 of the PDF with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.models.types import utc_now  # noqa: E402
from desktop_app.services import records  # noqa: E402
from desktop_app.services.audit_report import audit_report  # noqa: E402
from desktop_app.services.context import Actor  # noqa: E402
from desktop_app.services.demo import _places  # noqa: E402
from desktop_app.services.demo_data import DemoFactory  # noqa: E402
from desktop_app.store import Store, open_store  # noqa: E402
from desktop_app.store.local_tables import OfficerAccount  # noqa: E402
from desktop_app.ui.reports.audit_pdf import write_audit_pdf  # noqa: E402

TARGET = ROOT / "docs" / "images" / "report-audit.png"
OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
REGENCY = "18.71"
TODAY = date(2026, 11, 23)
SEED = 7


def demo_audit(store: Store) -> str:
    """A cooperative of the regency and its finalised audit; the audit's id."""
    actor = Actor(officer_id=OFFICER, device_id=store.device_id, regency_code=REGENCY)
    places = [place for place in _places(store) if place.regency_code == REGENCY]
    factory = DemoFactory(places, seed=SEED, today=TODAY)
    coop = records.save(store, actor, "cooperative", factory.cooperative(), today=TODAY).record
    audit = records.save(store, actor, "cooperative_audit", factory.audit(coop["id"]),
                         today=TODAY).record
    records.finalise(store, actor, "cooperative_audit", audit["id"], today=TODAY)
    with store.write() as session:
        session.add(OfficerAccount(
            officer_id=OFFICER, username="petugas.bandarlampung", full_name="Siti Rahmawati",
            role="officer", regency_code=REGENCY, pin_hash="-", server_url="-",
            failed_pins=0, last_signed_in=utc_now()))
    return str(audit["id"])


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        store = open_store(Path(work) / "data")
        try:
            pdf = Path(work) / "audit.pdf"
            write_audit_pdf(audit_report(store, demo_audit(store)), pdf)
        finally:
            store.close()
        stem = Path(work) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(stem)], check=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        stem.with_suffix(".png").replace(TARGET)
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
