"""Exports of a console table, filtered as shown, in the laptop's layouts
(desktop_app/sheets: the same columns, labels and writer as the laptop's
exports, so the province gets one file shape whichever side wrote it).

Surveys and businesses: the survey layout (a business with its latest
survey; blanks where none); cooperatives and audits: the cooperative
register with the audit; aid applicants and verifications: the aid proposal
layout. Rows are streamed from the cursor a page at a time. Exports carry
whole NIKs (the province's lists need them), so only supervisors and admins
may export, within their regency.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from desktop_app.models import (
    AidApplicant, AidRound, AidVerification, Business, CapitalAccess, Cooperative,
    CooperativeAudit, CooperativeType, DigitalChannel, HealthMethod, KbliSection, PaymentMethod,
    RecordKind, Region, UmkmSurvey,
)
from desktop_app.sheets.columns import AID_COLUMNS, COOPERATIVE_COLUMNS, SURVEY_COLUMNS, Column, Names
from desktop_app.sheets.writers import ExportMeta, write_xlsx

from .records import Filters, base_query, region_names

PAGE = 1000


def names(session: Session) -> Names:
    def pairs(*columns: Any) -> dict[str, str]:
        return {code: name for code, name in session.execute(select(*columns)).all()}

    return Names(regions=pairs(Region.code, Region.name),
                 kbli=pairs(KbliSection.code, KbliSection.name_id),
                 channels=pairs(DigitalChannel.code, DigitalChannel.name),
                 payments=pairs(PaymentMethod.code, PaymentMethod.name_id),
                 capital_access=pairs(CapitalAccess.code, CapitalAccess.name_id),
                 cooperative_types=pairs(CooperativeType.code, CooperativeType.name_id),
                 health_methods=pairs(HealthMethod.code, HealthMethod.name_id),
                 rounds={code: (name, amount) for code, name, amount in session.execute(
                     select(AidRound.code, AidRound.name_id, AidRound.amount))})


def _latest(model: Any, parent_field: str, parent_id: Any) -> Any:
    inner = aliased(model)
    return (select(inner.id).where(getattr(inner, parent_field) == parent_id,
                                   inner.deleted_at.is_(None))
            .order_by(inner.visit_date.desc(), inner.id.desc()).limit(1)
            .correlate_except(inner).scalar_subquery())


def _survey_columns(s: Any, b: Any) -> list[Any]:
    return [s.id, s.visit_date, s.status, b.regency_code, b.district_code, b.village,
            b.village_code, b.address, b.name.label("business_name"), b.owner_name, b.owner_nik,
            b.nib, b.kbli_section, b.year_started, s.workers_paid, s.workers_unpaid,
            s.workers_women, s.capital, s.turnover_monthly, s.turnover_annual, s.size_class,
            s.size_class_basis, s.digital_channels, s.online_sales_share, s.payment_methods,
            s.capital_access, s.capital_needed, s.needs, s.training_received, s.training_wanted,
            s.pandemic_impact, s.exports, s.export_destinations, s.latitude, s.longitude]


def _coop_columns(c: Any, a: Any) -> list[Any]:
    return [c.id, c.regency_code, c.district_code, c.village, c.village_code, c.name,
            c.legal_entity_no, c.legal_entity_date, c.cooperative_type, c.chair_name,
            c.members_male, c.members_female, c.is_active, a.id.label("audit_id"), a.visit_date,
            a.status, a.rat_held, a.rat_date, a.own_capital, a.external_capital, a.assets,
            a.business_volume, a.surplus, a.loans_outstanding, a.loans_overdue, a.health_method,
            a.health_score, a.health_category]


def _aid_columns(p: Any, v: Any) -> list[Any]:
    return [v.id, p.full_name, p.nik, p.kk_number, p.business_name, p.kbli_section, p.address,
            p.phone, p.village, p.village_code, p.district_code, p.regency_code,
            p.business_location_differs, p.business_address, p.sku_number, p.aid_round,
            v.visit_date, v.status, v.verdict, v.verdict_reason]


def layout(kind: RecordKind, flt: Filters) -> tuple[str, str, tuple[Column, ...], Any]:
    """(title, sheet, columns, query) of the export of a kind's table."""
    name = kind.name
    if name == "umkm_survey":
        q = base_query(kind, flt, *_survey_columns(UmkmSurvey, Business))
        return "Data Survei UMKM", "Survei UMKM", SURVEY_COLUMNS, q.order_by(
            UmkmSurvey.regency_code, UmkmSurvey.visit_date, UmkmSurvey.id)
    if name == "business":
        q = base_query(kind, flt, *_survey_columns(UmkmSurvey, Business)).outerjoin(
            UmkmSurvey, UmkmSurvey.id == _latest(UmkmSurvey, "business_id", Business.id))
        return "Data Usaha dan Survei Terakhir", "Usaha", SURVEY_COLUMNS, q.order_by(
            Business.regency_code, Business.name, Business.id)
    if name == "cooperative_audit":
        q = base_query(kind, flt, *_coop_columns(Cooperative, CooperativeAudit))
        return "Data Audit Koperasi", "Audit Koperasi", COOPERATIVE_COLUMNS, q.order_by(
            CooperativeAudit.regency_code, CooperativeAudit.visit_date, CooperativeAudit.id)
    if name == "cooperative":
        q = base_query(kind, flt, *_coop_columns(Cooperative, CooperativeAudit)).outerjoin(
            CooperativeAudit, and_(CooperativeAudit.id == _latest(
                CooperativeAudit, "cooperative_id", Cooperative.id)))
        return "Daftar Koperasi dan Hasil Audit Terakhir", "Koperasi", COOPERATIVE_COLUMNS, \
            q.order_by(Cooperative.regency_code, Cooperative.name, Cooperative.id)
    if name == "aid_verification":
        q = base_query(kind, flt, *_aid_columns(AidApplicant, AidVerification))
        return "Data Verifikasi Bantuan", "Verifikasi", AID_COLUMNS, q.order_by(
            AidVerification.regency_code, AidVerification.visit_date, AidVerification.id)
    q = base_query(kind, flt, *_aid_columns(AidApplicant, AidVerification)).outerjoin(
        AidVerification, AidVerification.id == _latest(AidVerification, "applicant_id",
                                                       AidApplicant.id))
    return "Daftar Usulan Penerima Bantuan Usaha Mikro", "Usulan Bantuan", AID_COLUMNS, \
        q.order_by(AidApplicant.regency_code, AidApplicant.full_name, AidApplicant.id)


