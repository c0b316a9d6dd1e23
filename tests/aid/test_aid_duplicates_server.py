"""Duplicates province-wide on the server: the same NIK typed in two
regencies for one round is flagged when it arrives by sync (and refused on
import, tests/aid/test_aid_import.py); likely duplicate businesses are
listed and a merge keeps both histories and reaches the laptops."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.models import Business, UmkmSurvey
from server.__main__ import main as server_main
from server.tables import AppliedChange, BusinessMerge
from tests.services.services_forms import NIK_RAHMAT, applicant_form, business_form, survey_form
from tests.support.laptops import Laptop


def test_the_same_nik_from_two_regencies_is_flagged_after_sync(sync_server, tmp_path, capsys):
    kota = Laptop(tmp_path / "kota", sync_server.url, "petugas.bandarlampung")
    tgm = Laptop(tmp_path / "tgm", sync_server.url, "petugas.tanggamus")
    try:
        kota.save("aid_applicant", applicant_form())
        tgm.save("aid_applicant", applicant_form(regency_code="18.06", district_code="18.06.01",
                                                 village="Kota Agung"))
        kota.sync()
        tgm.sync()
    finally:
        kota.close()
        tgm.close()
    assert server_main(["duplicates", "list", "--db", sync_server.db_url]) == 0
    out = capsys.readouterr().out
    assert "applicants with the same NIK in a round: 1" in out
    assert "bpum-2021 NIK 1871********0007 x2 (18.06, 18.71)" in out
    assert NIK_RAHMAT not in out
    assert server_main(["duplicates", "list", "--db", sync_server.db_url, "--regency", "18.01"]) == 0
    assert "in a round: 0" in capsys.readouterr().out


def test_a_merge_keeps_both_histories_and_reaches_the_laptop(sync_server, tmp_path, capsys):
    laptop = Laptop(tmp_path / "kota", sync_server.url, "petugas.bandarlampung")
    try:
        kept = laptop.save("business", business_form(nib=None, phone=""))
        dup = laptop.save("business", business_form(name="Kopi Robusta Sity",
                                                    owner_nik="1871015503850002"))
        survey = laptop.save("umkm_survey", survey_form(dup["id"]))
        laptop.sync()
        assert server_main(["duplicates", "list", "--db", sync_server.db_url]) == 0
        out = capsys.readouterr().out
        assert f"[name] 18.71 {kept['id']} 'Kopi Robusta Siti' ~ {dup['id']}" in out or \
            f"[name] 18.71 {dup['id']} 'Kopi Robusta Sity' ~ {kept['id']}" in out
        assert server_main(["duplicates", "merge", kept["id"], dup["id"], "--db",
                            sync_server.db_url, "--by", "petugas.bandarlampung"]) == 2  # officers may not
        assert server_main(["duplicates", "merge", kept["id"], dup["id"], "--db",
                            sync_server.db_url, "--by", "supervisor.bandarlampung"]) == 0
        assert "1 surveys moved" in capsys.readouterr().out
        with sync_server.database.session() as session:
            assert session.get(UmkmSurvey, survey["id"]).business_id == kept["id"]
            gone = session.get(Business, dup["id"])
            assert gone.deleted_at is not None and gone.name == "Kopi Robusta Sity"  # kept as it was
            assert session.get(Business, kept["id"]).nib == "1234567890123"  # filled from the duplicate
            assert session.get(BusinessMerge, dup["id"]).kept_id == kept["id"]
            history = session.scalars(select(AppliedChange.op).where(
                AppliedChange.row_id == dup["id"]).order_by(AppliedChange.server_seq)).all()
            assert history == ["insert", "update"]  # its history stays, ending in the tombstone
        laptop.sync()
        rows = laptop.rows("business")
        assert rows[dup["id"]]["deleted_at"] is not None
        assert rows[kept["id"]]["nib"] == "1234567890123"
        assert laptop.rows("umkm_survey")[survey["id"]]["business_id"] == kept["id"]
        assert server_main(["duplicates", "list", "--db", sync_server.db_url]) == 0
        assert "likely duplicate businesses: 0" in capsys.readouterr().out
    finally:
        laptop.close()
