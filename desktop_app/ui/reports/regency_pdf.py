"""The one-page summary of a regency, from services.regency_summary."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ...services.formats import local_time, number, percent
from ...services.office_reports import OfficeReport
from ...services.regency_summary import RegencySummary
from .bar_chart import bar_chart
from .pdf_pages import PageFrame, ensure_gui_app, write_pdf
from .report_html import STYLE, grid, key_values, section

CHART_WIDTH = 2000  # image pixels at 300 dpi: about 17 cm, the body's width
#: QTextDocument sizes an <img> in CSS pixels (96 per inch), whatever the device.
CHART_CSS_WIDTH = CHART_WIDTH * 96 // 300


def write_regency_pdf(summary: RegencySummary, out: Path | str) -> int:
    """Write the regency summary to ``out`` (A4 PDF); returns the page count."""
    ensure_gui_app()
    images = {"sizes": bar_chart(summary.size_classes, width=CHART_WIDTH),
              "health": bar_chart(summary.health_categories, width=CHART_WIDTH),
              "verdicts": bar_chart(summary.verdicts, width=CHART_WIDTH)}
    frame = PageFrame(title=f"Ringkasan {summary.regency_name}",
                      header_right="Ringkasan Kabupaten/Kota",
                      footer_left=f"Dicetak {local_time(summary.generated_at)} dengan Tapis")
    return write_pdf(Path(out), regency_html(summary), frame, images)


def regency_html(s: RegencySummary) -> str:
    filters = " &middot; ".join(f"{escape(k)}: {escape(v)}" for k, v in s.filter_lines[1:])
    counts = (grid() + "<tr><th>Survei UMKM</th><th>Audit koperasi</th>"
              "<th>Verifikasi bantuan</th><th>Adopsi digital</th></tr>"
              f"<tr><td class='c'><span style='font-size:16pt'>{number(s.surveys)}</span></td>"
              f"<td class='c'><span style='font-size:16pt'>{number(s.audits)}</span></td>"
              f"<td class='c'><span style='font-size:16pt'>{number(s.verifications)}</span></td>"
              f"<td class='c'><span style='font-size:16pt'>{_share(s)}</span></td></tr></table>"
              "<p class='note'>Jumlah data kunjungan yang berlaku (tidak dihapus dan tidak "
              "digantikan koreksi). Adopsi digital: porsi usaha yang disurvei yang berjualan "
              "melalui sedikitnya satu kanal digital "
              f"({number(s.digital_adopters)} dari {number(s.surveys)}).</p>")
    return "".join([
        STYLE, f"<h1>Ringkasan {escape(s.regency_name)}</h1>",
        f"<p class='sub'>Kode wilayah {escape(s.regency_code)} &middot; {filters}</p>",
        section("Jumlah kunjungan", counts),
        section("Skala usaha UMKM yang disurvei (PP 7/2021)",
                _chart("sizes", s.size_classes) + _bases(s)),
        section("Predikat kesehatan koperasi yang diaudit", _chart("health", s.health_categories)),
        section("Hasil verifikasi bantuan usaha mikro", _chart("verdicts", s.verdicts)),
        office_html(s.office) if s.office is not None else "",
    ])


def office_html(o: OfficeReport) -> str:
    """The office's questions, on a page of their own: naik kelas per year,
    each digital channel, exports, active cooperatives and the RAT."""
    rows = "".join(f"<tr><td>{n.year}</td><td class='r'>{number(n.pairs)}</td>"
                   f"<td class='r'><b>{number(n.up)}</b></td><td class='r'>{number(n.down)}</td>"
                   f"<td class='r'>{number(n.same)}</td><td class='r'>{number(n.basis_changed)}</td>"
                   "</tr>" for n in o.naik_kelas)
    naik = ("<table class='grid' cellspacing='0' cellpadding='3' width='100%'><tr><th>Tahun</th>"
            "<th>Pasangan survei</th><th>Naik kelas</th><th>Turun kelas</th><th>Tetap</th>"
            f"<th>Dasar berbeda</th></tr>{rows}</table>" if rows else
            "<p class='note'>Belum ada usaha yang disurvei dua kali.</p>")
    naik += ("<p class='note'>Naik kelas: skala usaha survei terbaru lebih tinggi daripada survei "
             "sebelumnya (mikro &lt; kecil &lt; menengah &lt; besar, PP 7/2021 Pasal 35); tahun = "
             "tahun survei terbaru. 'Dasar berbeda': skala kedua survei ditetapkan dari angka yang "
             "berbeda (modal / hasil penjualan), perubahan mungkin karena dasarnya.</p>")
    used = [(name, n) for _, name, n in o.channels if n]
    channels = ("".join(f"<tr><td>{escape(name)}</td><td class='r'>{number(n)}</td>"
                        f"<td class='r'>{percent(n / o.surveyed)}</td></tr>" for name, n in used)
                if o.surveyed else "")
    channel_table = (f"<table class='grid' cellspacing='0' cellpadding='3' width='100%'><tr><th>Kanal"
                     f"</th><th>Usaha</th><th>Porsi</th></tr>{channels}</table>" if channels else
                     "<p class='note'>Belum ada usaha yang berjualan melalui kanal digital.</p>")
    places = ", ".join(f"{escape(p)} ({number(n)})" for p, n in o.destinations[:10]) or "-"
    exports = key_values([("Usaha yang mengekspor", f"{number(o.exporters)} dari {number(o.surveyed)}"),
                          ("Tujuan ekspor", places)])
    coops = key_values([("Koperasi terdaftar", number(o.cooperatives)),
                        ("Koperasi aktif", number(o.active_cooperatives)),
                        ("Koperasi aktif yang melaksanakan RAT tahun buku terakhir",
                         number(o.rat_held))])
    return ("<p style='page-break-before: always'>&nbsp;</p>"
            + section("Usaha naik kelas", naik) + section("Adopsi tiap kanal digital", channel_table)
            + section("Kegiatan ekspor", exports) + section("Koperasi aktif dan RAT", coops))


def _chart(name: str, lines: list[tuple[str, int]]) -> str:
    if not any(count for _, count in lines):
        return "<p class='note'>Belum ada data pada periode ini.</p>"
    return f"<p><img src='{name}' width='{CHART_CSS_WIDTH}'></p>"


def _bases(s: RegencySummary) -> str:
    """Which figure decided the classes: annual sales for an operating business
    (PP 7/2021 Art. 35 (4)-(6)), their estimate from monthly turnover, or capital."""
    if not s.surveys:
        return ""
    lines = "; ".join(f"{escape(label)} {number(count)}" for label, count in s.size_bases if count)
    return f"<p class='note'>Dasar penetapan skala usaha: {lines}.</p>"


def _share(s: RegencySummary) -> str:
    return "-" if s.digital_share is None else percent(s.digital_share)



