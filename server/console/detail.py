"""A record's page: its fields, its photos, its visits or its entity, and
its history from the server's change log (who changed what, when).

Scope is the API's: a record of another regency is refused, whoever asks.
A NIK is shown whole only to a supervisor or an admin (they check
applicants against the population register); officers see it masked, here
and in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.models import (
    NIK_FIELDS, RECORD_KINDS, SYSTEM_FIELDS, Attachment, RecordKind, VisitStatus, code_label,
)
from desktop_app.models.rules.eligibility import VerdictKind
from desktop_app.models.rules.health import HealthCategory
from desktop_app.models.rules.nik import mask_nik
from desktop_app.models.rules.size_class import Basis, SizeClass
from desktop_app.models.visits import PandemicImpact
from desktop_app.protocol.clock import stamp_time

from ..tables import AppliedChange, Device
from .records import SLUGS, officer_names, region_names
from .sessions import Visitor

HISTORY_LIMIT = 200
#: Coded columns shown by their label, not their code.
CODED: dict[str, type[Enum]] = {
    "status": VisitStatus, "size_class": SizeClass, "size_class_basis": Basis,
    "health_category": HealthCategory, "verdict": VerdictKind, "pandemic_impact": PandemicImpact,
}
HIDDEN = SYSTEM_FIELDS - {"status"} | {"assigned_officer_id"}
REGION_FIELDS = ("regency_code", "district_code", "village_code")


class Refused(Exception):
    """The record is of another regency (403), or there is none (404)."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status, self.key = status, key


@dataclass
class Change:
    when: str
    who: str
    device: str
    op: str
    fields: list[tuple[str, str]]


@dataclass
class Detail:
    kind: RecordKind
    slug: str
    id: str
    title: str
    fields: list[tuple[str, str]]
    photos: list[dict[str, Any]]
    history: list[Change]
    parent: tuple[str, str, str] | None  # (slug, id, title)
    visits: list[dict[str, Any]]
    regency_code: str


def field_label(name: str, language: str) -> str:
    from .i18n import TEXT

    pair = FIELD_LABELS.get(name) or TEXT.get(name)
    if pair:
        return pair[1] if language == "en" else pair[0]
    return name.replace("_", " ").capitalize()


