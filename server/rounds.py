"""Aid rounds created by the province on the server, pulled by every laptop.

A round (program, year, amount, rule set, regency quotas, open and close
dates: docs/DOMAIN.md, "Aid verification") is reference data: the laptops
hold it in ``aid_round`` / ``aid_round_quota`` and pull it in the
'reference' scope. The shipped rounds come from resources/reference; those
the province adds or changes here are written to the same tables, each
edit recorded in ``reference_edit`` under a new reference version, so a
laptop past the shipped set pulls only the rows that changed (not the
2,651 villages again).

Versions the server makes are ``<year>.<month>.<500 + n>``: above any
shipped set of the same month (shipped serials are small), so a laptop with
the shipped set still sees the server's as newer.

A round's amount and rule set may not change once the province has
accepted a verdict in it: the accepted list was checked against them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import AidRound, AidRoundQuota, Base, CapitalAccess, ReferenceVersion, Region
from desktop_app.models import reference_data
from desktop_app.models.approvals import AidDecision
from desktop_app.models.rules.eligibility import CheckItem, round_rules
from desktop_app.models.types import utc_now

from desktop_app.protocol import ErrorCode

from . import aid_audit
from .tables import ReferenceEdit
from .errors import ApiError, invalid

#: Serials the server gives its own versions start above this (see module doc).
SERVER_SERIAL_BASE = 500
#: A round's code: lower-case letters, digits and dashes ('bpum-2022').
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
#: The dataset name under which the version of the shipped files is kept.
FILES_DATASET = "reference_files"
#: Fields `set` may change after a verdict of the round was accepted.
FREE_AFTER_ACCEPT = frozenset({"name_id", "name_en", "closes_on", "regulation", "quotas"})


@dataclass(frozen=True)
class RoundInput:
    """What the province gives for a round (strings as typed on the command line)."""

    code: str
    program: str
    year: int
    amount: int
    checks: list[str]
    excluded_credit: list[str]
    prior_recipients_allowed: bool = False
    regulation: str = ""
    name_id: str = ""
    name_en: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    quotas: dict[str, int] | None = None


def add(session: Session, given: RoundInput, *, by: str) -> AidRound:
    if not CODE.match(given.code):
        raise invalid("Kode tahap: huruf kecil, angka dan tanda '-', 2-32 karakter (mis. bpum-2022).",
                      "Round code: lower-case letters, digits and '-', 2-32 characters "
                      "(e.g. bpum-2022).", field="code")
    if session.get(AidRound, given.code) is not None:
        raise ApiError(409, ErrorCode.CONFLICT, f"Tahap '{given.code}' sudah ada; ubah dengan 'rounds set'.",
                       f"Round '{given.code}' exists already; change it with 'rounds set'.")
    name = f"{given.program} {given.year}"
    values = {"code": given.code, "program": given.program, "year": given.year,
              "name_id": given.name_id or name, "name_en": given.name_en or name,
              "amount": given.amount, "regulation": given.regulation,
              "checks": list(given.checks), "excluded_credit": list(given.excluded_credit),
              "prior_recipients_allowed": given.prior_recipients_allowed,
              "opens_on": given.opens_on, "closes_on": given.closes_on}
    _check(session, values, given.quotas or {})
    row = AidRound(**values)
    session.add(row)
    session.flush()
    ordinal = bump_version(session)
    _edited(session, ordinal, "aid_round", given.code, by)
    _set_quotas(session, given.code, given.quotas or {}, ordinal, by)
    return row


def change(session: Session, code: str, changes: dict[str, Any], *, by: str) -> AidRound:
    """Change some of a round's fields (and, with 'quotas', some quotas)."""
    row = _get(session, code)
    locked = sorted(set(changes) - FREE_AFTER_ACCEPT)
    if locked and accepted_count(session, code):
        raise ApiError(409, ErrorCode.CONFLICT,
                       "Sudah ada putusan yang diterima provinsi pada tahap ini; jumlah bantuan "
                       f"dan aturannya tidak dapat diubah lagi ({', '.join(locked)}).",
                       "The province has accepted verdicts in this round; its amount and rules "
                       f"can no longer change ({', '.join(locked)}).", {"field": locked[0]})
    quotas = changes.pop("quotas", None) or {}
    values = {c.name: getattr(row, c.name) for c in AidRound.__table__.columns}
    values.update(changes)
    _check(session, values, quotas)
    for name, value in changes.items():
        setattr(row, name, value)
    ordinal = bump_version(session)
    _edited(session, ordinal, "aid_round", code, by)
    _set_quotas(session, code, quotas, ordinal, by)
    return row


