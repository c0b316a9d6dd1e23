"""Reference data: regions, sectors, channels, cooperative types.

These lists come from the province, not from officers: the laptop ships a
copy (resources/reference) and a later pull replaces it when the server has a
newer version. They are keyed by their official codes, not by UUIDs, and are
not change-captured.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import UTCDateTime


class Region(Base):
    """A province, regency/city, district or village by its Kemendagri code.

    One table for all levels: codes nest ('18' > '18.71' > '18.71.01' >
    '18.71.01.1001'), and a form only ever needs the children of one code.
    """

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # province|regency|district|village
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("region.code"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(String(12))  # provinsi|kabupaten|kota|kecamatan|desa|kelurahan


class CodedName:
    """A code with its name in Indonesian and English: most reference lists."""

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class KbliSection(Base):
    """A top-level KBLI 2020 section (A-U)."""

    __tablename__ = "kbli_section"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class DigitalChannel(Base):
    """A marketplace, social network or own website a business sells through."""

    __tablename__ = "digital_channel"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))


class CooperativeType(CodedName, Base):
    """A cooperative type, by function (jenis) or by sector."""

    __tablename__ = "cooperative_type"

    group: Mapped[str] = mapped_column(String(10))
    is_savings_loan: Mapped[bool] = mapped_column(default=False)


class PaymentMethod(CodedName, Base):
    """A way a business is paid (QRIS, transfer, cash, e-wallet)."""

    __tablename__ = "payment_method"


class CapitalAccess(CodedName, Base):
    """A source of capital a business uses (KUR, cooperative loan, ...)."""

    __tablename__ = "capital_access"


class ReferenceVersion(Base):
    """Which version of each reference dataset is loaded, so a pull knows
    whether the server's copy is newer."""

    __tablename__ = "reference_version"

    dataset: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
