"""A regency's signed summary page of a round's proposal, from
services.proposal: the figures, the workbook it vouches for (name and
SHA-256) and the signature block of the regency office's head and of the
province's verifier."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ...services.formats import local_time, number, rupiah
from ...services.proposal import RegencyPage
from .pdf_pages import PageFrame, write_pdf
from .report_html import STYLE, section


def write_proposal_pdf(page: RegencyPage, out: Path | str) -> int:
    frame = PageFrame(title=f"Usulan {page.round_name} {page.regency_name}",
                      header_right="Ringkasan Usulan Bantuan",
                      footer_left=f"Dicetak {local_time(page.generated_at)} dengan Tapis")
    return write_pdf(Path(out), proposal_html(page), frame)


def proposal_html(p: RegencyPage) -> str:
    quota = "tanpa kuota" if p.quota is None else number(p.quota)
    figures = ("<table class='grid' cellspacing='0' cellpadding='4' width='100%'>"
               f"<tr><td>Jumlah penerima yang diusulkan</td><td class='r'><b>{number(p.recipients)}"
               "</b> orang</td></tr>"
               f"<tr><td>Nilai bantuan per penerima</td><td class='r'>{rupiah(p.amount)}</td></tr>"
               f"<tr><td>Jumlah nilai bantuan</td><td class='r'><b>{rupiah(p.total)}</b></td></tr>"
               f"<tr><td>Kuota kabupaten/kota</td><td class='r'>{quota}</td></tr></table>")
    stages = "".join(f"<tr><td>{escape(label)}</td><td class='r'>{number(n)}</td></tr>"
                     for label, n in p.stages.items())
    stage_table = ("<table class='grid' cellspacing='0' cellpadding='4' width='100%'>"
                   f"{stages}</table><p class='note'>Putusan verifikasi kabupaten/kota ini pada "
                   "tahap ini menurut tingkat persetujuan; yang diterima tetapi tidak layak: "
                   f"{number(p.not_eligible_accepted)} (tidak diusulkan).</p>")
    workbook = (f"<p>Berkas usulan: <b>{escape(p.workbook_name)}</b><br>"
                f"SHA-256: <span style='font-family:monospace'>{p.workbook_sha256[:32]}<br>"
                f"{p.workbook_sha256[32:]}</span></p><p class='note'>Halaman ini berlaku untuk "
                "berkas dengan sidik SHA-256 di atas; berkas yang diubah sesudahnya memiliki "
                "sidik lain.</p>")
    signatures = ("<table width='100%' cellpadding='4'><tr>"
                  f"<td width='50%'>Mengetahui,<br>Kepala Dinas Koperasi dan UKM<br>"
                  f"{escape(p.regency_name)}<br><br><br><br><br>"
                  "(..............................................)<br>NIP.</td>"
                  "<td width='50%'>Diverifikasi,<br>Dinas Koperasi dan UKM<br>Provinsi Lampung"
                  "<br><br><br><br><br>(..............................................)<br>NIP."
                  "</td></tr></table>")
    return "".join([
        STYLE, f"<h1>Usulan Penerima {escape(p.round_name)}</h1>",
        f"<p class='sub'>{escape(p.regency_name)} (kode {escape(p.regency_code)}) &middot; "
        f"{escape(p.regulation)}</p>",
        section("Ringkasan usulan", figures),
        section("Putusan verifikasi menurut tahap persetujuan", stage_table),
        section("Berkas", workbook),
        section("Pengesahan", signatures),
    ])
