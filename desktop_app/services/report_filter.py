"""Which records a report or an export covers: regency, period, status.

One filter for the three exports and the regency summary, checked once
before any row is read, so a typo in a date or a regency code is refused
with a message that names the field instead of producing an empty file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..models import Region, VisitStatus, code_label
from ..store import Store
from .errors import ServiceError

STATUSES = tuple(status.value for status in VisitStatus)


class InvalidFilter(ServiceError):
    """A filter value that cannot select anything; ``field`` names it."""

    reason = "invalid_filter"

    def __init__(self, field: str, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en)
        self.field = field


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Visits whose ``visit_date`` lies in [date_from, date_to] (either end
    open when None), in one regency (all when None), of one status (all
    when None)."""

    regency_code: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None

    @property
    def narrows_visits(self) -> bool:
        """True when only some visits count (a period or a status)."""
        return bool(self.date_from or self.date_to or self.status)


def check_filter(store: Store, flt: ReportFilter) -> None:
    """Raise :class:`InvalidFilter` for an unknown regency or status, or a
    period that ends before it starts."""
    if flt.status is not None and flt.status not in STATUSES:
        raise InvalidFilter("status", f"Status '{flt.status}' tidak dikenal; pilih draft atau finalised.",
                            f"Unknown status '{flt.status}'; choose draft or finalised.")
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise InvalidFilter("date_from", "Tanggal awal periode setelah tanggal akhir; tukar atau "
                            "perbaiki tanggalnya.",
                            "The period starts after it ends; swap or correct the dates.")
    if flt.regency_code is not None and regency_name(store, flt.regency_code) is None:
        raise InvalidFilter("regency_code",
                            f"Kode kabupaten/kota '{flt.regency_code}' tidak dikenal; gunakan kode "
                            "Kemendagri seperti 18.71.",
                            f"Unknown regency code '{flt.regency_code}'; use a Kemendagri code "
                            "such as 18.71.")


def regency_name(store: Store, code: str) -> str | None:
    """'Kota Bandar Lampung' for 18.71; None when the code is not a regency."""
    with store.read() as session:
        return session.scalar(select(Region.name).where(Region.code == code,
                                                        Region.level == "regency"))


def describe(store: Store, flt: ReportFilter) -> list[tuple[str, str]]:
    """The filter as (label, value) lines in Indonesian, for the metadata
    of an export or the heading of a report."""
    regency = (f"{flt.regency_code} {regency_name(store, flt.regency_code) or ''}".strip()
               if flt.regency_code else "Semua kabupaten/kota")
    start = flt.date_from.strftime("%d/%m/%Y") if flt.date_from else "awal"
    end = flt.date_to.strftime("%d/%m/%Y") if flt.date_to else "akhir"
    period = "Semua tanggal" if not (flt.date_from or flt.date_to) else f"{start} s.d. {end}"
    status = code_label(VisitStatus, flt.status) or "Semua status"
    return [("Kabupaten/kota", regency), ("Periode kunjungan", period), ("Status data", status)]
