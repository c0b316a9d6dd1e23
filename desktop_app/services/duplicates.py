"""Likely duplicates, found while the officer types (no Qt): the same NIK
twice in a round, the same business by owner NIK, NIB or a close name in
the same village (models.rules.duplicates). Each is a warning under the
field, carrying the existing record so the form opens it in one click; the
record may still be saved (the server lists the pairs for a supervisor).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..models import AidRound
from ..models.rules.duplicates import similar_names
from ..models.rules.problems import Problem

#: The most businesses of one village compared by name.
VILLAGE_LIMIT = 2000


_SAME_NIK_IN_ROUND = text("SELECT id, full_name FROM aid_applicant WHERE nik = :nik "
                          "AND aid_round = :round AND deleted_at IS NULL AND id != :own LIMIT 1")


def applicant_duplicates(session: Session, values: dict[str, Any]) -> list[Problem]:
    nik, round_code = values.get("nik"), values.get("aid_round")
    if not nik or not round_code or len(nik) != 16:
        return []
    other = session.execute(_SAME_NIK_IN_ROUND, {"nik": nik, "round": round_code,
                                                 "own": values.get("id") or ""}).first()
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


#: One statement per look-up, written once: built per keystroke with the
#: expression language they cost more than the search itself.
_SAME_NIK = text("SELECT id, name FROM business WHERE owner_nik = :v AND deleted_at IS NULL "
                 "AND id != :own LIMIT 1")
_SAME_NIB = text("SELECT id, name FROM business WHERE nib = :v AND deleted_at IS NULL "
                 "AND id != :own LIMIT 1")
_IN_VILLAGE = text("SELECT id, name FROM business WHERE regency_code = :regency "
                   "AND village_code = :village AND deleted_at IS NULL AND id != :own "
                   "AND length(name) BETWEEN :low AND :high LIMIT :limit")
_IN_TYPED_VILLAGE = text("SELECT id, name FROM business WHERE regency_code = :regency "
                         "AND district_code = :district AND village = :village "
                         "AND deleted_at IS NULL AND id != :own "
                         "AND length(name) BETWEEN :low AND :high LIMIT :limit")


def business_duplicates(session: Session, values: dict[str, Any]) -> list[Problem]:
    own_id = values.get("id") or ""
    found: list[Problem] = []
    nik = values.get("owner_nik")
    if nik and len(nik) == 16:
        other = session.execute(_SAME_NIK, {"v": nik, "own": own_id}).first()
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
        other = session.execute(_SAME_NIB, {"v": nib, "own": own_id}).first()
        if other is not None:
            found.append(Problem(
                "nib", "duplicate.business_nib",
                f"NIB ini sudah dipakai usaha {other.name}; satu NIB untuk satu usaha. Buka data "
                "yang ada.",
                f"This NIB is already used by {other.name}; one NIB per business. Open the "
                "existing record.", severity="warning", record=("business", other.id)))
    name = values.get("name")
    place = _village_params(values)
    if name and place is not None:
        statement, params = place
        # difflib's ratio is at most 2*min/(a+b) of the lengths: a name much
        # shorter or longer cannot be close (a prefilter, on the raw names)
        params.update(own=own_id, low=int(len(name) * 0.6), high=int(len(name) / 0.6) + 1,
                      limit=VILLAGE_LIMIT)
        for other_id, other_name in session.execute(statement, params):
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


def _village_params(values: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """The same village: by its code, else by district and typed name (with
    the regency, so the region index narrows the search)."""
    regency = values.get("regency_code") or ""
    if values.get("village_code"):
        return _IN_VILLAGE, {"regency": regency, "village": values["village_code"]}
    if values.get("district_code") and (values.get("village") or "").strip():
        return _IN_TYPED_VILLAGE, {"regency": regency, "district": values["district_code"],
                                   "village": values["village"]}
    return None
