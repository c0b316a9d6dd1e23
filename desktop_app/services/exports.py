"""The three exports the office hands on: UMKM surveys, the cooperative
register with each cooperative's latest audit, and the aid proposal list.

Rows are read with SQLAlchemy Core (plain tuples, no ORM objects) and
streamed from the cursor a page at a time (``yield_per``) inside one read
transaction, so an export of 100,000 surveys holds one page in memory and
sees one consistent state of the store while officers keep saving.

Only current records count: not deleted, and not replaced by a correction.
The cooperative register and the aid list show each cooperative's or
applicant's latest matching visit (by visit date, then record id). The
register lists every cooperative of the regency, with empty audit columns
where none was audited; once a period or a status is chosen, only the
cooperatives audited within it.

Exported lists carry full NIKs, because the province needs them; nothing
here logs a row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import aliased

from ..models import (
    AidApplicant, AidRound, AidVerification, Business, CapitalAccess, Cooperative,
    CooperativeAudit, CooperativeType, DigitalChannel, HealthMethod, KbliSection, PaymentMethod,
    Region, UmkmSurvey,
)
from ..store import Store
from ..sheets.columns import (
    AID_COLUMNS, COOPERATIVE_COLUMNS, SURVEY_COLUMNS, Column, Names,
)
from ..sheets.writers import ExportMeta, write_csv, write_xlsx
from .report_filter import ReportFilter, check_filter, describe

log = logging.getLogger(__name__)
PAGE = 1000
FORMATS = ("xlsx", "csv")
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    title: str
    sheet: str
    columns: tuple[Column, ...]
    query: Callable[[ReportFilter], Select[Any]]


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    job: str
    format: str


def _current(model: Any) -> Any:
    """Not replaced by a live correction."""
    newer = aliased(model)
    return ~exists().where(newer.supersedes_id == model.id, newer.deleted_at.is_(None))


def visit_filters(model: Any, flt: ReportFilter) -> list[Any]:
    conditions = [model.deleted_at.is_(None), _current(model)]
    if flt.regency_code:
        conditions.append(model.regency_code == flt.regency_code)
    if flt.status:
        conditions.append(model.status == flt.status)
    if flt.date_from:
        conditions.append(model.visit_date >= flt.date_from)
    if flt.date_to:
        conditions.append(model.visit_date <= flt.date_to)
    return conditions


def survey_query(flt: ReportFilter) -> Select[Any]:
    s, b = UmkmSurvey, Business
    return (select(s.id, s.visit_date, s.status, s.regency_code, b.district_code, b.village,
                   b.village_code, b.address, b.name.label("business_name"), b.owner_name,
                   b.owner_nik, b.nib, b.kbli_section, b.year_started, s.workers_paid,
                   s.workers_unpaid, s.workers_women, s.capital, s.turnover_monthly,
                   s.turnover_annual, s.size_class, s.size_class_basis, s.digital_channels, s.online_sales_share, s.payment_methods,
                   s.capital_access, s.capital_needed, s.needs, s.training_received,
                   s.training_wanted, s.pandemic_impact, s.exports, s.export_destinations,
                   s.latitude, s.longitude)
            .join(b, b.id == s.business_id)
            .where(*visit_filters(s, flt))
            .order_by(s.regency_code, s.visit_date, s.id))


def _latest(model: Any, parent_column: Any, parent_id: Any, flt: ReportFilter) -> Any:
    """The id of the parent's latest matching visit (a correlated subquery on
    the (parent, visit_date) index)."""
    inner = aliased(model)
    filters = visit_filters(inner, ReportFilter(None, flt.date_from, flt.date_to, flt.status))
    return (select(inner.id).where(getattr(inner, parent_column.key) == parent_id, *filters)
            .order_by(inner.visit_date.desc(), inner.id.desc()).limit(1)
            .correlate_except(inner).scalar_subquery())


def cooperative_query(flt: ReportFilter) -> Select[Any]:
    c, a = Cooperative, CooperativeAudit
    on = and_(a.id == _latest(a, a.cooperative_id, c.id, flt))
    query = (select(c.id, c.regency_code, c.district_code, c.village, c.village_code, c.name,
                    c.legal_entity_no,
                    c.legal_entity_date, c.cooperative_type, c.chair_name, c.members_male,
                    c.members_female, c.is_active, a.id.label("audit_id"), a.visit_date,
                    a.status, a.rat_held, a.rat_date, a.own_capital, a.external_capital,
                    a.assets, a.business_volume, a.surplus, a.loans_outstanding, a.loans_overdue,
                    a.health_method, a.health_score, a.health_category)
             .join(a, on, isouter=not flt.narrows_visits)
             .where(c.deleted_at.is_(None))
             .order_by(c.regency_code, c.name, c.id))
    if flt.regency_code:
        query = query.where(c.regency_code == flt.regency_code)
    return query


def aid_query(flt: ReportFilter) -> Select[Any]:
    p, v = AidApplicant, AidVerification
    query = (select(v.id, p.full_name, p.nik, p.kk_number, p.business_name, p.kbli_section,
                    p.address, p.phone, p.village, p.village_code, p.district_code,
                    p.regency_code, p.business_location_differs, p.business_address,
                    p.sku_number, p.aid_round, v.visit_date, v.status, v.verdict,
                    v.verdict_reason)
             .join(v, v.id == _latest(v, v.applicant_id, p.id, flt))
             .where(p.deleted_at.is_(None))
             .order_by(p.regency_code, p.full_name, p.id))
    if flt.regency_code:
        query = query.where(p.regency_code == flt.regency_code)
    return query


JOBS: dict[str, Job] = {
    "surveys": Job("surveys", "Data Survei UMKM", "Survei UMKM", SURVEY_COLUMNS, survey_query),
    "cooperatives": Job("cooperatives", "Daftar Koperasi dan Hasil Audit Terakhir",
                        "Koperasi", COOPERATIVE_COLUMNS, cooperative_query),
    "aid": Job("aid", "Daftar Usulan Penerima Bantuan Usaha Mikro", "Usulan Bantuan",
               AID_COLUMNS, aid_query),
}


def job_of(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise ValueError(f"unknown export {name!r}; known: {', '.join(JOBS)}") from None


def load_names(store: Store) -> Names:
    with store.read() as session:
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


def iter_rows(store: Store, job_name: str, flt: ReportFilter = ReportFilter()) -> Iterator[list[Any]]:
    """Each row of an export as the column values (header order, without
    'No'), streamed a page at a time."""
    job = job_of(job_name)
    names = load_names(store)
    with store.read() as session:
        result = session.execute(job.query(flt).execution_options(yield_per=PAGE))
        for page in result.mappings().partitions():
            for row in page:
                yield [column.value(row, names) for column in job.columns]


def export(store: Store, job_name: str, out: Path | str, flt: ReportFilter = ReportFilter(), *,
           fmt: str | None = None, progress: Progress | None = None,
           now: datetime | None = None) -> ExportResult:
    """Write one export to ``out`` (xlsx or csv, from ``fmt`` or the file's
    suffix) and return how many rows it holds. The file appears whole or not
    at all: it is written under a temporary name and renamed."""
    job = job_of(job_name)
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    check_filter(store, flt)
    meta = ExportMeta(title=job.title, sheet=job.sheet, filter_lines=describe(store, flt),
                      exported_at=now or datetime.now(timezone.utc))
    partial = out.with_name(f".{out.name}.partial")
    writer = write_xlsx if fmt == "xlsx" else write_csv
    try:
        count = writer(partial, job.columns, iter_rows(store, job_name, flt), meta, progress)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    log.info("export %s (%s): %d rows to %s", job_name, fmt, count, out.name)
    return ExportResult(out, count, job_name, fmt)