def describe(session: Session, flt: Filters) -> list[tuple[str, str]]:
    """The filters as the file's header lines say them (no NIK: 'NIK dicari')."""
    regions = region_names(session, {flt.regency, flt.district, flt.village})
    lines = [("Kabupaten/kota", regions.get(flt.regency or "", "Seluruh Lampung"))]
    if flt.district:
        lines.append(("Kecamatan", regions.get(flt.district, flt.district)))
    if flt.village:
        lines.append(("Desa/kelurahan", regions.get(flt.village, flt.village)))
    if flt.status:
        lines.append(("Status", flt.status))
    if flt.date_from or flt.date_to:
        lines.append(("Periode", f"{flt.date_from or '…'} s.d. {flt.date_to or '…'}"))
    if flt.q:
        lines.append(("Pencarian", flt.q))
    if flt.nik:
        lines.append(("Pencarian", "NIK tertentu"))
    return lines


def write(session: Session, kind: RecordKind, flt: Filters) -> tuple[bytes, int, str]:
    """The xlsx bytes of the filtered table, its row count and a file name."""
    title, sheet, columns, query = layout(kind, flt)
    meta = ExportMeta(title=title, sheet=sheet, filter_lines=describe(session, flt),
                      exported_at=datetime.now(timezone.utc))
    looked_up = names(session)

    def rows() -> Iterator[list[Any]]:
        result = session.execute(query.execution_options(yield_per=PAGE))
        for part in result.mappings().partitions():
            for row in part:
                yield [column.value(row, looked_up) for column in columns]

    with tempfile.TemporaryDirectory(prefix="tapis-export-") as folder:
        path = Path(folder) / "export.xlsx"
        count = write_xlsx(path, columns, rows(), meta)
        data = path.read_bytes()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    return data, count, f"tapis-{sheet.lower().replace(' ', '-')}-{stamp}.xlsx"
