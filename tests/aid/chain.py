"""Rows of an aid round written straight into a server database, for tests
that need a chain at a given stage without going through laptops."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, AidVerification, uuid7
from desktop_app.models.approvals import AidDecision

WRITER = "00000000-0000-7000-8000-000000000001"
DEVICE = "00000000-0000-7000-8000-000000000002"


def _stamps() -> dict:
    return {"id": uuid7(), "created_by": WRITER, "officer_id": WRITER, "device_id": DEVICE}


def applicant_row(session: Session, round_code: str, nik: str = "1871014506900001",
                  regency: str = "18.71") -> AidApplicant:
    row = AidApplicant(**_stamps(), full_name="Ani Rahayu", nik=nik, aid_round=round_code,
                       regency_code=regency, kk_number="1871010101200001")
    session.add(row)
    session.flush()
    return row


def verification_row(session: Session, applicant: AidApplicant, verdict: str = "eligible"
                     ) -> AidVerification:
    row = AidVerification(**_stamps(), applicant_id=applicant.id, visit_date=date(2021, 5, 1),
                          regency_code=applicant.regency_code, status="finalised",
                          verdict=verdict)
    session.add(row)
    session.flush()
    return row


def decision_row(session: Session, verification: AidVerification, level: str, action: str,
                 note: str = "") -> AidDecision:
    applicant = session.get(AidApplicant, verification.applicant_id)
    row = AidDecision(**_stamps(), verification_id=verification.id, applicant_id=applicant.id,
                      round_code=applicant.aid_round, regency_code=applicant.regency_code,
                      level=level, action=action, note=note)
    session.add(row)
    session.flush()
    return row


def accepted_decision_row(session: Session, round_code: str) -> AidDecision:
    verification = verification_row(session, applicant_row(session, round_code))
    decision_row(session, verification, "regency", "approve")
    return decision_row(session, verification, "province", "accept")
