"""The practice workspace: look around and practise without a server.

A separate data folder (``<data folder>/latihan``) with demo records made by
the same rules as real ones, and a local practice officer who needs no
password, no PIN and no connection. Nothing in it is ever synced: the
practice officer has no server and no token, the folder is marked as
practice (``PRACTICE_MARK``), and the GUI shows 'LATIHAN' on every screen
and never starts a sync there. Real work never sees practice records: they
live in another database file.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ..models import Business
from ..store import Store, open_store
from ..store.local_tables import OfficerAccount
from . import demo
from .context import Actor

FOLDER = "latihan"
PRACTICE_MARK = "PRACTICE-WORKSPACE"
OFFICER_ID = "01900000-0000-7000-8000-00000000a71e"
USERNAME = "latihan"
FULL_NAME = "Petugas Latihan"
REGENCY = "18.71"  # Bandar Lampung
#: Enough records that every list, card and chart has something to show.
RECORDS = 160


@dataclass(frozen=True, slots=True)
class PracticeOfficer:
    officer_id: str
    username: str
    full_name: str
    regency_code: str


def folder_for(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def is_practice(data_dir: Path) -> bool:
    return (Path(data_dir) / PRACTICE_MARK).exists()


def open_practice(data_dir: Path, *, records: int = RECORDS) -> tuple[Store, PracticeOfficer]:
    """The practice workspace's store (made and filled the first time) and its officer."""
    folder = folder_for(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PRACTICE_MARK).write_text(
        "Ruang latihan Tapis: data contoh, tidak pernah dikirim ke server.\n"
        "Tapis practice workspace: demo data, never sent to a server.\n", encoding="utf-8")
    store = open_store(folder)
    officer = PracticeOfficer(OFFICER_ID, USERNAME, FULL_NAME, REGENCY)
    with store.write() as session:
        row = session.get(OfficerAccount, OFFICER_ID) or OfficerAccount(officer_id=OFFICER_ID)
        row.username, row.full_name, row.role = USERNAME, FULL_NAME, "officer"
        row.regency_code = REGENCY
        row.pin_hash = row.pin_hash or f"practice:{secrets.token_hex(16)}"  # opens no real PIN
        row.server_url, row.token = "", None  # no server: nothing can be sent
        row.failed_pins = 0
        session.add(row)
    store.set_officer(OFFICER_ID)
    with store.read() as session:
        empty = not session.scalar(select(func.count()).select_from(Business))
    if empty:
        demo.fill(store, Actor(OFFICER_ID, store.device_id, REGENCY), records, regency=REGENCY)
    return store, officer
