"""The approval chain at the server: which step may be taken, and the lock
on an accepted verdict (models/rules/approval.py; docs/DOMAIN.md, "The
approval chain").

Every step arrives as an ``aid_decision`` insert -- pushed by a laptop,
carried in a sync bundle, or taken at the server's command line -- and is
checked here against the chain as the server holds it: the level's role
(a regency's supervisor, the provincial admin), the stage, a note for a
return, the regency's quota. Steps are never changed or deleted. Once the
province has accepted a verdict, the server refuses every later change to
it: to the verification, to a correction superseding it, to the
applicant's record, and any further step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, AidRoundQuota, AidVerification, STAMP_FIELDS
from desktop_app.models.approvals import AidDecision
from desktop_app.models.rules import approval
from desktop_app.models.rules.problems import Problem
from desktop_app.protocol import ErrorCode

from . import aid_audit


@dataclass(frozen=True)
class Refusal:
    code: ErrorCode
    message_id: str
    message_en: str


_LOCKED = Refusal(ErrorCode.CONFLICT,
                  "Putusan bantuan ini sudah diterima provinsi dan terkunci; perubahan tidak "
                  "diterima server.",
                  "This aid verdict was accepted by the province and is locked; the server did "
                  "not take the change.")


def standing(session: Session, verification_id: str) -> approval.Standing:
    rows = session.execute(select(AidDecision.id, AidDecision.level, AidDecision.action,
                                  AidDecision.note)
                           .where(AidDecision.verification_id == verification_id,
                                  AidDecision.deleted_at.is_(None))).all()
    return approval.standing(approval.Step(r.id, r.level, r.action, r.note) for r in rows)


def is_accepted(session: Session, verification_id: str | None) -> bool:
    if not verification_id:
        return False
    return session.scalar(select(func.count()).select_from(AidDecision).where(
        AidDecision.verification_id == verification_id, AidDecision.action == "accept",
        AidDecision.level == "province")) > 0 and \
        standing(session, verification_id).stage == approval.Stage.ACCEPTED


def sent_up(session: Session, round_code: str, regency_code: str) -> int:
    """Eligible verdicts of the regency in the round at the province or accepted."""
    ids = session.scalars(select(AidDecision.verification_id).distinct().where(
        AidDecision.round_code == round_code, AidDecision.regency_code == regency_code,
        AidDecision.level == "regency", AidDecision.action == "approve")).all()
    count = 0
    for vid in ids:
        verification = session.get(AidVerification, vid)
        if verification is not None and verification.verdict == "eligible" and standing(
                session, vid).stage in (approval.Stage.AT_PROVINCE, approval.Stage.ACCEPTED):
            count += 1
    return count


def step_problems(session: Session, role: str | None, fields: dict[str, Any]) -> list[Problem]:
    """Why the step in ``fields`` (an aid_decision row) may not be taken now."""
    verification = session.get(AidVerification, fields.get("verification_id"))
    if verification is None:
        return [Problem("verification_id", "approval.unknown",
                        "Verifikasi yang diputus tidak ada di server.",
                        "The verification decided on is not on the server.")]
    applicant = session.get(AidApplicant, verification.applicant_id)
    if applicant is None or fields.get("applicant_id") != applicant.id \
            or fields.get("round_code") != applicant.aid_round \
            or fields.get("regency_code") != verification.regency_code:
        return [Problem("verification_id", "approval.mismatch",
                        "Langkah ini tidak sesuai dengan pemohon, tahap, atau wilayah verifikasinya.",
                        "The step does not match its verification's applicant, round or regency.")]
    superseded = session.scalar(select(func.count()).select_from(AidVerification).where(
        AidVerification.supersedes_id == verification.id)) > 0
    quota = session.get(AidRoundQuota, f"{applicant.aid_round}:{verification.regency_code}")
    left = approval.quota_left(quota.quota if quota else None,
                               sent_up(session, applicant.aid_round, verification.regency_code))
    return approval.step_problems(
        level=str(fields.get("level")), action=str(fields.get("action")),
        note=str(fields.get("note") or ""), role=role, current=standing(session, verification.id).stage,
        verdict=verification.verdict, finalised=verification.status == "finalised",
        superseded=superseded, quota_left=left)


def audit_step(session: Session, actor: Any, fields: dict[str, Any]) -> None:
    """The step in the audit log (ids, round and regency; never a NIK)."""
    aid_audit.record(session, actor, f"approval_{fields.get('level')}_{fields.get('action')}",
                     target_type="aid_verification", target_id=str(fields.get("verification_id")),
                     regency_code=fields.get("regency_code"),
                     detail={"round": fields.get("round_code"),
                             "note": str(fields.get("note") or "")[:200]})


def refusal(session: Session, principal: Any, table: Table, row: dict[str, Any] | None,
            op: str, fields: dict[str, Any]) -> Refusal | None:
    """Why the server refuses this pushed change, by the chain's rules
    (None: nothing of the chain stands in its way). ``fields`` are the
    change's values as Python values."""
    if table.name == "aid_decision":
        if row is not None or op != "insert":
            return Refusal(ErrorCode.CONFLICT, "Langkah persetujuan tidak dapat diubah atau dihapus.",
                           "A step of the approval chain cannot be changed or deleted.")
        problems = step_problems(session, str(principal.role), fields)
        if problems:
            code = ErrorCode.FORBIDDEN if problems[0].rule == "approval.role" else ErrorCode.CONFLICT
            return Refusal(code, problems[0].id, problems[0].en)
        # applied in the same savepoint as this line: a later failure takes both back
        audit_step(session, aid_audit.actor_for(session, officer_id=principal.officer_id,
                                                device_id=principal.device_id), fields)
        return None
    if table.name == "aid_verification":
        if row is not None and is_accepted(session, row["id"]):
            return _LOCKED
        if is_accepted(session, fields.get("supersedes_id")):  # a correction of an accepted verdict
            return _LOCKED
        return None
    if table.name == "aid_applicant" and row is not None:
        if not set(fields) - STAMP_FIELDS:
            return None
        accepted = session.scalars(select(AidDecision.verification_id).where(
            AidDecision.applicant_id == row["id"], AidDecision.action == "accept")).all()
        if any(is_accepted(session, vid) for vid in accepted):
            return _LOCKED
    return None