FIELD_LABELS: dict[str, tuple[str, str]] = {
    "owner_name": ("Nama pemilik", "Owner's name"), "owner_nik": ("NIK pemilik", "Owner's NIK"),
    "nik": ("NIK (sesuai KTP-el)", "NIK (as on the KTP-el)"), "kk_number": ("Nomor KK", "KK number"),
    "kbli_section": ("Sektor (KBLI)", "Sector (KBLI)"), "phone": ("Nomor telepon", "Phone"),
    "year_started": ("Tahun mulai usaha", "Year started"), "address": ("Alamat", "Address"),
    "regency_code": ("Kabupaten/kota", "Regency/city"), "district_code": ("Kecamatan", "District"),
    "village_code": ("Kode desa/kelurahan", "Village code"),
    "legal_entity_no": ("Nomor badan hukum", "Legal entity number"),
    "legal_entity_date": ("Tanggal badan hukum", "Legal entity date"),
    "cooperative_type": ("Jenis koperasi", "Cooperative type"), "chair_name": ("Nama ketua", "Chair"),
    "members_male": ("Anggota laki-laki", "Male members"),
    "members_female": ("Anggota perempuan", "Female members"), "is_active": ("Aktif", "Active"),
    "rat_last_year": ("RAT tahun buku terakhir", "RAT last year"),
    "business_name": ("Nama usaha", "Business name"), "aid_round": ("Tahap bantuan", "Aid round"),
    "business_location_differs": ("Lokasi usaha berbeda dengan KTP", "Business not at KTP address"),
    "business_address": ("Alamat lokasi usaha", "Business address"),
    "sku_number": ("Nomor SKU", "SKU number"), "on_credit_list": ("Tercatat kredit bank", "On credit list"),
    "prior_recipient": ("Pernah menerima bantuan", "Prior recipient"),
    "visit_date": ("Tanggal kunjungan", "Visit date"), "status": ("Status data", "Record status"),
    "latitude": ("Lintang", "Latitude"), "longitude": ("Bujur", "Longitude"),
    "location_source": ("Sumber lokasi", "Location source"), "notes": ("Catatan", "Notes"),
    "workers_paid": ("Pekerja dibayar", "Paid workers"),
    "workers_unpaid": ("Pekerja tidak dibayar", "Unpaid workers"),
    "workers_women": ("Pekerja perempuan", "Women workers"), "capital": ("Modal usaha (Rp)", "Capital (Rp)"),
    "turnover_monthly": ("Omzet per bulan (Rp)", "Monthly turnover (Rp)"),
    "turnover_annual": ("Hasil penjualan tahunan (Rp)", "Annual sales (Rp)"),
    "size_class": ("Skala usaha", "Size class"), "size_class_basis": ("Dasar skala usaha", "Size basis"),
    "digital_channels": ("Kanal digital", "Digital channels"),
    "online_sales_share": ("Porsi penjualan daring (%)", "Online sales share (%)"),
    "payment_methods": ("Metode pembayaran", "Payment methods"),
    "capital_access": ("Akses permodalan", "Capital access"),
    "capital_needed": ("Kebutuhan modal (Rp)", "Capital needed (Rp)"), "needs": ("Kebutuhan", "Needs"),
    "training_received": ("Pelatihan yang pernah diikuti", "Training received"),
    "training_wanted": ("Pelatihan yang dibutuhkan", "Training wanted"),
    "pandemic_impact": ("Dampak pandemi", "Pandemic impact"), "exports": ("Melakukan ekspor", "Exports"),
    "export_destinations": ("Tujuan ekspor", "Export destinations"),
    "rat_held": ("RAT dilaksanakan", "RAT held"), "rat_date": ("Tanggal RAT", "RAT date"),
    "own_capital": ("Modal sendiri (Rp)", "Own capital (Rp)"),
    "external_capital": ("Modal luar (Rp)", "External capital (Rp)"), "assets": ("Total aset (Rp)", "Assets (Rp)"),
    "business_volume": ("Volume usaha (Rp)", "Business volume (Rp)"), "surplus": ("SHU (Rp)", "Surplus (Rp)"),
    "loans_outstanding": ("Pinjaman beredar (Rp)", "Loans outstanding (Rp)"),
    "loans_overdue": ("Pinjaman bermasalah (Rp)", "Loans overdue (Rp)"),
    "health_method": ("Metode penilaian kesehatan", "Health method"),
    "aspect_scores": ("Nilai per aspek", "Aspect scores"), "health_score": ("Skor kesehatan", "Health score"),
    "health_category": ("Predikat kesehatan", "Health category"), "findings": ("Temuan", "Findings"),
    "recommendations": ("Rekomendasi", "Recommendations"),
    "business_exists": ("Usaha ada", "Business exists"), "check_valid_nik": ("NIK sah", "Valid NIK"),
    "check_micro_business": ("Usaha mikro", "Micro business"),
    "check_not_civil_servant": ("Bukan ASN/TNI/Polri", "Not a civil servant"),
    "check_no_bank_credit": ("Tidak sedang menerima kredit bank", "No bank credit"),
    "check_not_prior_recipient": ("Belum pernah menerima", "Not a prior recipient"),
    "check_notes": ("Catatan pemeriksaan", "Check notes"), "verdict": ("Hasil verifikasi", "Verdict"),
    "verdict_reason": ("Alasan", "Reason"), "supersedes_id": ("Mengoreksi data", "Corrects record"),
    "finalised_at": ("Difinalkan", "Finalised"), "deleted_at": ("Dihapus", "Deleted"),
}


def sees_full_nik(visitor: Visitor) -> bool:
    return visitor.is_supervisor


def show_value(name: str, value: Any, language: str, *, full_nik: bool,
               regions: dict[str, str] | None = None) -> str:
    """A stored value as a person reads it."""
    if name in NIK_FIELDS or name == "kk_number":
        return str(value or "") if full_nik else mask_nik(str(value or ""))
    if value is None or value == "":
        return "—"
    if name in CODED:
        return code_label(CODED[name], value, language)
    if isinstance(value, bool):
        return ("Yes" if value else "No") if language == "en" else ("Ya" if value else "Tidak")
    if regions is not None and name in REGION_FIELDS:
        return f"{regions.get(str(value), '')} ({value})"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, int) and name in MONEY_FIELDS:
        return f"Rp{value:,.0f}".replace(",", ".")
    return str(value)


MONEY_FIELDS = frozenset({"capital", "turnover_monthly", "turnover_annual", "capital_needed",
                          "own_capital", "external_capital", "assets", "business_volume", "surplus",
                          "loans_outstanding", "loans_overdue"})


