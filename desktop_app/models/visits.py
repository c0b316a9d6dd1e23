"""What an officer records on a visit: UMKM survey, cooperative audit, aid
verification.

A visit record is written by one officer. While it is a draft it may change;
once finalised it is frozen, and a correction is a new record whose
``supersedes_id`` points at the one it corrects, so the chain of corrections
is kept. Derived values (size class, health score, verdict) are stored as they
were computed at the visit, so a later rule change does not rewrite history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .lengths import ASPECT_SCORES_MAX, CHECK_NOTES_MAX, FINDINGS_MAX, NEEDS_MAX, NOTES_MAX, RECOMMENDATIONS_MAX, TRAINING_RECEIVED_MAX, TRAINING_WANTED_MAX, VERDICT_REASON_MAX, limit
from .base import Base, SyncedMixin
from .codes import LabelledCode
from .types import JSONList, Money, UTCDateTime


class VisitStatus(LabelledCode):
    """Where a visit record is in its life: editable, or frozen."""

    DRAFT = "draft", "Draf", "Draft"
    FINALISED = "finalised", "Final", "Finalised"


class LocationSource(LabelledCode):
    """Where a visit's latitude and longitude came from."""

    TYPED = "typed", "Diketik", "Typed"
    EXIF = "exif", "Dari foto (EXIF)", "From the photo (EXIF)"


class PandemicImpact(LabelledCode):
    """How the pandemic touched a surveyed business."""

    NONE = "none", "Tidak terdampak", "Not affected"
    MINOR = "minor", "Terdampak ringan", "Slightly affected"
    SEVERE = "severe", "Terdampak berat", "Badly affected"
    CLOSED = "closed", "Sempat tutup", "Closed for a time"


