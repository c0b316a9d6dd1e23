"""Answers that contradict each other, and answers that are possible but
unlikely, in a survey or an audit (no Qt, no store: plain values in,
problems out).

An *impossible* answer is an error: the record cannot say it ("Tidak ada"
access to capital ticked beside KUR; no exports, yet a destination
country). An *implausible* one is a warning: it may be true, so saving is
allowed, and the form asks the officer to confirm it (capital and turnover
both 0; annual sales below one month's turnover; an audit with no assets;
a surplus larger than the business volume). Each message names the fields,
says what is odd and what to check, in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problems import Problem

#: The 'no access to capital' code of the capital-access list.
NO_CAPITAL_ACCESS = "none"


def _warning(field: str, rule: str, text_id: str, text_en: str) -> Problem:
    return Problem(field, rule, text_id, text_en, severity="warning")


def _error(field: str, rule: str, text_id: str, text_en: str) -> Problem:
    return Problem(field, rule, text_id, text_en)


def survey_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Contradictions (errors) and unlikely figures (warnings) of an UMKM survey."""
    found: list[Problem] = []
    capital, monthly, annual = (values.get("capital"), values.get("turnover_monthly"),
                                values.get("turnover_annual"))
    figures = [v for v in (capital, monthly, annual) if v is not None]
    if figures and all(v == 0 for v in figures):
        found.append(_warning(
            "capital", "plausible.all_zero",
            "Modal dan omzet semuanya 0, sehingga skala usaha tidak berarti. Usaha yang berjalan "
            "biasanya punya modal atau omzet: periksa angkanya, atau kosongkan bila belum diketahui.",
            "Capital and turnover are all 0, so the size class means nothing. A running business "
            "usually has capital or turnover: check the figures, or leave them empty if unknown."))
    if monthly and annual is not None and annual < monthly:
        found.append(_warning(
            "turnover_annual", "plausible.annual_below_month",
            "Hasil penjualan setahun lebih kecil dari omzet satu bulan. Periksa apakah angka "
            "tahunan dan bulanan tertukar atau kurang digitnya.",
            "Annual sales are lower than one month's turnover. Check whether the annual and "
            "monthly figures are swapped or short of a digit."))
    access = set(values.get("capital_access") or [])
    if NO_CAPITAL_ACCESS in access and len(access) > 1:
        found.append(_error(
            "capital_access", "contradiction.no_access",
            "\"Tidak Ada\" dicentang bersama sumber modal lain. Hapus centang \"Tidak Ada\" atau "
            "sumber modal lainnya.",
            "\"None\" is ticked together with a source of capital. Untick \"None\" or the other "
            "sources."))
    if values.get("exports") is False and (values.get("export_destinations") or "").strip():
        found.append(_error(
            "export_destinations", "contradiction.no_exports",
            "Ekspor dijawab \"Tidak\", tetapi negara tujuan ekspor diisi. Pilih \"Ya\" pada Ekspor "
            "atau kosongkan negara tujuan.",
            "Exports is answered \"No\", yet a destination country is filled in. Answer \"Yes\" "
            "to Exports or empty the destinations."))
    paid, unpaid, women = (values.get("workers_paid"), values.get("workers_unpaid"),
                           values.get("workers_women"))
    workers = (paid or 0) + (unpaid or 0)
    if women is not None and women > workers:
        found.append(_error(
            "workers_women", "amount.exceeds",
            f"Pekerja perempuan ({women}) tidak boleh melebihi jumlah pekerja dibayar dan tidak "
            f"dibayar ({workers}). Periksa angkanya.",
            f"Women workers ({women}) cannot exceed the paid and unpaid workers together "
            f"({workers}). Check the figures."))
    return found


def audit_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Unlikely figures (warnings) of a cooperative audit."""
    found: list[Problem] = []
    if values.get("assets") == 0:
        found.append(_warning(
            "assets", "plausible.no_assets",
            "Total aset 0: koperasi yang berjalan hampir selalu punya aset (kas, piutang, "
            "peralatan). Periksa angka dari neraca, atau kosongkan bila belum diketahui.",
            "Total assets are 0: a working cooperative almost always has assets (cash, loans "
            "receivable, equipment). Check the balance sheet, or leave it empty if unknown."))
    surplus, volume = values.get("surplus"), values.get("business_volume")
    if surplus is not None and volume is not None and surplus > volume:
        found.append(_warning(
            "surplus", "plausible.surplus_above_volume",
            "SHU lebih besar dari volume usaha. Periksa apakah kedua angka tertukar atau salah "
            "digit.",
            "The surplus (SHU) is larger than the business volume. Check whether the two are "
            "swapped or mistyped."))
    return found
