"""The approval chain's queues and steps at the server's command line
(``python -m server approvals list|approve|return|accept``): the same
checks as a step pushed by a laptop (server/aid_chain.py), written as a
server change every laptop of the regency pulls."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, AidVerification
from desktop_app.models.approvals import AidDecision, decided_verifications
from desktop_app.models.rules import approval
from desktop_app.models.rules.nik import mask_nik
from desktop_app.protocol import ErrorCode

from . import aid_audit, aid_chain
from .errors import ApiError
from .server_writes import insert_row
from .tables import Officer


class Item:
    def __init__(self, verification: AidVerification, applicant: AidApplicant,
                 stand: approval.Standing) -> None:
        self.verification_id, self.regency_code = verification.id, verification.regency_code
        self.verdict, self.round_code = verification.verdict, applicant.aid_round
        self.full_name, self.masked_nik = applicant.full_name, mask_nik(applicant.nik)
        self.stage, self.last_note = stand.stage, stand.last_note


def listed(session: Session, *, round_code: str | None = None, regency_code: str | None = None,
           level: str = "all") -> list[Item]:
    query = decided_verifications(round_code, regency_code).order_by(
        AidVerification.regency_code, AidApplicant.full_name)
    wanted = {"regency": {approval.Stage.AT_REGENCY}, "province": {approval.Stage.AT_PROVINCE}}
    items = [Item(v, a, aid_chain.standing(session, v.id)) for v, a in session.execute(query).all()]
    return [i for i in items if level == "all" or i.stage in wanted[level]]


def take_step(session: Session, verification_id: str, level: str, action: str, note: str, *,
              by: str) -> None:
    officer = session.scalar(select(Officer).where(Officer.username == by))
    if officer is None or not officer.active:
        raise ApiError(403, ErrorCode.FORBIDDEN, f"Akun '{by}' tidak ada atau tidak aktif.",
                       f"Account '{by}' does not exist or is not active.")
    verification = session.get(AidVerification, verification_id)
    applicant = session.get(AidApplicant, verification.applicant_id) if verification else None
    if verification is None or applicant is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "Verifikasi ini tidak ada.",
                       "There is no such verification.")
    if officer.role == "supervisor" and officer.regency_code != verification.regency_code:
        raise ApiError(403, ErrorCode.FORBIDDEN, "Verifikasi ini di luar wilayah Anda.",
                       "This verification is outside your regency.")
    fields = {"verification_id": verification.id, "applicant_id": applicant.id,
              "round_code": applicant.aid_round, "regency_code": verification.regency_code,
              "level": level, "action": action, "note": note.strip()}
    problems = aid_chain.step_problems(session, officer.role, fields)
    if problems:
        code = ErrorCode.FORBIDDEN if problems[0].rule == "approval.role" else ErrorCode.CONFLICT
        raise ApiError(403 if code == ErrorCode.FORBIDDEN else 409, code, problems[0].id,
                       problems[0].en)
    insert_row(session, AidDecision.__tablename__, fields, officer_id=officer.id,
               regency_code=verification.regency_code)
    session.flush()
    aid_chain.audit_step(session, aid_audit.actor_for(session, officer_id=officer.id), fields)
