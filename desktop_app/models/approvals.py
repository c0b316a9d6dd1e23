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

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin


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
