"""Stored codes as the office reads them in an export or a report.

The tables keep short codes ('mikro', 'cukup_sehat', 'not_eligible'); a
province clerk reads 'Usaha Mikro', 'Cukup Sehat', 'Tidak layak', in
Indonesian. The labels are the models' own (``models.codes``), so they
cannot drift from what the screens show.
"""

from __future__ import annotations

from ..models import PandemicImpact, VisitStatus, code_label
from ..models.rules.eligibility import VerdictKind
from ..models.rules.health import HealthCategory
from ..models.rules.size_class import Basis, SizeClass


def size_class_label(code: str | None) -> str:
    """'Usaha Mikro' for 'mikro'; '' when not yet derived."""
    return code_label(SizeClass, code)


def size_basis_label(code: str | None) -> str:
    """'Hasil penjualan tahunan' for 'annual_sales'; '' when not yet derived."""
    return code_label(Basis, code)


def health_label(code: str | None) -> str:
    """'Cukup Sehat' for 'cukup_sehat'; '' when not all aspects are scored."""
    return code_label(HealthCategory, code)


def verdict_label(code: str | None) -> str:
    return code_label(VerdictKind, code)


def status_label(code: str | None) -> str:
    return code_label(VisitStatus, code)


def pandemic_label(code: str | None) -> str:
    return code_label(PandemicImpact, code)


def yes_no(value: object) -> str:
    return "Ya" if value else "Tidak"