def close(session: Session, code: str, on: date, *, by: str) -> AidRound:
    """Close the round on ``on`` (today by default): lists may no longer be
    imported into it after that day."""
    row = _get(session, code)
    if row.opens_on is not None and on < row.opens_on:
        raise invalid("Tanggal tutup tidak boleh sebelum tanggal buka.",
                      "The close date cannot be before the open date.", field="closes_on")
    return change(session, code, {"closes_on": on}, by=by)


def listed(session: Session) -> list[tuple[AidRound, dict[str, int]]]:
    rounds = session.scalars(select(AidRound).order_by(AidRound.year, AidRound.code)).all()
    quotas: dict[str, dict[str, int]] = {}
    for q in session.scalars(select(AidRoundQuota)):
        quotas.setdefault(q.round_code, {})[q.regency_code] = q.quota
    return [(r, quotas.get(r.code, {})) for r in rounds]


def is_open(row: AidRound, today: date) -> bool:
    return (row.opens_on is None or row.opens_on <= today) and \
        (row.closes_on is None or today <= row.closes_on)


def accepted_count(session: Session, code: str) -> int:
    return session.scalar(select(func.count()).select_from(AidDecision).where(
        AidDecision.round_code == code, AidDecision.action == "accept")) or 0


def _get(session: Session, code: str) -> AidRound:
    row = session.get(AidRound, code)
    if row is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, f"Tahap bantuan '{code}' tidak ada.",
                       f"There is no aid round '{code}'.")
    return row


def _check(session: Session, values: dict[str, Any], quotas: dict[str, int]) -> None:
    """The round's rules as the laptops will read them (rules.eligibility)."""
    if not str(values.get("program") or "").strip():
        raise invalid("Program wajib diisi (mis. BPUM).", "The program is required (e.g. BPUM).",
                      field="program")
    if not 2000 <= int(values["year"]) <= 2100:
        raise invalid("Tahun tahap di luar 2000-2100.", "The round's year is outside 2000-2100.",
                      field="year")
    if not isinstance(values["amount"], int) or values["amount"] <= 0:
        raise invalid("Jumlah bantuan per penerima harus rupiah bulat lebih dari 0.",
                      "The amount per recipient must be whole rupiah above 0.", field="amount")
    known = {c.value for c in CheckItem}
    unknown = [c for c in values["checks"] if c not in known]
    if unknown or not values["checks"]:
        raise invalid(f"Pemeriksaan tidak dikenal atau kosong; yang dikenal: {', '.join(sorted(known))}.",
                      f"Unknown or no checks; known: {', '.join(sorted(known))}.", field="checks")
    credits = set(session.scalars(select(CapitalAccess.code)))
    bad = [c for c in values["excluded_credit"] if c not in credits]
    if bad:
        raise invalid(f"Jenis kredit tidak dikenal: {', '.join(bad)}; yang dikenal: "
                      f"{', '.join(sorted(credits))}.",
                      f"Unknown credit: {', '.join(bad)}; known: {', '.join(sorted(credits))}.",
                      field="excluded_credit")
    if values.get("opens_on") and values.get("closes_on") and values["closes_on"] < values["opens_on"]:
        raise invalid("Tanggal tutup tidak boleh sebelum tanggal buka.",
                      "The close date cannot be before the open date.", field="closes_on")
    regencies = set(session.scalars(select(Region.code).where(Region.level == "regency")))
    for regency, quota in quotas.items():
        if regency not in regencies:
            raise invalid(f"Kabupaten/kota '{regency}' tidak dikenal.",
                          f"Unknown regency '{regency}'.", field="quotas")
        if not isinstance(quota, int) or quota < 0:
            raise invalid("Kuota harus bilangan bulat 0 atau lebih.",
                          "A quota must be a whole number, 0 or more.", field="quotas")
    round_rules({**values, "checks": json.dumps(values["checks"]),
                 "excluded_credit": json.dumps(values["excluded_credit"])})  # as every laptop reads it


