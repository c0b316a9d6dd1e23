"""The exports as the province opens them: real cell types in Excel, every
NIK digit kept, rupiah as numbers, dates as dates, and the filters honoured."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.services import exports
from desktop_app.services.report_filter import InvalidFilter, ReportFilter
from tests.reports.conftest import NIK_RAHMAT, NIK_SITI, NIK_WAYAN, SUKARAME
from tests.services.services_forms import KK_RAHMAT

KOTA = "18.71"


def table(path: Path, sheet: str) -> tuple[list[str], list[list]]:
    book = load_workbook(path)
    rows = [list(r) for r in book[sheet].iter_rows()]
    return [c.value for c in rows[0]], rows[1:]


def by_header(headers: list[str], row: list) -> dict:
    return dict(zip(headers, row))


def test_survey_xlsx_cells_have_real_types(store, known, tmp_path):
    """NIK is a 16-digit text cell, money a number formatted as rupiah, the visit date a date."""
    out = tmp_path / "survei.xlsx"
    result = exports.export(store, "surveys", out, ReportFilter(regency_code=KOTA))
    assert result.rows == 2
    headers, rows = table(out, "Survei UMKM")
    assert headers[:3] == ["No", "Tanggal kunjungan", "Status data"]
    siti = next(by_header(headers, r) for r in rows if r[headers.index("NIK pemilik")].value == NIK_SITI)
    nik = siti["NIK pemilik"]
    assert nik.data_type == "s" and nik.number_format == "@" and len(nik.value) == 16
    capital = siti["Modal usaha (Rp)"]
    assert capital.value == 1_500_000_000 and isinstance(capital.value, int)
    assert capital.data_type == "n" and capital.number_format == '"Rp "#,##0'
    visited = siti["Tanggal kunjungan"]
    assert visited.is_date and visited.value.date() == date(2026, 11, 2)
    assert siti["Skala usaha"].value == "Usaha Kecil"
    assert siti["Dasar skala usaha"].value == "Hasil penjualan tahunan"  # PP 7/2021 Art. 35 (5)
    budi = next(by_header(headers, r) for r in rows if r[headers.index("NIK pemilik")].value == NIK_RAHMAT)
    assert budi["Dasar skala usaha"].value.startswith("Perkiraan hasil penjualan tahunan")
    assert siti["Pekerja dibayar"].value == 2 and siti["Pekerja dibayar"].data_type == "n"
    assert siti["Kanal digital"].value == "Shopee, WhatsApp Business"
    assert siti["Kabupaten/kota"].value == "Kota Bandar Lampung"
    assert siti["No"].value in (1, 2)


def test_xlsx_header_frozen_filtered_and_described(store, known, tmp_path):
    """The header row is frozen with an auto-filter; the second sheet says the filter and time."""
    out = tmp_path / "survei.xlsx"
    exports.export(store, "surveys", out, ReportFilter(KOTA, date(2026, 10, 1), date(2026, 11, 30)),
                   now=datetime.fromisoformat("2026-11-23T03:00:00+00:00"))
    book = load_workbook(out)
    assert book.sheetnames == ["Survei UMKM", "Keterangan"]
    sheet = book["Survei UMKM"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}3"
    headers = [c.value for c in sheet[1]]
    nik = sheet.cell(1, headers.index("NIK pemilik") + 1).column_letter
    assert sheet.column_dimensions[nik].width >= 15  # NIK pemilik fits its 16 digits
    meta = {r[0].value: r[1].value for r in book["Keterangan"].iter_rows()}
    assert meta["Kabupaten/kota"] == "18.71 Kota Bandar Lampung"
    assert meta["Periode kunjungan"] == "01/10/2026 s.d. 30/11/2026"
    assert meta["Waktu ekspor"] == "23/11/2026 10:00 WIB"
    assert meta["Jumlah baris"] == "2"


def test_filters_by_regency_period_and_status(store, known):
    """Each filter narrows the rows; with none, every regency's surveys come."""
    def ids(flt: ReportFilter) -> set[str]:
        return {row[-1] for row in exports.iter_rows(store, "surveys", flt)}

    assert ids(ReportFilter()) == {known.survey_final, known.survey_draft, known.survey_selatan}
    assert ids(ReportFilter(regency_code="18.01")) == {known.survey_selatan}
    assert ids(ReportFilter(KOTA, status="finalised")) == {known.survey_final}
    assert ids(ReportFilter(KOTA, date_to=date(2026, 10, 31))) == {known.survey_draft}
    assert ids(ReportFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 5))) == {
        known.survey_final}


