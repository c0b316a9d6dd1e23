"""The PDF of one cooperative audit, from services.audit_report.

Laid out as the office files it: title, identity, RAT, finances, the health
assessment -- the method and its regulation, aspect by aspect with its
weights and, for the 2020 worksheet, indicator by indicator with its
compliance ratio and score -- the category and its bands, findings and
recommendations, photo, and the officer's signature block.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QImage

from ...services.audit_report import AuditReport
from ...services.formats import local_time, long_date, number, rupiah
from .pdf_pages import PageFrame, write_pdf
from .report_html import STYLE, grid, key_values, section, spacer

PHOTO_WIDTH = 340  # CSS pixels (96 per inch, as QTextDocument sizes images): 9 cm


def write_audit_pdf(report: AuditReport, out: Path | str) -> int:
    """Write the audit report to ``out`` (A4 PDF); returns the page count."""
    images = {}
    photo = QImage(str(report.photo_path)) if report.photo_path else QImage()
    if not photo.isNull():
        images["photo"] = photo
    frame = PageFrame(title=f"Laporan Audit Koperasi - {report.cooperative_name}",
                      header_right="Laporan Hasil Audit Koperasi",
                      footer_left=f"Dicetak {local_time(report.generated_at)} dengan Tapis "
                                  f"- ID audit {report.record_id}")
    return write_pdf(Path(out), audit_html(report, has_photo="photo" in images), frame, images)


def audit_html(report: AuditReport, *, has_photo: bool) -> str:
    parts = [STYLE, f"<h1>Laporan Hasil Audit Koperasi</h1>"
             f"<p class='sub'>{escape(report.cooperative_name)} &middot; kunjungan "
             f"{long_date(report.visit_date)} &middot; status data: {escape(report.status)}</p>",
             section("A. Identitas Koperasi", _identity(report)),
             section("B. Rapat Anggota Tahunan (RAT) dan Keuangan", _rat_and_finance(report)),
             section("C. Penilaian Kesehatan", _health(report)),
             section("D. Temuan", _listed(report.findings, "Tidak ada temuan yang dicatat.")),
             section("E. Rekomendasi", _listed(report.recommendations,
                                              "Tidak ada rekomendasi yang dicatat."))]
    if has_photo:
        caption = escape(report.photo_caption) or "Foto kunjungan"
        parts.append(section("F. Dokumentasi", f"<p><img src='photo' width='{PHOTO_WIDTH}'></p>"
                                               f"<p class='note'>{caption}</p>"))
    parts.append(_signature(report))
    return "".join(parts)


def _identity(r: AuditReport) -> str:
    legal = escape(r.legal_entity_no) or "-"
    if r.legal_entity_date:
        legal += f" tanggal {long_date(r.legal_entity_date)}"
    return key_values([
        ("Nama koperasi", escape(r.cooperative_name)),
        ("Nomor badan hukum", legal),
        ("Jenis koperasi", escape(r.cooperative_type)),
        ("Alamat", escape(r.address) or "-"),
        ("Desa/kelurahan", escape(r.village) or "-"),
        ("Kecamatan", escape(r.district) or "-"),
        ("Kabupaten/kota", escape(r.regency)),
        ("Ketua", escape(r.chair_name) or "-"),
        ("Jumlah anggota", f"{number(r.members_male + r.members_female)} orang "
                           f"(laki-laki {number(r.members_male)}, perempuan {number(r.members_female)})"),
        ("Status koperasi", "Aktif" if r.is_active else "Tidak aktif"),
    ])


def _rat_and_finance(r: AuditReport) -> str:
    rat = (f"Dilaksanakan pada {long_date(r.rat_date)}" if r.rat_held and r.rat_date
           else "Dilaksanakan" if r.rat_held else "Tidak dilaksanakan untuk tahun buku terakhir")
    money = "".join(f"<tr><td>{escape(label)}</td><td class='r'>"
                    f"{rupiah(value) if value is not None else '-'}</td></tr>"
                    for label, value in r.finances)
    if r.equity_to_assets is not None:
        money += ("<tr><td>Rasio modal sendiri terhadap total aset</td><td class='r'>"
                  f"{number(float(r.equity_to_assets), 2)} %</td></tr>")
    return (key_values([("RAT tahun buku terakhir", rat)]) +
            grid("75%") + "<tr><th>Pos keuangan</th><th width='40%'>Nilai</th>"
            f"</tr>{money}</table>")


def _health(r: AuditReport) -> str:
    method = r.method
    head = (f"<p>Metode: <b>{escape(method.name_id)}</b>"
            + (f" ({escape(method.regulation)})" if method.regulation else "") + "</p>")
    per_indicator = method.scoring == "indicator_ratio"
    score_head = "Skor (1-4)" if per_indicator else "Skor"
    rows = "".join(
        f"<tr><td class='c'>{i}</td><td>{escape(a.label_id)}</td><td class='r'>{_score(a.weight, 0)}"
        f"{' %' if per_indicator else ''}</td><td class='r'>{_score(a.score)}</td></tr>"
        for i, a in enumerate(r.aspects, start=1))
    total = _score(r.health_score)
    last = ("<tr class='total'><td></td><td><b>Skor akhir (rata-rata tertimbang)</b></td>"
            f"<td class='r'><b>100 %</b></td><td class='r'><b>{total}</b></td></tr>"
            if per_indicator else
            f"<tr class='total'><td></td><td><b>Jumlah</b></td><td class='r'><b>"
            f"{_score(r.weights_total, 0)}</b></td><td class='r'><b>{total}</b></td></tr>")
    table = (grid() + "<tr><th width='8%'>No</th><th>Aspek</th>"
             f"<th width='16%'>Bobot</th><th width='16%'>{score_head}</th></tr>" + rows + last + "</table>")
    if per_indicator:
        table += _indicators(r)
    top = _score(method.score_max, 0)
    if r.health_category:
        verdict = (f"<p class='category'>Predikat kesehatan: <b>{escape(r.health_category)}</b> "
                   f"(skor {total} dari {top})</p>")
    else:
        verdict = ("<p class='category'>Predikat kesehatan: belum dapat ditetapkan (belum semua "
                   "aspek atau indikator dinilai).</p>")
    bands = f"<p class='note'>Predikat menurut metode ini: {escape(method.bands_text)}."
    if not method.confirmed:
        bands += (" Bobot dan batas predikat adalah data referensi yang ditetapkan Dinas Koperasi "
                  "dan UKM Provinsi Lampung; belum dikonfirmasi dari teks peraturan.")
    return head + table + verdict + bands + "</p>"


def _indicators(r: AuditReport) -> str:
    """The 2020 worksheet's indicators: ratio of compliance and the 1-4 score."""
    rows = "".join(
        f"<tr><td>{escape(i.aspect_id)}</td><td>{escape(i.label_id)}</td>"
        f"<td class='r'>{_score(i.ratio)}{' %' if i.ratio is not None else ''}</td>"
        f"<td class='r'>{i.score if i.score is not None else '-'}</td></tr>" for i in r.indicators)
    return ("<p></p>" + grid() + "<tr>"
            "<th width='24%'>Aspek</th><th>Indikator</th><th width='16%'>Rasio kepatuhan</th>"
            f"<th width='12%'>Skor</th></tr>{rows}</table>"
            "<p class='note'>Skor indikator dari rasio kepatuhan: di atas 75 s.d. 100 % skor 4, "
            "di atas 50 s.d. 75 % skor 3, di atas 25 s.d. 50 % skor 2, 0 s.d. 25 % skor 1 "
            "(Juknis Deputi Bidang Perkoperasian No. 15 Tahun 2021).</p>")


def _score(value: object, decimals: int = 2) -> str:
    return "-" if value is None else number(float(value), decimals)  # type: ignore[arg-type]


def _listed(lines: list[str], empty: str) -> str:
    if not lines:
        return f"<p class='note'>{empty}</p>"
    return "<ol>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ol>"


def _signature(r: AuditReport) -> str:
    place = escape(r.regency)
    # clear of the recommendations above it: room for the stamp of the date and place
    return (spacer(12) + "<table width='100%' class='sign'><tr><td width='55%'></td><td>"
            f"{place}, {long_date(r.visit_date)}<br>Petugas pemeriksa,<br><br><br><br>"
            f"<b>{escape(r.officer_name)}</b></td></tr></table>")
