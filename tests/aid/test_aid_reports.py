"""The office's figures: naik kelas per regency and year (at the class
boundaries of PP 7/2021 Art. 35 (5)), each digital channel's adoption,
export activity with destinations, active cooperatives and the RAT; in the
survey export the destinations, needs and training received."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from desktop_app.models.rules.naik_kelas import step
from desktop_app.services import exports, records
from desktop_app.services.office_reports import NaikKelas, office_report
from tests.services.services_forms import business_form, cooperative_form, survey_form

#: PP 7/2021 Art. 35 (5): mikro up to Rp2 billion annual sales (inclusive).
MIKRO_TOP = 2_000_000_000


@pytest.mark.parametrize(("before", "after", "moved"), [
    ("mikro", "kecil", 1), ("kecil", "mikro", -1), ("mikro", "mikro", 0),
    ("mikro", "menengah", 2), ("menengah", "besar", 1), ("", "kecil", None), ("mikro", "", None),
])
def test_steps_between_classes(before, after, moved):
    assert step(before, after) == moved


def _survey(store, actor, business_id, day, **figures):
    saved = records.save(store, actor, "umkm_survey",
                         survey_form(business_id, visit_date=day, **figures)).record
    return records.finalise(store, actor, "umkm_survey", saved["id"], today=date(2026, 11, 23))


def test_naik_kelas_channels_exports_and_cooperatives(store, actor, tmp_path):
    up = records.save(store, actor, "business", business_form(name="Naik")).record
    down = records.save(store, actor, "business", business_form(
        name="Turun", owner_nik="1871015503850002", nib="2222222222222")).record
    once = records.save(store, actor, "business", business_form(
        name="Sekali", owner_nik="1871015503850003", nib="3333333333333")).record
    # the boundary: Rp2,000,000,000 is still mikro, one rupiah more is kecil
    first = _survey(store, actor, up["id"], date(2025, 6, 1), turnover_annual=MIKRO_TOP)
    second = _survey(store, actor, up["id"], date(2026, 6, 1), turnover_annual=MIKRO_TOP + 1,
                     digital_channels=["shopee", "tiktok_shop"], exports=True,
                     export_destinations="Malaysia, singapura")
    assert (first["size_class"], second["size_class"]) == ("mikro", "kecil")
    _survey(store, actor, down["id"], date(2025, 2, 1), turnover_annual=MIKRO_TOP + 1)
    _survey(store, actor, down["id"], date(2026, 2, 1), turnover_annual=None,
            turnover_monthly=None, capital=1_000_000_000, exports=True,
            export_destinations="Malaysia")  # capital at the mikro bound: down, on another basis
    _survey(store, actor, once["id"], date(2026, 3, 1), digital_channels=[])
    records.save(store, actor, "cooperative", cooperative_form(rat_last_year=True))
    records.save(store, actor, "cooperative", cooperative_form(name="KUD Lama", is_active=False,
                                                               rat_last_year=True))
    records.save(store, actor, "cooperative", cooperative_form(name="KSP Baru"))

    report = office_report(store, "18.71")
    assert report.naik_kelas == (NaikKelas("18.71", 2026, pairs=2, up=1, down=1, same=0,
                                           basis_changed=1),)
    used = {code: n for code, _, n in report.channels}
    assert report.surveyed == 3
    assert (used["shopee"], used["tiktok_shop"], used["whatsapp_business"]) == (2, 1, 1)
    assert report.exporters == 2 and report.destinations[0] == ("Malaysia", 2)
    assert dict(report.destinations)["Singapura"] == 1
    assert (report.cooperatives, report.active_cooperatives, report.rat_held) == (3, 2, 1)
    assert office_report(store, "18.06").surveyed == 0

    out = tmp_path / "survei.xlsx"
    exports.export(store, "surveys", out)
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    line = next(r for r in rows if r[header.index("Tujuan ekspor")] == "Malaysia, singapura")
    assert line[header.index("Melakukan ekspor")] == "Ya"
    assert {"Kebutuhan usaha", "Pelatihan yang pernah diterima"} <= set(header)
