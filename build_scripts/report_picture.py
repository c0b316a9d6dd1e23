"""The picture of an audit report in the README, made from the report
tests' own records (tests/reports/conftest.py) with the officer named.

    python build_scripts/report_picture.py      # writes docs/images/report-audit.png

Renders page 1 of the PDF with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.models.types import utc_now  # noqa: E402
from desktop_app.services.audit_report import audit_report  # noqa: E402
from desktop_app.services.context import Actor  # noqa: E402
from desktop_app.store import open_store  # noqa: E402
from desktop_app.store.local_tables import OfficerAccount  # noqa: E402
from desktop_app.ui.reports.audit_pdf import write_audit_pdf  # noqa: E402
from tests.reports.conftest import OFFICER, fill  # noqa: E402

TARGET = ROOT / "docs" / "images" / "report-audit.png"


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        store = open_store(Path(work) / "data")
        try:
            known = fill(store, Actor(officer_id=OFFICER, device_id=store.device_id))
            with store.write() as session:
                session.add(OfficerAccount(
                    officer_id=OFFICER, username="petugas.bandarlampung", full_name="Siti Rahmawati",
                    role="officer", regency_code="18.71", pin_hash="-", server_url="-",
                    failed_pins=0, last_signed_in=utc_now()))
            pdf = Path(work) / "audit.pdf"
            write_audit_pdf(audit_report(store, known.audit_latest), pdf)
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