def test_cooperative_register_shows_latest_audit(store, known, tmp_path):
    """One row per cooperative with its latest audit; an unaudited one has empty audit columns."""
    out = tmp_path / "koperasi.xlsx"
    assert exports.export(store, "cooperatives", out, ReportFilter(KOTA)).rows == 2
    headers, rows = table(out, "Koperasi")
    found = {r[headers.index("ID koperasi")].value: by_header(headers, r) for r in rows}
    audited = found[known.coop]
    assert audited["ID audit"].value == known.audit_latest
    assert audited["Skor kesehatan"].value == pytest.approx(85.5)
    assert audited["Predikat kesehatan"].value == "Sehat"
    assert audited["RAT dilaksanakan"].value == "Ya"
    assert audited["Tanggal RAT"].is_date
    assert audited["Total aset (Rp)"].value == 2_750_000_000
    assert audited["Total aset (Rp)"].number_format == '"Rp "#,##0'
    assert audited["Nomor badan hukum"].value == "AHU-0001234.AH.01.26.2019"
    assert audited["Jenis koperasi"].value == "Koperasi Simpan Pinjam"
    assert audited["Metode penilaian kesehatan"].value == "Penilaian Kesehatan KSP/USP (Perdep 06/2016)"
    assert (audited["Desa/kelurahan"].value, audited["Kode desa/kelurahan"].value) == (
        "Sukarame", SUKARAME)
    assert found[known.coop_unaudited]["Metode penilaian kesehatan"].value is None
    assert found[known.coop_unaudited]["ID audit"].value is None
    older = ReportFilter(KOTA, date_to=date(2025, 12, 31))
    assert [r[-1] for r in exports.iter_rows(store, "cooperatives", older)] == [known.audit_old]


def test_aid_list_in_the_province_layout(store, known, tmp_path):
    """The BPUM proposal's data first (name, NIK as on the KTP-el, KK, address,
    business, phone), then where the business is, its certificate, the round
    and its amount, the verdict and reason."""
    out = tmp_path / "usulan.xlsx"
    exports.export(store, "aid", out, ReportFilter(KOTA, status="finalised"))
    headers, rows = table(out, "Usulan Bantuan")
    assert headers[:17] == ["No", "Nama lengkap", "NIK (sesuai KTP-el)", "Nomor KK",
                            "Alamat (sesuai KTP)", "Nama usaha", "Sektor (KBLI)", "Nomor telepon",
                            "Desa/kelurahan usaha", "Kode desa/kelurahan", "Kecamatan",
                            "Kabupaten/kota", "Lokasi usaha berbeda dengan KTP",
                            "Alamat lokasi usaha", "Nomor SKU", "Tahap bantuan",
                            "Nilai bantuan (Rp)"]
    assert "Hasil verifikasi" in headers and "Alasan" in headers
    lines = [by_header(headers, r) for r in rows]
    assert [line["Nama lengkap"].value for line in lines] == ["Ani Lestari", "Rahmat Hidayat"]
    assert [line["No"].value for line in lines] == [1, 2]
    rahmat = lines[1]
    nik = rahmat["NIK (sesuai KTP-el)"]
    assert nik.value == NIK_RAHMAT and nik.data_type == "s"
    kk = rahmat["Nomor KK"]
    assert kk.value == KK_RAHMAT and kk.data_type == "s" and kk.number_format == "@"
    assert rahmat["Hasil verifikasi"].value == "Layak"
    assert lines[0]["Hasil verifikasi"].value == "Tidak layak"
    assert "KUR" in lines[0]["Alasan"].value
    assert rahmat["Alamat (sesuai KTP)"].value == "Jl. Kenanga 4"
    assert rahmat["Kecamatan"].value == "Kedaton"
    assert (rahmat["Lokasi usaha berbeda dengan KTP"].value, rahmat["Alamat lokasi usaha"].value,
            rahmat["Nomor SKU"].value) == ("Ya", "Pasar Tugu Blok B No. 3", "470/88/SKU/2021")
    assert lines[0]["Lokasi usaha berbeda dengan KTP"].value == "Tidak"
    assert rahmat["Tahap bantuan"].value == "BPUM 2021"
    amount = rahmat["Nilai bantuan (Rp)"]
    assert amount.value == 1_200_000 and amount.number_format == '"Rp "#,##0'


