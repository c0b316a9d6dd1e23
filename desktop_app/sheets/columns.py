"""The columns of each export: Indonesian header, cell kind, width, value.

A column says what kind of value it holds (text, NIK, whole number, rupiah,
date, decimal) rather than how to format it, so the Excel and the CSV
writer each do the right thing: in Excel a NIK is a text cell and rupiah a
number with a rupiah format; in CSV both are plain digits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .labels import (
    health_label, pandemic_label, size_basis_label, size_class_label, status_label, verdict_label,
    yes_no,
)


class CellKind(Enum):
    TEXT = "text"
    NIK = "nik"  # 16 digits, always text: Excel would round it to 15 significant digits
    INTEGER = "integer"
    MONEY = "money"  # whole rupiah
    DATE = "date"
    DECIMAL = "decimal"  # a score or a coordinate


Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Names:
    """Reference names the columns show instead of codes (a few hundred rows)."""

    regions: dict[str, str]
    kbli: dict[str, str]
    channels: dict[str, str]
    payments: dict[str, str]
    capital_access: dict[str, str]
    cooperative_types: dict[str, str]
    health_methods: dict[str, str]
    rounds: dict[str, tuple[str, int]]  # code -> (name, amount)

    def listed(self, table: dict[str, str], codes: list[str] | None) -> str:
        return ", ".join(table.get(c, c) for c in codes or [])


Value = Callable[[Row, Names], Any]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: CellKind
    width: int
    value: Value


def _get(key: str) -> Value:
    return lambda row, _names: row[key]


def _region(key: str) -> Value:
    return lambda row, names: names.regions.get(row[key] or "", row[key] or "")


def _text(key: str, label: Callable[[Any], str]) -> Value:
    return lambda row, _names: label(row[key])


T, N, I, M, D, F = (CellKind.TEXT, CellKind.NIK, CellKind.INTEGER, CellKind.MONEY, CellKind.DATE,
                    CellKind.DECIMAL)

#: 'No' is filled in by the writer (the row's position), so it is not here.
SURVEY_COLUMNS: tuple[Column, ...] = (
    Column("Tanggal kunjungan", D, 12, _get("visit_date")),
    Column("Status data", T, 8, _text("status", status_label)),
    Column("Kabupaten/kota", T, 22, _region("regency_code")),
    Column("Kecamatan", T, 18, _region("district_code")),
    Column("Desa/kelurahan", T, 18, _get("village")),
    Column("Kode desa/kelurahan", T, 15, lambda r, _n: r["village_code"] or ""),
    Column("Alamat", T, 30, _get("address")),
    Column("Nama usaha", T, 28, _get("business_name")),
    Column("Nama pemilik", T, 24, _get("owner_name")),
    Column("NIK pemilik", N, 19, _get("owner_nik")),
    Column("NIB", T, 15, lambda r, _n: r["nib"] or ""),
    Column("Sektor (KBLI)", T, 26, lambda r, n: n.kbli.get(r["kbli_section"] or "", "")),
    Column("Tahun mulai usaha", I, 8, _get("year_started")),
    Column("Pekerja dibayar", I, 9, _get("workers_paid")),
    Column("Pekerja tidak dibayar", I, 9, _get("workers_unpaid")),
    Column("Pekerja perempuan", I, 9, _get("workers_women")),
    Column("Modal usaha (Rp)", M, 17, _get("capital")),
    Column("Omzet per bulan (Rp)", M, 17, _get("turnover_monthly")),
    Column("Hasil penjualan tahunan (Rp)", M, 19, _get("turnover_annual")),
    Column("Skala usaha", T, 15, _text("size_class", size_class_label)),
    Column("Dasar skala usaha", T, 30, _text("size_class_basis", size_basis_label)),
    Column("Kanal digital", T, 28, lambda r, n: n.listed(n.channels, r["digital_channels"])),
    Column("Porsi penjualan daring (%)", I, 10, _get("online_sales_share")),
    Column("Metode pembayaran", T, 22, lambda r, n: n.listed(n.payments, r["payment_methods"])),
    Column("Akses permodalan", T, 26, lambda r, n: n.listed(n.capital_access, r["capital_access"])),
    Column("Kebutuhan modal (Rp)", M, 17, _get("capital_needed")),
    Column("Kebutuhan usaha", T, 28, _get("needs")),
    Column("Pelatihan yang pernah diterima", T, 28, _get("training_received")),
    Column("Pelatihan yang dibutuhkan", T, 28, _get("training_wanted")),
    Column("Dampak pandemi", T, 16, _text("pandemic_impact", pandemic_label)),
    Column("Melakukan ekspor", T, 8, _text("exports", yes_no)),
    Column("Tujuan ekspor", T, 22, _get("export_destinations")),
    Column("Lintang", F, 11, _get("latitude")),
    Column("Bujur", F, 11, _get("longitude")),
    Column("ID survei", T, 38, _get("id")),
)

COOPERATIVE_COLUMNS: tuple[Column, ...] = (
    Column("Kabupaten/kota", T, 22, _region("regency_code")),
    Column("Kecamatan", T, 18, _region("district_code")),
    Column("Desa/kelurahan", T, 18, _get("village")),
    Column("Kode desa/kelurahan", T, 15, lambda r, _n: r["village_code"] or ""),
    Column("Nama koperasi", T, 30, _get("name")),
    Column("Nomor badan hukum", T, 24, _get("legal_entity_no")),
    Column("Tanggal badan hukum", D, 12, _get("legal_entity_date")),
    Column("Jenis koperasi", T, 24, lambda r, n: n.cooperative_types.get(r["cooperative_type"], "")),
    Column("Nama ketua", T, 22, _get("chair_name")),
    Column("Anggota laki-laki", I, 9, _get("members_male")),
    Column("Anggota perempuan", I, 9, _get("members_female")),
    Column("Status koperasi", T, 11, lambda r, _n: "Aktif" if r["is_active"] else "Tidak aktif"),
    Column("Tanggal audit terakhir", D, 12, _get("visit_date")),
    Column("Status data audit", T, 9, _text("status", status_label)),
    Column("RAT dilaksanakan", T, 9,
           lambda r, _n: "" if r["visit_date"] is None else yes_no(r["rat_held"])),
    Column("Tanggal RAT", D, 12, _get("rat_date")),
    Column("Modal sendiri (Rp)", M, 17, _get("own_capital")),
    Column("Modal luar (Rp)", M, 17, _get("external_capital")),
    Column("Total aset (Rp)", M, 17, _get("assets")),
    Column("Volume usaha (Rp)", M, 17, _get("business_volume")),
    Column("SHU (Rp)", M, 16, _get("surplus")),
    Column("Pinjaman beredar (Rp)", M, 17, _get("loans_outstanding")),
    Column("Pinjaman bermasalah (Rp)", M, 17, _get("loans_overdue")),
    Column("Metode penilaian kesehatan", T, 30,
           lambda r, n: "" if r["audit_id"] is None else n.health_methods.get(r["health_method"],
                                                                              r["health_method"])),
    Column("Skor kesehatan", F, 9, _get("health_score")),
    Column("Predikat kesehatan", T, 22, _text("health_category", health_label)),
    Column("ID koperasi", T, 38, _get("id")),
    Column("ID audit", T, 38, _get("audit_id")),
)

#: The province's proposal layout (the BPUM guideline's: NIK as on the KTP-el,
#: KK number, name, address, business, phone), then where, the round and its
#: amount, the verdict and why.
AID_COLUMNS: tuple[Column, ...] = (
    Column("Nama lengkap", T, 26, _get("full_name")),
    Column("NIK (sesuai KTP-el)", N, 19, _get("nik")),
    Column("Nomor KK", N, 19, lambda r, _n: r["kk_number"] or ""),
    Column("Alamat (sesuai KTP)", T, 30, _get("address")),
    Column("Nama usaha", T, 26, _get("business_name")),
    Column("Sektor (KBLI)", T, 24, lambda r, n: n.kbli.get(r["kbli_section"] or "", "")),
    Column("Nomor telepon", T, 15, _get("phone")),
    Column("Desa/kelurahan usaha", T, 18, _get("village")),
    Column("Kode desa/kelurahan", T, 15, lambda r, _n: r["village_code"] or ""),
    Column("Kecamatan", T, 18, _region("district_code")),
    Column("Kabupaten/kota", T, 22, _region("regency_code")),
    Column("Lokasi usaha berbeda dengan KTP", T, 9, _text("business_location_differs", yes_no)),
    Column("Alamat lokasi usaha", T, 30, _get("business_address")),
    Column("Nomor SKU", T, 20, _get("sku_number")),
    Column("Tahap bantuan", T, 12,
           lambda r, n: n.rounds.get(r["aid_round"], (r["aid_round"], 0))[0]),
    Column("Nilai bantuan (Rp)", M, 14,
           lambda r, n: n.rounds[r["aid_round"]][1] if r["aid_round"] in n.rounds else None),
    Column("Tanggal verifikasi", D, 12, _get("visit_date")),
    Column("Status data", T, 8, _text("status", status_label)),
    Column("Hasil verifikasi", T, 13, _text("verdict", verdict_label)),
    Column("Alasan", T, 48, _get("verdict_reason")),
    Column("ID verifikasi", T, 38, _get("id")),
)
