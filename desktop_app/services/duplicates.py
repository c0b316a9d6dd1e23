"""Likely duplicates, found while the officer types (no Qt): the same NIK
twice in a round, the same business by owner NIK, NIB or a close name in
the same village (models.rules.duplicates). Each is a warning under the
field, carrying the existing record so the form opens it in one click; the
record may still be saved (the server lists the pairs for a supervisor).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AidApplicant, AidRound, Business
from ..models.rules.duplicates import similar_names
from ..models.rules.problems import Problem

#: The most businesses of one village compared by name.
VILLAGE_LIMIT = 2000


def applicant_duplicates(session: Session, values: dict[str, Any]) -> list[Problem]:
    nik, round_code = values.get("nik"), values.get("aid_round")
    if not nik or not round_code or len(nik) != 16:
        return []
    other = session.execute(select(AidApplicant.id, AidApplicant.full_name).where(
        AidApplicant.nik == nik, AidApplicant.aid_round == round_code,
        AidApplicant.deleted_at.is_(None), AidApplicant.id != (values.get("id") or ""))
        .limit(1)).first()
    if other is None:
        return []
    round_row = session.get(AidRound, round_code)
    name_id = round_row.name_id if round_row else round_code
    name_en = round_row.name_en if round_row else round_code
    return [Problem("nik", "duplicate.nik_in_round",
                    f"NIK ini sudah terdaftar pada {name_id} atas nama {other.full_name}; satu "
                    "orang hanya sekali dalam satu tahap. Buka data yang ada.",
                    f"This NIK is already listed in {name_en} as {other.full_name}; a person "
                    "applies once per round. Open the existing record.",
                    severity="warning", record=("aid_applicant", other.id))]


def business_duplicates(session: Session, values: dict[str, Any]) -> list[Problem]:
    own_id = values.get("id") or ""
    live = (Business.deleted_at.is_(None), Business.id != own_id)
    found: list[Problem] = []
    nik = values.get("owner_nik")
    if nik and len(nik) == 16:
        other = session.execute(select(Business.id, Business.name)
                                .where(Business.owner_nik == nik, *live).limit(1)).first()
        if other is not None:
            found.append(Problem(
                "owner_nik", "duplicate.business_nik",
                f"Pemilik dengan NIK ini sudah punya data usaha: {other.name}. Bila usaha yang "
                "sama, buka data yang ada; bila usaha lain, simpan saja.",
                f"An owner with this NIK already has a business record: {other.name}. If it is "
                "the same business, open it; if another, save anyway.",
                severity="warning", record=("business", other.id)))
    nib = values.get("nib")
    if nib:
        other = session.execute(select(Business.id, Business.name)
                                .where(Business.nib == nib, *live).limit(1)).first()
        if other is not None:
            found.append(Problem(
                "nib", "duplicate.business_nib",
                f"NIB ini sudah dipakai usaha {other.name}; satu NIB untuk satu usaha. Buka data "
                "yang ada.",
                f"This NIB is already used by {other.name}; one NIB per business. Open the "
                "existing record.", severity="warning", record=("business", other.id)))
    name = values.get("name")
    place = _village_filter(values)
    if name and place is not None:
        for other_id, other_name in session.execute(
                select(Business.id, Business.name).where(place, *live).limit(VILLAGE_LIMIT)):
            if similar_names(name, other_name):
                found.append(Problem(
                    "name", "duplicate.business_name",
                    f"Di desa/kelurahan ini sudah ada usaha bernama mirip: {other_name}. Bila "
                    "sama, buka data yang ada agar tidak tercatat dua kali.",
                    f"A business with a similar name is already in this village: {other_name}. "
                    "If it is the same, open it so it is not recorded twice.",
                    severity="warning", record=("business", other_id)))
                break
    return found


def _village_filter(values: dict[str, Any]) -> Any:
    if values.get("village_code"):
        return Business.village_code == values["village_code"]
    if values.get("district_code") and (values.get("village") or "").strip():
        return (Business.district_code == values["district_code"]) & \
            (Business.village == values["village"])
    return None
