"""The printed reports read back from the PDF: what the cooperative is left
with and what the regency office files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from desktop_app.services import photos, records
from desktop_app.services.audit_report import audit_report
from desktop_app.services.errors import NotFound
from desktop_app.services.regency_summary import regency_summary
from desktop_app.services.report_filter import ReportFilter
from desktop_app.ui.reports import write_audit_pdf, write_regency_pdf
from tests.reports.conftest import TODAY
from tests.services.services_forms import all_aspects, audit_form
from tests.support.reference import PERDEP_2016, PERMENKOP_2020, shipped_methods

METHODS = shipped_methods()

NOW = datetime.fromisoformat("2026-11-23T03:00:00+00:00")


def pages_text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_audit_report_has_identity_aspects_category_and_page_numbers(store, known, tmp_path):
    """Name, legal entity, RAT, every aspect with its weight, the category, findings, officer, page x of n."""
    out = tmp_path / "audit.pdf"
    pages = write_audit_pdf(audit_report(store, known.audit_latest, now=NOW), out)
    text = pages_text(out)
    assert len(text) == pages == 1
    page = text[0]
    for expected in ("DINAS KOPERASI DAN UKM PROVINSI LAMPUNG", "Laporan Hasil Audit Koperasi",
                     "KSP Sejahtera Bersama", "AHU-0001234.AH.01.26.2019", "Koperasi Simpan Pinjam",
                     "Jl. Pramuka No. 12", "Sukarame", "Kota Bandar Lampung",
                     "Dilaksanakan pada 14 Maret 2026", "Rp 2.750.000.000",
                     "Predikat kesehatan: Sehat", "85,50", "Buku kas harian belum ditutup setiap hari.",
                     "Buat notulen rapat pengurus.", "20 November 2026", "Halaman 1 dari 1"):
        assert expected in page, expected
    for aspect in METHODS[PERDEP_2016].aspects:
        assert aspect.label_id in page
    assert "Permodalan 15 15,00" in page and "Jumlah 100 85,50" in page
    assert "Metode: Penilaian Kesehatan KSP/USP (Perdep 06/2016)" in page
    assert "No. 06/Per/Dep.6/IV/2016" in page
    assert "80 s.d. 100 Sehat; 66 s.d. <80 Cukup Sehat" in page
    assert "belum dikonfirmasi dari teks peraturan" in page


def test_audit_report_by_the_2020_worksheet(store, known, actor, tmp_path):
    """The 2020 method: its four aspects with their weights and 1-4 scores,
    each indicator with its compliance ratio and score, the final score out
    of 4 and its category."""
    indicators = METHODS[PERMENKOP_2020].indicators
    entries = {i.key: 90 for i in indicators} | {"kelembagaan": 60, "kpmr": 20}
    draft = records.save(store, actor, "cooperative_audit", audit_form(
        known.coop, health_method=PERMENKOP_2020, aspect_scores=entries), today=TODAY).record
    report = audit_report(store, draft["id"], now=NOW)
    assert report.method.code == PERMENKOP_2020 and len(report.indicators) == len(indicators)
    out = tmp_path / "audit-2020.pdf"
    write_audit_pdf(report, out)
    text = " ".join(pages_text(out))
    assert "Permenkop UKM No. 9 Tahun 2020" in text and "No. 15 Tahun 2021" in text
    for aspect in ("Tata Kelola 30 %", "Profil Risiko 15 %", "Kinerja Keuangan", "Permodalan"):
        assert aspect in text, aspect
    assert "Tata Kelola Kelembagaan 60,00 % 3" in text
    assert "Profil Risiko Kualitas Penerapan Manajemen Risiko 20,00 % 1" in text
    result = METHODS[PERMENKOP_2020].assess(entries)
    assert "dari 4)" in text and result.category.label_id in text
    assert "3,25 s.d. 4 Sehat" in text


def test_long_audit_with_photo_numbers_every_page(store, known, actor, tmp_path):
    """A long report runs onto a second page; each says 'Halaman i dari 2'; the photo is embedded."""
    image = tmp_path / "kantor.jpg"
    Image.new("RGB", (1600, 1200), (120, 160, 90)).save(image)
    findings = "\n".join(f"Temuan {i}: simpanan anggota belum dibukukan tepat waktu." for i in range(14))
    draft = records.save(store, actor, "cooperative_audit", audit_form(
        known.coop, findings=findings, aspect_scores=all_aspects(manajemen=3, likuiditas=4)),
        today=TODAY).record
    photos.attach_photo(store, actor, "cooperative_audit", draft["id"], image,
                        caption="Kantor koperasi tampak depan")
    out = tmp_path / "audit.pdf"
    assert write_audit_pdf(audit_report(store, draft["id"], now=NOW), out) == 2
    text = pages_text(out)
    assert [("Halaman 1 dari 2" in text[0]), ("Halaman 2 dari 2" in text[1])] == [True, True]
    assert "Cukup Sehat" in text[0] and "Kantor koperasi tampak depan" in " ".join(text)
    assert sum(len(page.images) for page in PdfReader(out).pages) == 1


def test_unscored_audit_says_category_not_yet_set(store, known, actor, tmp_path):
    """An audit without all seven aspects prints '-' scores and no category."""
    draft = records.save(store, actor, "cooperative_audit", audit_form(known.coop_unaudited),
                         today=TODAY).record
    report = audit_report(store, draft["id"], now=NOW)
    assert report.health_category == "" and all(a.score is None for a in report.aspects)
    out = tmp_path / "audit.pdf"
    write_audit_pdf(report, out)
    assert "belum dapat ditetapkan" in pages_text(out)[0]


def test_unknown_audit_is_not_found(store, known):
    with pytest.raises(NotFound):
        audit_report(store, "01900000-0000-7000-8000-000000000000")


def test_regency_summary_counts_and_pdf(store, known, tmp_path):
    """Counts per job, size classes, categories, verdicts and digital share on the first
    page; the office's questions (naik kelas, channels, exports, RAT) on the second."""
    summary = regency_summary(store, "18.71", now=NOW)
    assert (summary.surveys, summary.audits, summary.verifications) == (2, 2, 2)
    assert dict(summary.size_classes)["Usaha Kecil"] == 1
    assert dict(summary.size_classes)["Usaha Mikro"] == 1
    assert dict(summary.size_bases) == {"Hasil penjualan tahunan": 1, "Perkiraan hasil penjualan "
                                        "tahunan (omzet per bulan × 12)": 1,
                                        "Modal usaha (di luar tanah dan bangunan)": 0}
    assert dict(summary.health_categories)["Sehat"] == 2
    assert dict(summary.verdicts) == {"Layak": 1, "Tidak layak": 1, "Belum lengkap": 0}
    assert summary.digital_share == 1.0
    out = tmp_path / "ringkasan.pdf"
    assert write_regency_pdf(summary, out) == 2
    page = pages_text(out)[0]
    for expected in ("Ringkasan Kota Bandar Lampung", "Survei UMKM",
                     "Audit koperasi", "Verifikasi bantuan", "100,0 %", "(2 dari 2)",
                     "Dasar penetapan skala usaha: Hasil penjualan tahunan 1;",
                     "Halaman 1 dari 2"):
        assert expected in page, expected
    assert "2 2 2 100,0 %" in page
    second = pages_text(out)[1]
    for expected in ("Usaha naik kelas", "Adopsi tiap kanal digital", "Kegiatan ekspor",
                     "Koperasi aktif dan RAT", "Halaman 2 dari 2"):
        assert expected in second, expected


def test_regency_summary_honours_period_and_status(store, known):
    """Only finalised visits in the period count."""
    flt = ReportFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), status="finalised")
    summary = regency_summary(store, "18.71", flt)
    assert (summary.surveys, summary.audits, summary.verifications) == (1, 1, 2)
    assert regency_summary(store, "18.01").surveys == 1
