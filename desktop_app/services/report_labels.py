"""Stored codes as the office reads them in an export or a report.

The tables keep short codes ('mikro', 'cukup_sehat', 'not_eligible'); a
province clerk reads 'Usaha Mikro', 'Cukup Sehat', 'Tidak layak'. The
labels come from the rules that define the codes, so they cannot drift.
"""

from __future__ import annotations

from ..models.rules.health import HealthCategory
from ..models.rules.size_class import SizeClass

VERDICTS = {"eligible": "Layak", "not_eligible": "Tidak layak", "incomplete": "Belum lengkap"}
STATUSES = {"draft": "Draf", "finalised": "Final"}
PANDEMIC = {"none": "Tidak terdampak", "minor": "Terdampak ringan", "severe": "Terdampak berat",
            "closed": "Sempat tutup"}


def size_class_label(code: str | None) -> str:
    """'Usaha Mikro' for 'mikro'; '' when not yet derived."""
    try:
        return SizeClass(code).label_id if code else ""
    except ValueError:
        return code or ""


def health_label(code: str | None) -> str:
    """'Cukup Sehat' for 'cukup_sehat'; '' when not all aspects are scored."""
    try:
        return HealthCategory(code).label_id if code else ""
    except ValueError:
        return code or ""


def verdict_label(code: str | None) -> str:
    return VERDICTS.get(code or "", code or "")


def status_label(code: str | None) -> str:
    return STATUSES.get(code or "", code or "")


def pandemic_label(code: str | None) -> str:
    return PANDEMIC.get(code or "", code or "")


def yes_no(value: object) -> str:
    return "Ya" if value else "Tidak"
