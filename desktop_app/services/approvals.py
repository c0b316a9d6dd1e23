"""The approval chain on the laptop (no Qt): the queue at each level and
the step an office takes (models/rules/approval.py; docs/DOMAIN.md, "The
approval chain").

A regency office's supervisor approves or returns its officers' finalised
verdicts; the provincial admin accepts or returns what the regencies
approved. A step is an ``aid_decision`` row written in one unit of work and
change-captured like any record, so it goes to the server by the network
push or in a sync bundle (an office with no connection). The server checks
every step again and refuses a step the chain no longer allows (another
office decided first, the verdict was accepted meanwhile): the refusal is
shown with the officer's other parked changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import AidApplicant, AidRound, AidRoundQuota, AidVerification
from ..models.approvals import AidDecision, decided_verifications
from ..models.rules import approval
from ..models.rules.approval import Action, Level, Stage
from ..models.rules.nik import mask_nik
from ..models.rules.problems import Problem
from ..store import Store
from .context import Actor
from .errors import ValidationFailed

#: The stage whose verdicts wait at each level.
WAITING_AT = {Level.REGENCY: Stage.AT_REGENCY, Level.PROVINCE: Stage.AT_PROVINCE}


@dataclass(frozen=True, slots=True)
class QueueItem:
    verification_id: str
    applicant_id: str
    full_name: str
    masked_nik: str
    round_code: str
    regency_code: str
    verdict: str
    stage: Stage
    last_note: str


def _live_verifications(session: Session, round_code: str | None,
                        regency_code: str | None) -> list[tuple[AidVerification, AidApplicant]]:
    query = decided_verifications(round_code, regency_code).order_by(
        AidApplicant.full_name, AidVerification.id)
    return [(v, a) for v, a in session.execute(query).all()]


def standings(session: Session, verification_ids: list[str]) -> dict[str, approval.Standing]:
    rows = session.execute(select(AidDecision.id, AidDecision.verification_id, AidDecision.level,
                                  AidDecision.action, AidDecision.note)
                           .where(AidDecision.verification_id.in_(verification_ids),
                                  AidDecision.deleted_at.is_(None))).mappings().all()
    found = approval.stages_by_verification(rows)
    return {vid: found.get(vid, approval.standing([])) for vid in verification_ids}


def items(session: Session, *, round_code: str | None = None, regency_code: str | None = None
          ) -> list[QueueItem]:
    """Every decided verdict with where it stands."""
    pairs = _live_verifications(session, round_code, regency_code)
    stands = standings(session, [v.id for v, _ in pairs])
    return [QueueItem(v.id, a.id, a.full_name, mask_nik(a.nik), a.aid_round, v.regency_code,
                      v.verdict, stands[v.id].stage, stands[v.id].last_note) for v, a in pairs]


def queue(store: Store, level: str, *, round_code: str | None = None,
          regency_code: str | None = None) -> list[QueueItem]:
    """What waits for ``level`` ('regency' or 'province')."""
    with store.read() as session:
        return [i for i in items(session, round_code=round_code, regency_code=regency_code)
                if i.stage == WAITING_AT[Level(level)]]


def counts(store: Store, *, round_code: str | None = None,
           regency_code: str | None = None) -> dict[Stage, int]:
    """How many decided verdicts stand at each stage (for the home page and the page's header)."""
    with store.read() as session:
        found = items(session, round_code=round_code, regency_code=regency_code)
    return {stage: sum(1 for i in found if i.stage == stage) for stage in Stage}


def decide(store: Store, actor: Actor, role: str | None, verification_id: str, level: str,
           action: str, note: str = "") -> dict[str, Any]:
    """Take one step of the chain; ValidationFailed says why it may not be taken."""
    with store.write() as session:
        verification = session.get(AidVerification, verification_id)
        if verification is None or verification.deleted_at is not None:
            raise ValidationFailed([Problem(
                "verification_id", "approval.unknown", "Verifikasi ini tidak ada.",
                "There is no such verification.")])
        applicant = session.get(AidApplicant, verification.applicant_id)
        assert applicant is not None
        superseded = session.scalar(select(func.count()).select_from(AidVerification).where(
            AidVerification.supersedes_id == verification.id,
            AidVerification.deleted_at.is_(None))) > 0
        stand = standings(session, [verification.id])[verification.id]
        quota = session.get(AidRoundQuota, f"{applicant.aid_round}:{verification.regency_code}")
        left = approval.quota_left(quota.quota if quota else None,
                                   _sent_up(session, applicant.aid_round, verification.regency_code))
        problems = approval.step_problems(
            level=level, action=action, note=note, role=role, current=stand.stage,
            verdict=verification.verdict, finalised=verification.status == "finalised",
            superseded=superseded, quota_left=left)
        if problems:
            raise ValidationFailed(problems)
        row = AidDecision(verification_id=verification.id, applicant_id=applicant.id,
                          round_code=applicant.aid_round, regency_code=verification.regency_code,
                          level=level, action=action, note=note.strip(),
                          created_by=actor.officer_id, officer_id=actor.officer_id,
                          device_id=actor.device_id)
        session.add(row)
        session.flush()
        return {"id": row.id, "stage": approval.standing(
            [*stand.counted, approval.Step(row.id, level, action, note)]).stage}


def _sent_up(session: Session, round_code: str, regency_code: str) -> int:
    found = items(session, round_code=round_code, regency_code=regency_code)
    return sum(1 for i in found if i.verdict == "eligible"
               and i.stage in (Stage.AT_PROVINCE, Stage.ACCEPTED))


def round_names(store: Store) -> dict[str, str]:
    with store.read() as session:
        return {code: name for code, name in session.execute(
            select(AidRound.code, AidRound.name_id).order_by(AidRound.year))}


__all__ = ["Action", "Level", "QueueItem", "Stage", "counts", "decide", "items", "queue"]
