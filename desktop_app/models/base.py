"""The declarative base and the columns every synced row carries.

A synced row is created on one laptop and edited on others over years, so its
key is a client-made UUIDv7, it says who last wrote it from which device, and
it is never deleted: ``deleted_at`` marks a tombstone that syncs like any
other change.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .ids import uuid7
from .types import UTCDateTime, utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UUID_LEN = 36

#: Who wrote a row, from which device and when: stamped on every synced row
#: by whoever writes it, never what the row says (two laptops stamping the
#: same row are no conflict).
STAMP_FIELDS = frozenset({"id", "created_at", "created_by", "updated_at", "officer_id", "device_id"})
#: Every column the services fill in and a form never sends: the stamps, the
#: tombstone, and a visit's life (status, when finalised, what it corrects).
SYSTEM_FIELDS = STAMP_FIELDS | {"deleted_at", "status", "finalised_at", "supersedes_id"}


class Base(DeclarativeBase):
    """Tables shared by the laptop and the provincial server."""

    metadata = MetaData(naming_convention=NAMING)


class SyncedMixin:
    """Key, stamps, writer and tombstone of a row that syncs.

    ``sync_kind`` names the row kind on the wire; the change log and the sync
    protocol use the table name, this is for people and the UI.
    """

    synced: ClassVar[bool] = True

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, onupdate=utc_now)
    created_by: Mapped[str] = mapped_column(String(UUID_LEN))
    officer_id: Mapped[str] = mapped_column(String(UUID_LEN))
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def synced_tables() -> list[str]:
    """Names of every table whose rows sync, in dependency order."""
    return [
        mapper.local_table.name  # type: ignore[attr-defined]
        for mapper in sorted(Base.registry.mappers, key=lambda m: _order(m.local_table.name))
        if getattr(mapper.class_, "synced", False)
    ]


def _order(table_name: str) -> int:
    names = [t.name for t in Base.metadata.sorted_tables]
    return names.index(table_name)
