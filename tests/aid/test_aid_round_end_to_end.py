"""A round from the lists to the proposal file, with two regencies: Kota
Bandar Lampung works online (its list imported at the server, verified on
the officer's laptop, approved on the office's), Tanggamus has no
connection (its list imported on the office laptop, verified and approved
there, carried to the province as a sync bundle on a stick). The province
accepts at the server and writes the proposal from its laptop: one
workbook in the proposal layout and a signed summary page per regency."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import main as laptop_main
from desktop_app.services import applicant_import, approvals, records
from desktop_app.services.errors import ValidationFailed
from desktop_app.sync import relay
from desktop_app.sync.bundle_export import export_bundle
from server.__main__ import main as server_main
from tests.aid.lists import nik, row, write_csv, write_xlsx
from tests.aid.test_aid_approvals import verify_all
from tests.bundle.conftest import signed_in
from tests.support.laptops import Laptop

ROUND = "bpum-2022"
DAY = date(2022, 3, 1)


@pytest.fixture(autouse=True)
def _blob_dir(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TAPIS_BLOB_DIR", str(tmp_path / "server-blobs"))


def test_a_round_from_lists_to_the_proposal_with_an_offline_regency(sync_server, tmp_path, capsys):
    db = sync_server.db_url
    assert server_main(["rounds", "add", ROUND, "--db", db, "--program", "BPUM", "--year", "2022",
                        "--amount", "1200000", "--checks",
                        "valid_nik,micro_business,not_civil_servant,no_bank_credit,"
                        "not_prior_recipient", "--excluded-credit", "kur",
                        "--prior-recipients-allowed", "yes", "--regulation", "Contoh 2022",
                        "--opens", "2022-01-01", "--closes", "2022-12-31",
                        "--quota", "18.71=2", "--quota", "18.06=5"]) == 0
    # Tanggamus's office signs in once while it has a signal: keys, reference data, the round
    tgm = signed_in(tmp_path / "tgm-office", sync_server.url, "supervisor.tanggamus")
    kota_officer = Laptop(tmp_path / "kota-officer", sync_server.url, "petugas.bandarlampung")
    kota_office = Laptop(tmp_path / "kota-office", sync_server.url, "supervisor.bandarlampung")
    province = signed_in(tmp_path / "province", sync_server.url, "admin.provinsi")
    try:
        tgm.sync()
        # --- Kota Bandar Lampung, online ------------------------------------------------
        kota_rows = [row("18.71", n) for n in range(1, 5)]
        kota_rows.append(row("18.71", 5, NIK="1871"))  # refused: the rest goes in whole
        path = write_csv(tmp_path / "kota.csv", kota_rows)
        assert server_main(["applicants", "import", ROUND, str(path), "--regency", "18.71",
                            "--db", db, "--by", "supervisor.bandarlampung", "--today",
                            DAY.isoformat(), "--skip-refused"]) == 0
        assert "imported 4 applicants" in capsys.readouterr().out
        kota_officer.sync()
        kota = verify_all(kota_officer, {1: "eligible", 2: "eligible", 3: "eligible",
                                         4: "not_eligible"})
        kota_officer.sync()
        kota_office.sync()
        for name in ("Pemohon 1", "Pemohon 2", "Pemohon 4"):
            approvals.decide(kota_office.store, kota_office.actor, "supervisor", kota[name],
                             "regency", "approve")
        with pytest.raises(ValidationFailed) as caught:  # the quota of 2 eligible is used up
            approvals.decide(kota_office.store, kota_office.actor, "supervisor", kota["Pemohon 3"],
                             "regency", "approve")
        assert caught.value.problems[0].rule == "approval.quota"
        approvals.decide(kota_office.store, kota_office.actor, "supervisor", kota["Pemohon 3"],
                         "regency", "return", "Kuota penuh; usulkan pada tahap berikut.")
        assert kota_office.sync().parked == []

        # --- Tanggamus, offline ------------------------------------------------------------
        tgm_rows = [row("18.06", n) for n in range(1, 4)]
        tgm_rows.append(row("18.06", 4, NIK=nik("18.71", 1)))  # Kota's applicant: the server flags it
        listed = applicant_import.import_list(tgm.store, tgm.actor,
                                              write_xlsx(tmp_path / "tgm.xlsx", tgm_rows),
                                              ROUND, "18.06", today=DAY)
        assert listed.refused_rows == 0 and len(listed.imported) == 4
        again = applicant_import.import_list(tgm.store, tgm.actor, tmp_path / "tgm.xlsx", ROUND,
                                             "18.06", today=DAY)
        assert again.refused_rows == 4 and again.imported == []  # each NIK already in the round
        tgm_made = verify_all(tgm, {1: "eligible", 2: "eligible", 3: "eligible", 4: "eligible"})
        for name in tgm_made:
            approvals.decide(tgm.store, tgm.actor, "supervisor", tgm_made[name], "regency",
                             "approve")
        stick = tmp_path / "stick" / "tanggamus.tapisbundle"
        export_bundle(tgm.store, stick)
        relay.import_bundle(province.store, stick)  # at the province's desk
        province.sync()  # forwards the bundle, then pulls every regency
        assert [e.state for e in relay.list_relayed(province.store)] == [relay.FORWARDED]
        assert server_main(["duplicates", "list", "--db", db]) == 0
        assert f"{ROUND} NIK 1871********0001 x2 (18.06, 18.71)" in capsys.readouterr().out

        # --- the province accepts ---------------------------------------------------------
        assert server_main(["approvals", "list", "--db", db, "--round", ROUND, "--level",
                            "province"]) == 0
        assert "7 verdicts" in capsys.readouterr().out  # Kota 3, Tanggamus 4
        duplicate = tgm_made["Pemohon 4"]
        accept = [kota["Pemohon 1"], kota["Pemohon 2"], kota["Pemohon 4"],
                  *(tgm_made[n] for n in ("Pemohon 1", "Pemohon 2", "Pemohon 3"))]
        assert server_main(["approvals", "accept", *accept, "--db", db,
                            "--by", "admin.provinsi"]) == 0
        assert server_main(["approvals", "return", duplicate, "--level", "province", "--note",
                            "NIK sudah diusulkan Kota Bandar Lampung", "--db", db,
                            "--by", "admin.provinsi"]) == 0
        province.sync()

        # --- the proposal -----------------------------------------------------------------
        out = tmp_path / "usulan"
        assert laptop_main(["--data-dir", str(province.store.data_dir), "proposal", ROUND,
                            "--out", str(out)]) == 0
        sheet = load_workbook(out / f"usulan-{ROUND}.xlsx").worksheets[0]
        table = [[c.value for c in r] for r in sheet.iter_rows()]
        header = table[0]
        assert header[:8] == ["No", "NIK (sesuai KTP-el)", "Nomor KK", "Nama lengkap",
                              "Alamat (sesuai KTP)", "Nama usaha", "Sektor (KBLI)", "Nomor telepon"]
        lines = table[1:]
        assert [(r[header.index("Kabupaten/kota")], r[3]) for r in lines] == [
            ("Tanggamus", "Pemohon 1"), ("Tanggamus", "Pemohon 2"), ("Tanggamus", "Pemohon 3"),
            ("Kota Bandar Lampung", "Pemohon 1"), ("Kota Bandar Lampung", "Pemohon 2")]
        assert lines[3][1] == nik("18.71", 1) and sheet.cell(5, 2).number_format == "@"
        assert {r[header.index("Nilai bantuan (Rp)")] for r in lines} == {1_200_000}
        digest = hashlib.sha256((out / f"usulan-{ROUND}.xlsx").read_bytes()).hexdigest()
        for code, recipients, total in (("18.71", 2, "2.400.000"), ("18.06", 3, "3.600.000")):
            pdf = PdfReader(out / f"usulan-{ROUND}-{code}.pdf")
            assert len(pdf.pages) == 1
            text = " ".join(pdf.pages[0].extract_text().split())
            assert f"Jumlah penerima yang diusulkan {recipients} orang" in text
            assert f"Rp {total}" in text and digest[:32] in text.replace(" ", "")
            assert "Kepala Dinas Koperasi dan UKM" in text and "NIP." in text
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile",
                            str(out / f"usulan-{ROUND}-18.06.pdf"), str(tmp_path / "page")],
                           check=True)
            assert (tmp_path / "page.png").stat().st_size > 10_000
            keep = os.environ.get("TAPIS_KEEP_PROPOSAL")  # to look at the page
            if keep:
                shutil.copytree(out, keep, dirs_exist_ok=True)
        # the accepted verdicts are locked, the returned one is back at Tanggamus's office
        with province.store.read() as session:
            stands = {i.verification_id: i for i in approvals.items(session, round_code=ROUND)}
        assert stands[duplicate].stage == approvals.Stage.AT_REGENCY
        assert stands[kota["Pemohon 1"]].stage == approvals.Stage.ACCEPTED
        assert records.get(province.store, "aid_verification", kota["Pemohon 1"])["verdict"] == \
            "eligible"
    finally:
        for laptop in (tgm, kota_officer, kota_office, province):
            laptop.close()