def _set_quotas(session: Session, code: str, quotas: dict[str, int], ordinal: int, by: str) -> None:
    for regency, quota in quotas.items():
        key = f"{code}:{regency}"
        row = session.get(AidRoundQuota, key)
        if row is None:
            session.add(AidRoundQuota(code=key, round_code=code, regency_code=regency, quota=quota))
        else:
            row.quota = quota
        _edited(session, ordinal, "aid_round_quota", key, by)
    session.flush()


def _edited(session: Session, ordinal: int, table: str, code: str, by: str) -> None:
    session.add(ReferenceEdit(ordinal=ordinal, table_name=table, code=code, edited_by=by))
    aid_audit.record(session, by, "round_change" if table == "aid_round" else "round_quota",
                     target_type=table, target_id=code,
                     detail={"reference_version": ordinal})


def bump_version(session: Session, today: date | None = None) -> int:
    """A new reference version above the current one; its ordinal."""
    today = today or date.today()
    row = session.get(ReferenceVersion, reference_data.DATASET)
    current = reference_data.version_key(row.version) if row else (0, 0, 0)
    floor = (today.year, today.month, SERVER_SERIAL_BASE)
    year, month, serial = max(tuple(current) + (0,) * (3 - len(current)), floor)
    version = f"{year}.{month}.{serial + 1}"
    if row is None:
        session.add(ReferenceVersion(dataset=reference_data.DATASET, version=version,
                                     loaded_at=utc_now()))
    else:
        row.version, row.loaded_at = version, utc_now()
    session.flush()
    return reference_data.version_ordinal(version)


def edited_codes(session: Session) -> set[tuple[str, str]]:
    """(table, code) of every reference row the province changed here: a
    later load of the shipped files leaves them as the province set them."""
    return set(session.execute(select(ReferenceEdit.table_name, ReferenceEdit.code)).all())


def files_ordinal(session: Session) -> int:
    """The ordinal of the shipped set this server loaded (0 if unknown)."""
    version = session.scalar(select(ReferenceVersion.version)
                             .where(ReferenceVersion.dataset == FILES_DATASET))
    return reference_data.version_ordinal(version) if version else 0


def edits_suffice(session: Session, version: str, cursor: int) -> bool:
    """Whether a client at ``cursor`` needs only the rows edited since: the
    current version is one this server made (:func:`bump_version`) and the
    client holds at least the shipped set the server loaded. A version set
    any other way (a newer shipped set loaded by ``init``) sends the whole set."""
    serial = (reference_data.version_key(version) + (0, 0, 0))[2]
    return bool(cursor) and serial > SERVER_SERIAL_BASE and cursor >= files_ordinal(session)


def edits_since(session: Session, cursor: int) -> list[tuple[str, dict[str, Any]]]:
    """(table, row) of each reference row edited after ``cursor``, once each."""
    edits = session.execute(select(ReferenceEdit.table_name, ReferenceEdit.code)
                            .where(ReferenceEdit.ordinal > cursor)
                            .order_by(ReferenceEdit.id)).all()
    rows: list[tuple[str, dict[str, Any]]] = []
    order = reference_data.TABLES
    for table_name, code in sorted(dict.fromkeys(edits), key=lambda e: order.index(e[0])):
        table = Base.metadata.tables[table_name]
        row = session.execute(select(table).where(table.c.code == code)).mappings().first()
        if row is not None:
            rows.append((table_name, dict(row)))
    return rows

