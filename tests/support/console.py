"""Harness for the web console's tests: a server on loopback over a
database with province-like data (small), open conflicts to settle, and
Debian's chromium driven by Playwright."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from benchmarks.province_data import SMALL, Generated, generate
from desktop_app.models import CooperativeAudit
from desktop_app.protocol.clock import stamp_of
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from server.tables import Conflict, Officer
from tests.support.servers import RunningServer, running_server

CHROMIUM = Path("/usr/bin/chromium")
OFFICER, SUPERVISOR, ADMIN = "petugas.bandarlampung", "supervisor.bandarlampung", "admin.provinsi"
OTHER_SUPERVISOR = "supervisor.tanggamus"  # regency 18.06: every 18.71 page is refused
HOME = "18.71"


@dataclass
class ConsoleWorld:
    server: RunningServer
    data: Generated
    conflicts: list[str]  # open conflict ids in 18.71
    photo: str  # an attachment of world.business()

    @property
    def url(self) -> str:
        return self.server.url

    def business(self, regency: str = HOME) -> tuple[str, str, str, str]:
        return next(b for b in self.data.sample_businesses if b[3] == regency)

    def applicant(self, regency: str = HOME) -> tuple[str, str, str, str]:
        return next(a for a in self.data.sample_applicants if a[3] == regency)


def open_conflicts(db_url: str, regency: str, count: int) -> list[str]:
    """Open conflicts on draft audits of ``regency`` (the findings field:
    two officers wrote it from the same version)."""
    database = Database(db_url)
    ids = []
    with database.session() as session:
        audits = session.scalars(select(CooperativeAudit).where(
            CooperativeAudit.regency_code == regency)
            .order_by(CooperativeAudit.id).limit(count)).all()
        officers = session.scalars(select(Officer.id).where(Officer.regency_code == regency)
                                   .order_by(Officer.username)).all()
        for n, audit in enumerate(audits):
            audit.status, audit.finalised_at = "draft", None  # a finalised record keeps its value
            stamp = stamp_of(audit.updated_at)
            conflict = Conflict(table_name="cooperative_audit", row_id=audit.id, field="findings",
                                kept_value=f"Pembukuan rapi {n}", other_value=f"Pembukuan belum rapi {n}",
                                kept_officer_id=officers[0], other_officer_id=officers[-1],
                                kept_hlc=stamp + 10, other_hlc=stamp + 5, status="open",
                                regency_code=regency)
            session.add(conflict)
            session.flush()
            ids.append(conflict.id)
    database.dispose()
    return ids


def attach_photo(db_url: str, folder: Path, table: str, row_id: str) -> str:
    """A photo of a record, its bytes in the server's blob store as an upload
    would leave them; returns the attachment's id."""
    import hashlib

    from PIL import Image

    from desktop_app.models import Attachment
    from server.attachments import Blobs

    picture = folder / "photo.jpg"
    Image.new("RGB", (320, 240), (31, 92, 74)).save(picture, "JPEG")
    data = picture.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    database = Database(db_url)
    final = Blobs(database.blob_dir).final(sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    final.write_bytes(data)
    with database.session() as session:
        officer = session.scalar(select(Officer.id).where(Officer.username == OFFICER))
        attachment = Attachment(owner_table=table, owner_id=row_id, sha256=sha,
                                media_type="image/jpeg", size_bytes=len(data),
                                caption="Tampak depan", created_by=officer, officer_id=officer,
                                device_id="test-device")
        session.add(attachment)
        session.flush()
        made = attachment.id
    database.dispose()
    return made


@contextmanager
def console_world(folder: Path) -> Iterator[ConsoleWorld]:
    path = folder / "console.sqlite3"
    url = f"sqlite:///{path}"
    init(url, demo=True)
    data = generate(url, SMALL)
    conflicts = open_conflicts(url, HOME, 4) + open_conflicts(url, "18.06", 1)
    business = next(b for b in data.sample_businesses if b[3] == HOME)
    photo = attach_photo(url, folder, "business", business[0])
    with running_server(url, initialised=True) as server:
        yield ConsoleWorld(server=server, data=data, conflicts=conflicts, photo=photo)


def browser_or_skip():  # type: ignore[no-untyped-def]
    """A Playwright chromium on Debian's binary (build_scripts/install_system_deps.sh)."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run `make system-deps` "
                    "(build_scripts/install_system_deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    return sync_playwright


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button.primary")
    page.wait_for_load_state("domcontentloaded")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("form.out button")
    page.wait_for_url(re.compile(r".*/console/sign-in.*"))
