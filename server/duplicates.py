"""Likely duplicates across the province, for a supervisor
(``python -m server duplicates list|merge``).

* Applicants: the same NIK more than once in a round. A list import refuses
  them (server/applicants.py); those typed on laptops arrive by sync, where
  two offices may each have listed the person offline, and are flagged
  here for the supervisor to settle (one of them is deleted on a laptop, or
  returned in the approval chain).
* Businesses: the same owner NIK, the same NIB, or a close name in the same
  village (models.rules.duplicates). A merge keeps both histories: the
  duplicate's surveys move to the business kept (each survey's own history
  untouched), fields the kept record lacks are filled from the duplicate,
  the duplicate becomes a tombstone (its row and change history stay), and
  ``business_merge`` says where it went. Every step is a server change the
  regency's laptops pull.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, Business, UmkmSurvey
from desktop_app.models.rules.duplicates import similar_names
from desktop_app.models.rules.nik import mask_nik
from desktop_app.models.types import utc_now
from desktop_app.protocol import ErrorCode

from . import aid_audit
from .applicants import acting_officer
from .errors import ApiError, invalid
from .server_writes import update_row
from .tables import BusinessMerge

#: Fields of the kept business filled from the duplicate when empty.
FILLED = ("nib", "kbli_section", "phone", "year_started", "address", "village_code", "village",
          "district_code")


@dataclass(frozen=True)
class ApplicantGroup:
    round_code: str
    masked_nik: str
    ids: tuple[str, ...]
    regencies: tuple[str, ...]


@dataclass(frozen=True)
class BusinessPair:
    reason: str  # owner_nik | nib | name
    first: tuple[str, str]  # (id, name)
    second: tuple[str, str]
    regency_code: str


def applicant_groups(session: Session, regency: str | None = None) -> list[ApplicantGroup]:
    live = AidApplicant.deleted_at.is_(None)
    twice = (select(AidApplicant.aid_round, AidApplicant.nik).where(live)
             .group_by(AidApplicant.aid_round, AidApplicant.nik)
             .having(func.count() > 1).subquery())
    rows = session.execute(select(AidApplicant.aid_round, AidApplicant.nik, AidApplicant.id,
                                  AidApplicant.regency_code)
                           .join(twice, (twice.c.aid_round == AidApplicant.aid_round)
                                 & (twice.c.nik == AidApplicant.nik))
                           .where(live).order_by(AidApplicant.aid_round, AidApplicant.nik,
                                                 AidApplicant.id)).all()
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for round_code, nik, row_id, regency_code in rows:
        groups.setdefault((round_code, nik), []).append((row_id, regency_code))
    found = [ApplicantGroup(r, mask_nik(n), tuple(i for i, _ in m), tuple(sorted({g for _, g in m})))
             for (r, n), m in groups.items()]
    return [g for g in found if regency is None or regency in g.regencies]


def business_pairs(session: Session, regency: str | None = None) -> list[BusinessPair]:
    query = select(Business.id, Business.name, Business.owner_nik, Business.nib,
                   Business.regency_code, Business.district_code, Business.village_code,
                   Business.village).where(Business.deleted_at.is_(None)).order_by(Business.id)
    if regency:
        query = query.where(Business.regency_code == regency)
    rows = session.execute(query).all()
    pairs: dict[tuple[str, str], BusinessPair] = {}

    def add(reason: str, a: Any, b: Any) -> None:
        key = (a.id, b.id)
        if key not in pairs:
            pairs[key] = BusinessPair(reason, (a.id, a.name), (b.id, b.name), a.regency_code)

    for field in ("owner_nik", "nib"):
        by_value: dict[str, list[Any]] = {}
        for row in rows:
            if getattr(row, field):
                by_value.setdefault(getattr(row, field), []).append(row)
        for same in by_value.values():
            for a, b in combinations(same, 2):
                add(field, a, b)
    by_village: dict[tuple[str, ...], list[Any]] = {}
    for row in rows:
        place = (row.village_code,) if row.village_code else (
            (row.district_code or "", row.village.strip().lower()) if row.village.strip() else None)
        if place:
            by_village.setdefault(place, []).append(row)
    for same in by_village.values():
        for a, b in combinations(same, 2):
            if similar_names(a.name, b.name):
                add("name", a, b)
    return sorted(pairs.values(), key=lambda p: (p.regency_code, p.first[1], p.second[1]))


def merge(session: Session, kept_id: str, merged_id: str, *, by: str) -> int:
    """Merge business ``merged_id`` into ``kept_id``; returns the surveys moved."""
    kept, merged = session.get(Business, kept_id), session.get(Business, merged_id)
    if kept is None or merged is None or kept.deleted_at or merged.deleted_at:
        raise ApiError(404, ErrorCode.NOT_FOUND, "Salah satu data usaha tidak ada atau sudah dihapus.",
                       "One of the businesses does not exist or was deleted.")
    if kept_id == merged_id:
        raise invalid("Pilih dua data usaha yang berbeda.", "Pick two different businesses.")
    if kept.regency_code != merged.regency_code:
        raise invalid("Hanya data usaha dari kabupaten/kota yang sama yang dapat digabung.",
                      "Only businesses of the same regency can be merged.")
    officer = acting_officer(session, by, kept.regency_code)
    regency = kept.regency_code
    fill = {name: getattr(merged, name) for name in FILLED
            if getattr(kept, name) in (None, "") and getattr(merged, name) not in (None, "")}
    if "village_code" in fill or "district_code" in fill:  # a place is taken whole, or not at all
        for name in ("district_code", "village_code", "village"):
            fill.pop(name, None)
    if fill:
        update_row(session, "business", kept_id, fill, officer_id=officer.id, regency_code=regency)
    surveys = session.scalars(select(UmkmSurvey.id).where(UmkmSurvey.business_id == merged_id)).all()
    for survey_id in surveys:
        update_row(session, "umkm_survey", survey_id, {"business_id": kept_id},
                   officer_id=officer.id, regency_code=regency)
    update_row(session, "business", merged_id, {"deleted_at": utc_now()}, officer_id=officer.id,
               regency_code=regency)
    session.add(BusinessMerge(merged_id=merged_id, kept_id=kept_id, merged_by=by,
                              visits_moved=len(surveys)))
    aid_audit.record(session, by, "business_merge", target_type="business", target_id=merged_id,
                     regency_code=regency, detail={"kept": kept_id, "surveys_moved": len(surveys)})
    return len(surveys)
