"""Reference data: regions and villages, sectors, channels, cooperative
types, aid rounds and the cooperative health methods.

These lists come from the province, not from officers: the laptop ships a
copy (resources/reference) and a later pull replaces it when the server has a
newer version. They are keyed by their official codes, not by UUIDs, and are
not change-captured.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .lengths import SOURCE_MAX, limit
from .base import Base
from .types import JSONList, Money, UTCDateTime


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


class AidRound(Base):
    """A round of an aid programme (BPUM 2020, BPUM 2021, ...): its amount,
    its rule set and its dates. The province sets rounds up; every laptop
    pulls them. The rule set is ``checks`` (which eligibility criteria
    apply, models.rules.eligibility.CheckItem), ``excluded_credit``
    (capital-access codes whose receipt excludes) and
    ``prior_recipients_allowed``."""

    __tablename__ = "aid_round"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    program: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column()
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(Money)  # whole rupiah per recipient
    regulation: Mapped[str] = mapped_column(String(200), default="")
    checks: Mapped[list[str]] = mapped_column(JSONList())
    excluded_credit: Mapped[list[str]] = mapped_column(JSONList())
    prior_recipients_allowed: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None] = mapped_column(default=None)
    closes_on: Mapped[date | None] = mapped_column(default=None)


class AidRoundQuota(Base):
    """How many recipients a regency may propose in a round, where the round
    sets a quota (code: '<round>:<regency>')."""

    __tablename__ = "aid_round_quota"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    round_code: Mapped[str] = mapped_column(ForeignKey("aid_round.code"), index=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    quota: Mapped[int] = mapped_column()


class HealthMethod(Base):
    """A cooperative health assessment method (models.rules.health):
    ``scoring`` is 'aspect_sum' (Perdep 06/2016) or 'indicator_ratio'
    (Permenkop 9/2020 with Juknis 15/2021); ``position`` orders the choice,
    the first being the one a new audit is offered."""

    __tablename__ = "health_method"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column()
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    regulation: Mapped[str] = mapped_column(String(300), default="")
    scoring: Mapped[str] = mapped_column(String(20))


class HealthAspect(Base):
    """An aspect of a health method with its weight (a decimal written as
    text, e.g. '15'); ``confirmed`` is set once the province has read the
    weight in the regulation's own text, ``source`` says where it is from."""

    __tablename__ = "health_aspect"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    method: Mapped[str] = mapped_column(ForeignKey("health_method.code"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column()
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    weight: Mapped[str] = mapped_column(String(12))
    confirmed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(Text, default="",
                                        info=limit(SOURCE_MAX))


class HealthIndicator(Base):
    """An indicator of an aspect ('indicator_ratio' methods): the assessor
    enters its compliance ratio; ``weight`` weighs it within its aspect."""

    __tablename__ = "health_indicator"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    method: Mapped[str] = mapped_column(ForeignKey("health_method.code"), index=True)
    aspect: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column()
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    weight: Mapped[str] = mapped_column(String(12))


class HealthBand(Base):
    """One band of a health method: values from ``floor`` (inclusive or not)
    up come to ``result`` -- a category for the 'total' scale, a 1-4 score
    for the 'indicator' scale."""

    __tablename__ = "health_band"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    method: Mapped[str] = mapped_column(ForeignKey("health_method.code"), index=True)
    scale: Mapped[str] = mapped_column(String(10))  # total|indicator
    floor: Mapped[str] = mapped_column(String(12))
    inclusive: Mapped[bool] = mapped_column()
    result: Mapped[str] = mapped_column(String(32))
    confirmed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(Text, default="",
                                        info=limit(SOURCE_MAX))


class ReferenceVersion(Base):
    """Which version of each reference dataset is loaded, so a pull knows
    whether the server's copy is newer."""

    __tablename__ = "reference_version"

    dataset: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
