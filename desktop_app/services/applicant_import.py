"""Importing an applicant list into a round on a regency office's laptop
(no Qt), for an office that works without a connection: the same reading
(models.tabular) and row rules (models.rules.applicant_list) as the
server's import, against the NIKs this laptop holds for the round. All
accepted rows are saved in one unit of work (records.save_batch, with the
record rules) or none; by default a list with any refused row saves
nothing. The applicants sync like typed ones; the server flags a NIK
another office listed meanwhile (``python -m server duplicates list``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ..models import AidApplicant
from ..models.rules import applicant_list
from ..models.tabular import read_table
from ..store import Store
from . import records
from .context import Actor
from .errors import ServiceError, ValidationFailed
from .reference import load_codes


@dataclass
class ImportOutcome:
    check: applicant_list.ListCheck
    imported: list[dict]

    @property
    def refused_rows(self) -> int:
        return len({r.row for r in self.check.refused})


def import_list(store: Store, actor: Actor, path: Path | str, round_code: str,
                regency_code: str, *, today: date | None = None, skip_refused: bool = False,
                assign_to: str | None = None) -> ImportOutcome:
    today = today or date.today()
    rows = read_table(Path(path))
    try:
        applicant_list.columns(rows[0].keys())
    except ValueError as missing:
        names = ", ".join(missing.args[0])
        raise ServiceError(f"Kolom wajib tidak ada: {names} (mis. 'NIK', 'Nama').",
                           f"Required columns missing: {names} (e.g. 'NIK', 'Nama').") from None
    with store.read() as session:
        codes = load_codes(session)
        listed = session.scalars(select(AidApplicant.nik).where(
            AidApplicant.aid_round == round_code, AidApplicant.deleted_at.is_(None))).all()
    rules = codes.rounds.get(round_code)
    if rules is None:
        raise ServiceError(f"Tahap bantuan '{round_code}' tidak ada di laptop ini; sinkronkan dahulu.",
                           f"Aid round '{round_code}' is not on this laptop; sync first.")
    if regency_code not in codes.regencies:
        raise ServiceError(f"Kabupaten/kota '{regency_code}' tidak dikenal.",
                           f"Unknown regency '{regency_code}'.")
    closed = applicant_list.round_open_problems(rules, today)
    if closed:
        raise ValidationFailed(closed)
    check = applicant_list.check_list(rows, rules=rules, regency_code=regency_code,
                                      village_parent=codes.village_parent,
                                      village_names=codes.village_names,
                                      districts=codes.district_parent, listed_niks=listed,
                                      today=today)
    if check.refused and not skip_refused:
        return ImportOutcome(check, [])
    items = [({**values, "assigned_officer_id": assign_to or actor.officer_id}, False)
             for values in check.accepted]
    saved = records.save_batch(store, actor, "aid_applicant", items, today=today) if items else []
    return ImportOutcome(check, saved)
