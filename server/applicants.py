"""Importing an applicant list into a round at the server
(``python -m server applicants import ROUND FILE --regency CODE``).

The file (xlsx or csv, read by models.tabular) is checked row by row with
the same rules the laptop's import uses (models.rules.applicant_list),
against every NIK already listed in the round anywhere in the province. By
default a list with any refused row imports nothing (the office fixes the
file and imports it again); ``skip_refused`` imports the good rows. Either
way a row goes in whole, in one transaction with the others, each
applicant assigned to an officer of the regency (server/aid_assign.py) and
written as a server change the regency's laptops pull.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.models import AidApplicant, AidRound, CapitalAccess, Region
from desktop_app.models.rules import applicant_list
from desktop_app.models.rules.eligibility import round_rules
from desktop_app.models.tabular import read_table
from desktop_app.protocol import ErrorCode

from . import aid_assign, aid_audit
from .errors import ApiError, forbidden, invalid
from .server_writes import insert_row
from .tables import Officer


@dataclass
class ImportResult:
    check: applicant_list.ListCheck
    imported: int
    assigned: dict[str, int]  # officer username -> applicants given

    @property
    def refused_rows(self) -> int:
        return len({r.row for r in self.check.refused})


def acting_officer(session: Session, username: str, regency_code: str | None) -> Officer:
    officer = session.scalar(select(Officer).where(Officer.username == username))
    if officer is None or not officer.active:
        raise forbidden(f"akun '{username}' tidak ada atau tidak aktif",
                        f"account '{username}' does not exist or is not active")
    if officer.role == "admin" or (officer.role == "supervisor"
                                   and officer.regency_code == regency_code):
        return officer
    raise forbidden("hanya supervisor kabupaten/kota itu atau admin provinsi",
                    "only that regency's supervisor or the provincial admin")


def import_list(session: Session, path: Path, round_code: str, regency_code: str, *,
                by: str, today: date | None = None, skip_refused: bool = False) -> ImportResult:
    today = today or date.today()
    officer = acting_officer(session, by, regency_code)
    row = session.get(AidRound, round_code)
    if row is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, f"Tahap bantuan '{round_code}' tidak ada.",
                       f"There is no aid round '{round_code}'.")
    regency = session.get(Region, regency_code)
    if regency is None or regency.level != "regency":
        raise invalid(f"Kabupaten/kota '{regency_code}' tidak dikenal.",
                      f"Unknown regency '{regency_code}'.", field="regency")
    credit = {c.code: (c.name_id, c.name_en) for c in session.scalars(select(CapitalAccess))}
    rules = round_rules({c.name: getattr(row, c.name) for c in AidRound.__table__.columns},
                        credit_names=credit)
    closed = applicant_list.round_open_problems(rules, today)
    if closed:
        raise invalid(closed[0].id, closed[0].en, field="aid_round")
    rows = read_table(path)
    try:
        applicant_list.columns(rows[0].keys())
    except ValueError as missing:
        names = ", ".join(missing.args[0])
        raise invalid(f"Kolom wajib tidak ada: {names} (mis. 'NIK', 'Nama').",
                      f"Required columns missing: {names} (e.g. 'NIK', 'Nama').") from None
    villages = dict((a, b) for a, b in session.execute(select(Region.code, Region.parent_code)
                                    .where(Region.level == "village")).all())
    names = dict((a, b) for a, b in session.execute(select(Region.code, Region.name)
                                 .where(Region.level == "village")).all())
    districts = session.scalars(select(Region.code).where(Region.level == "district")).all()
    listed = session.scalars(select(AidApplicant.nik).where(
        AidApplicant.aid_round == round_code, AidApplicant.deleted_at.is_(None))).all()
    check = applicant_list.check_list(rows, rules=rules, regency_code=regency_code,
                                      village_parent=villages, village_names=names,
                                      districts=districts, listed_niks=listed, today=today)
    if check.refused and not skip_refused:
        return ImportResult(check, 0, {})
    officers = aid_assign.choose_officers(session, regency_code, len(check.accepted))
    usernames = dict((a, b) for a, b in session.execute(select(Officer.id, Officer.username)).all())
    assigned: dict[str, int] = {}
    actor = aid_audit.actor_for(session, officer_id=officer.id)
    for values, officer_id in zip(check.accepted, officers):
        row = insert_row(session, "aid_applicant", {**values, "assigned_officer_id": officer_id},
                         officer_id=officer.id, regency_code=regency_code)
        if officer_id:
            name = usernames[officer_id]
            assigned[name] = assigned.get(name, 0) + 1
            aid_assign.assign(session, actor, row["id"], officer_id)
    aid_audit.record(session, by, "applicant_import", target_type="aid_round",
                     target_id=round_code, regency_code=regency_code,
                     detail={"file": path.name, "imported": len(check.accepted),
                             "rows_refused": len({r.row for r in check.refused}),
                             "assigned": assigned})
    return ImportResult(check, len(check.accepted), assigned)