def load(session: Session, visitor: Visitor, kind: RecordKind, record_id: str,
         language: str) -> Detail:
    model = kind.model
    table = model.__table__  # type: ignore[attr-defined]
    row = session.execute(select(table).where(table.c.id == record_id)).mappings().first()
    if row is None:
        raise Refused(404, "not_found")
    if not visitor.principal.may_see_regency(row["regency_code"]):
        raise Refused(403, "forbidden_regency")
    full = sees_full_nik(visitor)
    regions = region_names(session, {row.get(f) for f in REGION_FIELDS})
    fields = [(field_label(c.name, language),
               show_value(c.name, row[c.name], language, full_nik=full, regions=regions))
              for c in table.columns if c.name not in HIDDEN]
    names = officer_names(session)
    fields.append((field_label("recorded_by", language), names.get(row["created_by"], "—")))
    fields.append((field_label("updated", language), show_value("updated_at", row["updated_at"],
                                                                language, full_nik=full)))
    photos = [{"id": a.id, "caption": a.caption, "taken_at": a.taken_at}
              for a in session.scalars(select(Attachment).where(
                  Attachment.owner_table == kind.name, Attachment.owner_id == record_id,
                  Attachment.deleted_at.is_(None)).order_by(Attachment.created_at))]
    parent = None
    visits: list[dict[str, Any]] = []
    if kind.is_visit:
        parent_kind = RECORD_KINDS[kind.parent_kind or ""]
        parent_id = row[kind.parent_field or ""]
        ptable = parent_kind.model.__table__  # type: ignore[attr-defined]
        title = session.scalar(select(ptable.c[parent_kind.title_field]).where(ptable.c.id == parent_id))
        parent = (SLUGS[parent_kind.name], parent_id, title or "")
    else:
        for visit_kind in RECORD_KINDS.values():
            if visit_kind.parent_kind != kind.name:
                continue
            vtable = visit_kind.model.__table__  # type: ignore[attr-defined]
            for v in session.execute(
                    select(vtable.c.id, vtable.c.visit_date, vtable.c.status,
                           vtable.c[visit_kind.result_field or "status"].label("result"),
                           vtable.c.created_by)
                    .where(vtable.c[visit_kind.parent_field or ""] == record_id,
                           vtable.c.deleted_at.is_(None))
                    .order_by(vtable.c.visit_date.desc()).limit(50)).mappings():
                visits.append({"slug": SLUGS[visit_kind.name], "id": v["id"],
                               "date": v["visit_date"].isoformat(),
                               "status": code_label(VisitStatus, v["status"], language),
                               "result": show_value(visit_kind.result_field or "status",
                                                    v["result"], language, full_nik=full),
                               "officer": names.get(v["created_by"], "")})
    return Detail(kind=kind, slug=SLUGS[kind.name], id=record_id,
                  title=str(row[kind.title_field] if not kind.is_visit
                            else (parent[2] if parent else "")),
                  fields=fields, photos=photos,
                  history=history(session, kind.name, record_id, language, full_nik=full,
                                  names=names),
                  parent=parent, visits=visits, regency_code=row["regency_code"])


def history(session: Session, table_name: str, row_id: str, language: str, *, full_nik: bool,
            names: dict[str, str]) -> list[Change]:
    """The row's applied changes, newest first: who (officer), from which
    device, when (the officer's clock stamp), what each field became."""
    devices = {}
    out = []
    rows = session.scalars(select(AppliedChange).where(
        AppliedChange.table_name == table_name, AppliedChange.row_id == row_id)
        .order_by(AppliedChange.server_seq.desc()).limit(HISTORY_LIMIT)).all()
    for device_id in {r.device_id for r in rows}:
        device = session.get(Device, device_id)
        devices[device_id] = device.name if device is not None and device.name else device_id[:8]
    for r in rows:
        shown = [(field_label(k, language), show_value(k, v, language, full_nik=full_nik))
                 for k, v in sorted((r.fields or {}).items())
                 if k not in ("id", "created_at", "updated_at", "created_by", "officer_id",
                              "device_id")
                 and not (r.op == "insert" and v in (None, "", "[]"))]
        out.append(Change(when=stamp_time(r.hlc).strftime("%Y-%m-%d %H:%M UTC") if r.hlc
                          else r.received_at.strftime("%Y-%m-%d %H:%M UTC"),
                          who=names.get(r.officer_id or "", "—"),
                          device=devices.get(r.device_id, r.device_id),
                          op=r.op, fields=shown))
    return out


def photo(session: Session, visitor: Visitor, attachment_id: str) -> Attachment:
    """An attachment the visitor may see (its owner record in their regency)."""
    att = session.get(Attachment, attachment_id)
    if att is None or att.deleted_at is not None or att.owner_table not in RECORD_KINDS:
        raise Refused(404, "not_found")
    table = RECORD_KINDS[att.owner_table].model.__table__  # type: ignore[attr-defined]
    regency = session.scalar(select(table.c.regency_code).where(table.c.id == att.owner_id))
    if regency is None:
        raise Refused(404, "not_found")
    if not visitor.principal.may_see_regency(regency):
        raise Refused(403, "forbidden_regency")
    return att
