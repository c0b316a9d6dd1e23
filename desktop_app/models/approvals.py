"""The approval chain of an aid round: each step a row that syncs.

An officer's finalised verdict goes to the regency office, which approves
it or returns it with a note; an approved verdict goes to the province,
which accepts it or returns it to the regency office (docs/DOMAIN.md, "The
approval chain"; the model is DHIS2's data approval: approve at one level,
accept at the next, locked once accepted). Each step is an insert of an
``aid_decision`` row, never an update, so two offices deciding offline never
overwrite each other: the chain is replayed in order
(models.rules.approval) and carried by sync and by sync bundles like any
other record, so a regency office with no connection works too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, Select, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin
from .entities import AidApplicant
from .rules.approval import DECIDED_VERDICTS
from .visits import AidVerification


class AidDecision(SyncedMixin, Base):
    """One step of the chain about one verification: ``level`` 'regency' or
    'province', ``action`` 'approve' or 'return' (regency), 'accept' or
    'return' (province), with the deciding office's note."""

    __tablename__ = "aid_decision"
    __table_args__ = (Index("ix_aid_decision_round_region", "round_code", "regency_code"),)

    verification_id: Mapped[str] = mapped_column(ForeignKey("aid_verification.id"), index=True)
    applicant_id: Mapped[str] = mapped_column(ForeignKey("aid_applicant.id"))
    round_code: Mapped[str] = mapped_column(String(32))
    regency_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    level: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")


def decided_verifications(round_code: str | None = None,
                          regency_code: str | None = None) -> Select[tuple[Any, Any]]:
    """The verifications that enter the chain, with their applicants: finalised,
    not deleted, with a decided verdict, and not corrected by a live later
    verification. One query for the laptop's regency office and the server."""
    corrected = select(AidVerification.supersedes_id).where(
        AidVerification.supersedes_id.is_not(None), AidVerification.deleted_at.is_(None))
    query = (select(AidVerification, AidApplicant)
             .join(AidApplicant, AidApplicant.id == AidVerification.applicant_id)
             .where(AidVerification.status == "finalised", AidVerification.deleted_at.is_(None),
                    AidVerification.verdict.in_(DECIDED_VERDICTS),
                    AidVerification.id.not_in(corrected)))
    if round_code:
        query = query.where(AidApplicant.aid_round == round_code)
    if regency_code:
        query = query.where(AidVerification.regency_code == regency_code)
    return query
