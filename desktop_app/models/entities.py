"""The long-lived things officers visit: businesses, cooperatives, aid
applicants.

An entity is edited by several officers over years, so its fields merge one by
one at sync. Region codes are kept on every entity because every read and
write at the server is scoped by regency.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .lengths import ADDRESS_MAX, BUSINESS_ADDRESS_MAX, limit
from .base import Base, SyncedMixin


class PlacedMixin:
    """Address and region codes of an entity.

    ``village_code`` is the Kemendagri code of the desa/kelurahan, checked
    against the village list and the district (models.rules.villages);
    ``village`` is its name, filled in from the code when one is chosen, and
    for a record made before the list existed the name as typed then.
    """

    address: Mapped[str] = mapped_column(Text, default="",
                                         info=limit(ADDRESS_MAX))
    regency_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), default=None)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), default=None)
    village: Mapped[str] = mapped_column(String(100), default="")


class Business(SyncedMixin, PlacedMixin, Base):
    """A small business (UMKM) and its owner."""

    __tablename__ = "business"
    __table_args__ = (Index("ix_business_region", "regency_code", "district_code"),)

    name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200))
    owner_nik: Mapped[str] = mapped_column(String(16), index=True)
    nib: Mapped[str | None] = mapped_column(String(13), default=None)
    kbli_section: Mapped[str | None] = mapped_column(ForeignKey("kbli_section.code"), default=None)
    phone: Mapped[str] = mapped_column(String(20), default="")
    year_started: Mapped[int | None] = mapped_column(default=None)


class Cooperative(SyncedMixin, PlacedMixin, Base):
    """A cooperative with its legal entity number and members."""

    __tablename__ = "cooperative"
    __table_args__ = (Index("ix_cooperative_region", "regency_code", "district_code"),)

    name: Mapped[str] = mapped_column(String(200))
    legal_entity_no: Mapped[str] = mapped_column(String(100), default="")
    legal_entity_date: Mapped[date | None] = mapped_column(default=None)
    cooperative_type: Mapped[str] = mapped_column(ForeignKey("cooperative_type.code"))
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    members_male: Mapped[int] = mapped_column(default=0)
    members_female: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    rat_last_year: Mapped[bool] = mapped_column(default=False)


class AidApplicant(SyncedMixin, PlacedMixin, Base):
    """A person on an aid list sent down by the office, to be verified.

    ``aid_round`` is the code of the round (reference table aid_round) whose
    rules and amount apply. ``nik`` is the NIK as printed on the KTP-el and
    ``address`` the address on it; the region codes are where the business
    is (the place of the visit). When the business is elsewhere than the
    KTP address, ``business_location_differs`` is set and the business
    address and the number of its business certificate (Surat Keterangan
    Usaha, SKU, from the village where the business is) are required.
    ``on_credit_list`` and ``prior_recipient`` come from the office's lists
    (bank credit, earlier rounds); the officer confirms or refutes them on the
    visit.
    """

    __tablename__ = "aid_applicant"
    __table_args__ = (Index("ix_aid_applicant_region", "regency_code", "district_code"),)

    full_name: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str] = mapped_column(String(16), index=True)
    business_name: Mapped[str] = mapped_column(String(200), default="")
    kbli_section: Mapped[str | None] = mapped_column(ForeignKey("kbli_section.code"), default=None)
    phone: Mapped[str] = mapped_column(String(20), default="")
    aid_round: Mapped[str] = mapped_column(String(20))
    kk_number: Mapped[str] = mapped_column(String(16), default="")
    business_location_differs: Mapped[bool] = mapped_column(default=False)
    business_address: Mapped[str] = mapped_column(Text, default="",
                                                  info=limit(BUSINESS_ADDRESS_MAX))
    sku_number: Mapped[str] = mapped_column(String(100), default="")
    assigned_officer_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    on_credit_list: Mapped[bool] = mapped_column(default=False)
    prior_recipient: Mapped[bool] = mapped_column(default=False)