class VisitMixin(SyncedMixin):
    """Status, correction chain, date and place of a visit."""

    status: Mapped[str] = mapped_column(String(10), default=VisitStatus.DRAFT)
    visit_date: Mapped[date] = mapped_column()
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    regency_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    location_source: Mapped[str] = mapped_column(String(10), default="")  # a LocationSource or ''
    notes: Mapped[str] = mapped_column(Text, default="",
                                       info=limit(NOTES_MAX))

    @declared_attr
    def supersedes_id(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"), default=None, index=True)

    @property
    def is_final(self) -> bool:
        return self.status == VisitStatus.FINALISED


class UmkmSurvey(VisitMixin, Base):
    """A survey of one business: size, turnover, digital channels, needs."""

    __tablename__ = "umkm_survey"
    __table_args__ = (
        Index("ix_umkm_survey_business", "business_id", "visit_date"),
        Index("ix_umkm_survey_region_status", "regency_code", "status"),
    )

    business_id: Mapped[str] = mapped_column(ForeignKey("business.id"))
    workers_paid: Mapped[int] = mapped_column(default=0)
    workers_unpaid: Mapped[int] = mapped_column(default=0)
    workers_women: Mapped[int] = mapped_column(default=0)
    capital: Mapped[int | None] = mapped_column(Money, default=None)
    turnover_monthly: Mapped[int | None] = mapped_column(Money, default=None)
    turnover_annual: Mapped[int | None] = mapped_column(Money, default=None)
    size_class: Mapped[str] = mapped_column(String(10), default="")
    #: Which figure decided the size class (models.rules.size_class.Basis):
    #: annual_sales | annual_sales_estimated | capital; '' while not derived.
    size_class_basis: Mapped[str] = mapped_column(String(24), default="")
    digital_channels: Mapped[list[str]] = mapped_column(JSONList(), default=list)
    online_sales_share: Mapped[int] = mapped_column(default=0)  # percent 0-100
    payment_methods: Mapped[list[str]] = mapped_column(JSONList(), default=list)
    capital_access: Mapped[list[str]] = mapped_column(JSONList(), default=list)
    capital_needed: Mapped[int | None] = mapped_column(Money, default=None)
    needs: Mapped[str] = mapped_column(Text, default="",
                                       info=limit(NEEDS_MAX))
    training_received: Mapped[str] = mapped_column(Text, default="",
                                                   info=limit(TRAINING_RECEIVED_MAX))
    training_wanted: Mapped[str] = mapped_column(Text, default="",
                                                 info=limit(TRAINING_WANTED_MAX))
    pandemic_impact: Mapped[str] = mapped_column(String(12), default="")  # a PandemicImpact or ''
    exports: Mapped[bool] = mapped_column(default=False)
    export_destinations: Mapped[str] = mapped_column(String(200), default="")


class CooperativeAudit(VisitMixin, Base):
    """An audit of one cooperative: RAT, members, finances, health score."""

    __tablename__ = "cooperative_audit"
    __table_args__ = (
        Index("ix_cooperative_audit_coop", "cooperative_id", "visit_date"),
        Index("ix_cooperative_audit_region_status", "regency_code", "status"),
    )

    cooperative_id: Mapped[str] = mapped_column(ForeignKey("cooperative.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    rat_held: Mapped[bool] = mapped_column(default=False)
    rat_date: Mapped[date | None] = mapped_column(default=None)
    members_male: Mapped[int] = mapped_column(default=0)
    members_female: Mapped[int] = mapped_column(default=0)
    own_capital: Mapped[int | None] = mapped_column(Money, default=None)
    external_capital: Mapped[int | None] = mapped_column(Money, default=None)
    assets: Mapped[int | None] = mapped_column(Money, default=None)
    business_volume: Mapped[int | None] = mapped_column(Money, default=None)
    surplus: Mapped[int | None] = mapped_column(Money, default=None)
    loans_outstanding: Mapped[int | None] = mapped_column(Money, default=None)
    loans_overdue: Mapped[int | None] = mapped_column(Money, default=None)
    #: The health assessment method used (reference table health_method). A
    #: record that does not say is a Perdep 06/2016 one: every audit made
    #: before the method was recorded used it.
    health_method: Mapped[str] = mapped_column(String(32), default="perdep_06_2016")
    #: The assessor's entries under that method, JSON: a score per aspect
    #: ({"permodalan": "12.50"}) for 'aspect_sum', a compliance ratio in
    #: percent per indicator ({"kelembagaan": "80"}) for 'indicator_ratio'.
    aspect_scores: Mapped[str] = mapped_column(Text, default="",
                                               info=limit(ASPECT_SCORES_MAX))
    health_score: Mapped[float | None] = mapped_column(Float, default=None)
    health_category: Mapped[str] = mapped_column(String(32), default="")
    findings: Mapped[str] = mapped_column(Text, default="",
                                          info=limit(FINDINGS_MAX))
    recommendations: Mapped[str] = mapped_column(Text, default="",
                                                 info=limit(RECOMMENDATIONS_MAX))


class AidVerification(VisitMixin, Base):
    """A verification visit to one aid applicant: each check, the verdict and
    its reason."""

    __tablename__ = "aid_verification"
    __table_args__ = (
        Index("ix_aid_verification_applicant", "applicant_id", "visit_date"),
        Index("ix_aid_verification_region_status", "regency_code", "status"),
    )

    applicant_id: Mapped[str] = mapped_column(ForeignKey("aid_applicant.id"))
    business_exists: Mapped[bool] = mapped_column(default=False)
    check_valid_nik: Mapped[str] = mapped_column(String(10), default="unchecked")
    check_micro_business: Mapped[str] = mapped_column(String(10), default="unchecked")
    check_not_civil_servant: Mapped[str] = mapped_column(String(10), default="unchecked")
    check_no_bank_credit: Mapped[str] = mapped_column(String(10), default="unchecked")
    check_not_prior_recipient: Mapped[str] = mapped_column(String(10), default="unchecked")
    check_notes: Mapped[str] = mapped_column(Text, default="",
                                             info=limit(CHECK_NOTES_MAX))
    verdict: Mapped[str] = mapped_column(String(16), default="")
    verdict_reason: Mapped[str] = mapped_column(Text, default="",
                                                info=limit(VERDICT_REASON_MAX))


class Attachment(SyncedMixin, Base):
    """A photo of a visit, content-addressed by the SHA-256 of its bytes.

    The row syncs with the records; the bytes live in the data folder under
    their hash and upload separately, after the records.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_table", "owner_id"),)

    owner_table: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(36))
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    size_bytes: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(String(200), default="")
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


VISIT_MODELS: tuple[type[VisitMixin], ...] = (UmkmSurvey, CooperativeAudit, AidVerification)