def test_csv_is_utf8_bom_semicolon_and_reads_back(store, known, tmp_path):
    """The CSV starts with a BOM, splits on ';' and keeps NIK digits, ISO dates and plain rupiah."""
    out = tmp_path / "survei.csv"
    assert exports.export(store, "surveys", out).rows == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {r["NIK pemilik"] for r in rows} == {NIK_SITI, NIK_RAHMAT, NIK_WAYAN}
    siti = next(r for r in rows if r["NIK pemilik"] == NIK_SITI)
    assert siti["Modal usaha (Rp)"] == "1500000000"
    assert siti["Tanggal kunjungan"] == "2026-11-02"
    assert siti["Lintang"] == "-5,38"  # Indonesian decimal comma
    coop_csv = tmp_path / "koperasi.csv"
    exports.export(store, "cooperatives", coop_csv, fmt="csv")
    with open(coop_csv, encoding="utf-8-sig", newline="") as handle:
        coops = list(csv.DictReader(handle, delimiter=";"))
    assert {r["Skor kesehatan"] for r in coops} == {"85,5", ""}


def test_bad_filter_is_refused_naming_the_field(store, known, tmp_path):
    """An unknown regency, a reversed period or an unknown status writes no file."""
    out = tmp_path / "x.xlsx"
    for flt, field in ((ReportFilter(regency_code="18.99"), "regency_code"),
                       (ReportFilter(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)), "date_from"),
                       (ReportFilter(status="approved"), "status")):
        with pytest.raises(InvalidFilter) as refused:
            exports.export(store, "aid", out, flt)
        assert refused.value.field == field and refused.value.message_id and refused.value.message_en
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_corrected_and_deleted_records_are_not_exported(store, known, actor):
    """A survey replaced by a correction shows only as its correction."""
    from desktop_app.services import records

    fixed = records.supersede(store, actor, "umkm_survey", known.survey_final, {"workers_paid": 3},
                              today=date(2026, 11, 23)).record
    ids = {row[-1] for row in exports.iter_rows(store, "surveys", ReportFilter(KOTA))}
    assert ids == {fixed["id"], known.survey_draft}


def test_large_export_streams(store, actor, tmp_path, monkeypatch):
    """2,000 demo records export in pages; the row count matches the store."""
    from desktop_app.services import demo, listing

    monkeypatch.setattr(exports, "PAGE", 64)  # several pages
    demo.fill(store, actor, 2000, seed=5, today=date(2026, 11, 23))
    expected = listing.list_records(store, "umkm_survey", listing.ListFilter(current_only=True)).total
    result = exports.export(store, "surveys", tmp_path / "all.xlsx")
    assert result.rows == expected > 0
    book = load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert sum(1 for _ in book["Survei UMKM"].iter_rows()) == expected + 1
