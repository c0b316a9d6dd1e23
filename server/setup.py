"""Creating a server database: schema, reference data, demo accounts.

The demo accounts (README, 'Demo accounts') are for trying Tapis out and
for the tests; a real office creates its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop_app.models import Base, ReferenceVersion, Region
from desktop_app.models import reference_data
from desktop_app.models.types import utc_now
from desktop_app.protocol.wire import to_python
from desktop_app.resources import reference_dir

from . import rounds
from .auth import hash_password
from .db import Database, upgrade
from .tables import Officer

DEMO_PASSWORD = "tapis-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    regency_code: str | None


def load_reference(session: Session) -> None:
    """Upsert the shipped reference data (same files and checks as the laptop;
    values typed by column, as a pushed change's are)."""
    folder = reference_dir()
    manifest = reference_data.Manifest.read(folder)
    reference_data.verify(folder, manifest)
    models = {m.local_table.name: m.class_ for m in Base.registry.mappers}
    edited = rounds.edited_codes(session)  # the province's own edits stay as it set them
    for name, table in reference_data.manifest_files(manifest):
        model = models[table]
        rows = [to_python(Base.metadata.tables[table], row)
                for row in reference_data.read_rows(folder / name, table)
                if (table, row["code"]) not in edited]
        present = set(session.scalars(select(model.code)))  # type: ignore[attr-defined]
        new = [row for row in rows if row["code"] not in present]
        old = [row for row in rows if row["code"] in present]
        if new:  # in bulk: ~2,900 region rows one merge at a time took a second and a half
            session.execute(insert(model), new)
        if old:
            session.execute(update(model), old)  # by primary key
    session.merge(ReferenceVersion(dataset=rounds.FILES_DATASET, version=manifest.version,
                                   loaded_at=utc_now()))
    held = session.get(ReferenceVersion, reference_data.DATASET)
    if held is None or reference_data.version_key(held.version) < reference_data.version_key(
            manifest.version):  # never below the version the province's edits reached
        session.merge(ReferenceVersion(dataset=reference_data.DATASET, version=manifest.version,
                                       loaded_at=utc_now()))


def demo_accounts(session: Session) -> list[DemoAccount]:
    regencies = session.execute(select(Region.code, Region.name)
                                .where(Region.level == "regency").order_by(Region.code)).all()
    accounts = [DemoAccount(f"petugas.{_slug(name)}", f"Petugas {name}", "officer", code)
                for code, name in regencies]
    accounts.append(DemoAccount("supervisor.bandarlampung", "Supervisor Kota Bandar Lampung",
                                "supervisor", "18.71"))
    accounts.append(DemoAccount("supervisor.tanggamus", "Supervisor Tanggamus", "supervisor", "18.06"))
    accounts.append(DemoAccount("admin.provinsi", "Admin Dinas KUKM Provinsi Lampung", "admin", None))
    return accounts


def _slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "", name.lower().removeprefix("kota "))


def init(url: str, *, demo: bool) -> list[DemoAccount]:
    upgrade(url)
    database = Database(url)
    created: list[DemoAccount] = []
    with database.session() as session:
        load_reference(session)
    if demo:
        password_hash = hash_password(DEMO_PASSWORD)  # one hash: demo accounts share a password
        with database.session() as session:
            for account in demo_accounts(session):
                if session.scalar(select(Officer.id).where(Officer.username == account.username)):
                    continue
                session.add(Officer(username=account.username, full_name=account.full_name,
                                    password_hash=password_hash, role=account.role,
                                    regency_code=account.regency_code))
                created.append(account)
    database.dispose()
    return created
