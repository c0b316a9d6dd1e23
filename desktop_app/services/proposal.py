"""The proposal file for the central government from a round's accepted
list (no Qt): one workbook for the round in the proposal layout (the BPUM
guideline's: NIK as on the KTP-el, KK number, name, address, business,
phone, then where, the amount -- docs/DOMAIN.md, "The proposal"), and for
each regency the figures of its summary page, which ui/reports/proposal_pdf.py
prints with the signature block and the workbook's SHA-256 (so a signed page
names exactly the file it vouches for).

Only verdicts the province accepted go in, and only eligible ones; the
summary says how many of the regency's verdicts stood elsewhere (returned,
waiting, not eligible) so the signer sees the whole round.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..models import AidApplicant, AidRound, AidRoundQuota, AidVerification, Region
from ..models.rules.approval import Stage
from ..store import Store
from . import approvals
from .errors import ServiceError
from ..sheets.columns import AID_COLUMNS, CellKind, Column
from ..sheets.writers import ExportMeta, write_xlsx
from .exports import load_names

#: The proposal's columns: the guideline's six first, then where and how much.
PROPOSAL_HEADERS = ("NIK (sesuai KTP-el)", "Nomor KK", "Nama lengkap", "Alamat (sesuai KTP)",
                    "Nama usaha", "Sektor (KBLI)", "Nomor telepon", "Desa/kelurahan usaha",
                    "Kode desa/kelurahan", "Kecamatan", "Kabupaten/kota",
                    "Lokasi usaha berbeda dengan KTP", "Alamat lokasi usaha", "Nomor SKU",
                    "Tahap bantuan", "Nilai bantuan (Rp)", "Tanggal verifikasi", "ID verifikasi")
_BY_HEADER = {c.header: c for c in AID_COLUMNS}
PROPOSAL_COLUMNS: tuple[Column, ...] = tuple(_BY_HEADER[h] for h in PROPOSAL_HEADERS)


@dataclass(frozen=True)
class RegencyPage:
    """What one regency's signed summary page says."""

    regency_code: str
    regency_name: str
    round_name: str
    regulation: str
    amount: int
    recipients: int
    total: int
    quota: int | None
    stages: dict[str, int]  # stage label -> verdicts of the regency at that stage
    not_eligible_accepted: int
    workbook_name: str
    workbook_sha256: str
    generated_at: datetime


@dataclass
class Proposal:
    workbook: Path
    rows: int
    pages: list[RegencyPage] = field(default_factory=list)


def proposal_rows(store: Store, round_code: str) -> tuple[AidRound, list[dict[str, Any]]]:
    """The round and its accepted eligible verdicts, by regency and name."""
    with store.read() as session:
        round_row = session.get(AidRound, round_code)
        if round_row is None:
            raise ServiceError(f"Tahap bantuan '{round_code}' tidak ada.",
                               f"There is no aid round '{round_code}'.")
        session.expunge(round_row)
        accepted = [i.verification_id for i in approvals.items(session, round_code=round_code)
                    if i.stage == Stage.ACCEPTED and i.verdict == "eligible"]
        p, v = AidApplicant, AidVerification
        rows = [dict(r) for r in session.execute(
            select(v.id, p.full_name, p.nik, p.kk_number, p.business_name, p.kbli_section,
                   p.address, p.phone, p.village, p.village_code, p.district_code,
                   p.regency_code, p.business_location_differs, p.business_address,
                   p.sku_number, p.aid_round, v.visit_date, v.status, v.verdict,
                   v.verdict_reason)
            .join(p, p.id == v.applicant_id).where(v.id.in_(accepted))
            .order_by(p.regency_code, p.full_name, v.id)).mappings()]
    return round_row, rows


def write_proposal(store: Store, round_code: str, out_dir: Path | str, *,
                   now: datetime | None = None) -> Proposal:
    """Write ``usulan-<round>.xlsx`` into ``out_dir``; returns it with the
    figures of each regency's page (every regency with a decided verdict)."""
    now = now or datetime.now(timezone.utc)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    round_row, rows = proposal_rows(store, round_code)
    names = load_names(store)
    workbook = out_dir / f"usulan-{round_code}.xlsx"
    meta = ExportMeta(title=f"Usulan Penerima {round_row.name_id}", sheet="Usulan",
                      filter_lines=[("Tahap bantuan", round_row.name_id),
                                    ("Dasar", round_row.regulation or "-"),
                                    ("Isi", "putusan layak yang diterima Dinas KUKM Provinsi")],
                      exported_at=now)
    partial = workbook.with_name(f".{workbook.name}.partial")
    try:
        count = write_xlsx(partial, PROPOSAL_COLUMNS,
                           ([c.value(r, names) for c in PROPOSAL_COLUMNS] for r in rows), meta, None)
        partial.replace(workbook)
    finally:
        partial.unlink(missing_ok=True)
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
    proposal = Proposal(workbook, count)
    with store.read() as session:
        everything = approvals.items(session, round_code=round_code)
        regencies = sorted({i.regency_code for i in everything})
        quotas = {q.regency_code: q.quota for q in session.scalars(
            select(AidRoundQuota).where(AidRoundQuota.round_code == round_code))}
        region_names = dict(session.execute(select(Region.code, Region.name)
                                            .where(Region.code.in_(regencies))).all())
    for regency in regencies:
        mine = [i for i in everything if i.regency_code == regency]
        recipients = sum(1 for r in rows if r["regency_code"] == regency)
        proposal.pages.append(RegencyPage(
            regency_code=regency, regency_name=region_names.get(regency, regency),
            round_name=round_row.name_id, regulation=round_row.regulation,
            amount=round_row.amount, recipients=recipients, total=recipients * round_row.amount,
            quota=quotas.get(regency),
            stages={stage.label_id: sum(1 for i in mine if i.stage == stage) for stage in Stage},
            not_eligible_accepted=sum(1 for i in mine if i.stage == Stage.ACCEPTED
                                      and i.verdict != "eligible"),
            workbook_name=workbook.name, workbook_sha256=digest, generated_at=now))
    return proposal


__all__ = ["CellKind", "PROPOSAL_COLUMNS", "Proposal", "RegencyPage", "proposal_rows",
           "write_proposal"]
