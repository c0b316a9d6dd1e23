"""Village codes (Kemendagri, nesting in their district), the matching of
names typed before the list existed, and an applicant's documents."""

import pytest

from desktop_app.models.rules.applicant import document_problems, round_problems
from desktop_app.models.rules.villages import (
    district_of, match_village, normalise_name, village_problems,
)
from desktop_app.models.upgrades import legacy_round, size_basis_then
from tests.support.reference import rows, shipped_rounds

VILLAGES = {str(r["code"]): str(r["name"]) for r in rows("region") if r["level"] == "village"}
PARENT = {code: district_of(code) for code in VILLAGES}


def test_the_shipped_list_holds_every_lampung_village_in_a_shipped_district():
    """2,651 desa/kelurahan (cahyadsn/wilayah, Kepmendagri 300.2.2-2138/2025),
    each in one of the 229 districts; 1xxx is a kelurahan, 2xxx a desa."""
    regions = rows("region")
    districts = {r["code"] for r in regions if r["level"] == "district"}
    villages = [r for r in regions if r["level"] == "village"]
    assert len(villages) == 2651 and len(districts) == 229
    assert all(r["parent_code"] in districts for r in villages)
    assert all((r["kind"] == "kelurahan") == str(r["code"]).rsplit(".", 1)[1].startswith("1")
               for r in villages)
    assert sum(1 for r in villages if str(r["code"]).startswith("18.71.")) == 126


def test_village_must_lie_in_the_district():
    """A village of another district is refused; one of the district passes."""
    hajimena = "18.01.04.2001"  # Hajimena, Natar
    assert VILLAGES[hajimena] == "Hajimena"
    assert village_problems({"district_code": "18.01.04", "village_code": hajimena}, PARENT) == []
    [outside] = village_problems({"district_code": "18.01.05", "village_code": hajimena}, PARENT)
    assert outside.rule == "village.outside_district" and outside.field == "village_code"


def test_village_not_on_the_list_and_without_district():
    [unknown] = village_problems({"district_code": "18.01.04", "village_code": "18.01.04.9999"},
                                 PARENT)
    assert unknown.rule == "village.unknown"
    [first] = village_problems({"district_code": None, "village_code": "18.01.04.2001"}, PARENT)
    assert first.rule == "village.no_district"
    assert village_problems({"district_code": "18.01.04", "village_code": None}, PARENT) == []


@pytest.mark.parametrize("typed,same", [
    ("Kel. Way  Halim", "wayhalim"), ("Desa Sido Rejo", "sidorejo"), ("SUKARAME", "sukarame"),
])
def test_names_compare_without_prefix_case_or_spaces(typed, same):
    assert normalise_name(typed) == same


def test_a_typed_name_becomes_a_code_only_when_exactly_one_village_matches():
    """Within the district the one match is taken; within a regency a name
    borne by several villages is left alone, never guessed."""
    assert match_village("hajimena", district_code="18.01.04", regency_code="18.01",
                         villages=VILLAGES) == "18.01.04.2001"
    assert match_village("Desa Hajimena", district_code=None, regency_code="18.01",
                         villages=VILLAGES) == "18.01.04.2001"
    natar = [c for c, n in VILLAGES.items() if n == "Natar"]
    assert natar == ["18.01.04.2004"]
    sukarame = [c for c, n in VILLAGES.items() if normalise_name(n) == "sukarame"
                and c.startswith("18.71.")]
    assert len(sukarame) > 1 or match_village("Sukarame", district_code=None, regency_code="18.71",
                                              villages=VILLAGES) == sukarame[0]
    assert match_village("Kampung Tidak Ada", district_code="18.01.04", regency_code="18.01",
                         villages=VILLAGES) is None
    assert match_village("Hajimena", district_code="18.01.05", regency_code="18.01",
                         villages=VILLAGES) is None
    assert match_village("", district_code="18.01.04", regency_code="18.01", villages=VILLAGES) is None


def test_a_name_shared_by_two_villages_of_a_regency_is_not_guessed():
    twice = {"18.01.04.2001": "Sidorejo", "18.01.05.2001": "Sido Rejo"}
    assert match_village("Sidorejo", district_code=None, regency_code="18.01", villages=twice) is None
    assert match_village("Sidorejo", district_code="18.01.05", regency_code="18.01",
                         villages=twice) == "18.01.05.2001"


def test_sku_needed_where_the_business_is_not_at_the_ktp_address():
    """Business elsewhere than the KTP address: business address and SKU number required."""
    assert document_problems({"business_location_differs": False}) == []
    found = document_problems({"business_location_differs": True, "business_address": " ",
                               "sku_number": ""})
    assert [(p.field, p.rule) for p in found] == [("business_address", "sku.address_missing"),
                                                  ("sku_number", "sku.missing")]
    assert document_problems({"business_location_differs": True, "business_address": "Pasar Natar",
                              "sku_number": "470/12/2021"}) == []


def test_round_must_be_known():
    rounds = shipped_rounds()
    assert round_problems({"aid_round": "bpum-2021"}, rounds) == []
    [unknown] = round_problems({"aid_round": "2026-1"}, rounds)
    assert unknown.rule == "round.unknown" and "BPUM 2020" in unknown.id


@pytest.mark.parametrize("text,code", [
    ("2021-1", "bpum-2021"), ("BPUM 2020", "bpum-2020"), ("bpum-2021", "bpum-2021"),
    ("2026-1", None), ("2020/2021", None), ("", None), (None, None), ("12021", None),
])
def test_legacy_round_texts(text, code):
    """Free-text rounds naming one shipped round's year map to it; others stay for the officer."""
    assert legacy_round(text) == code


@pytest.mark.parametrize("row,basis", [
    ({"size_class": "mikro", "capital": 5, "turnover_annual": 9, "turnover_monthly": 1}, "capital"),
    ({"size_class": "mikro", "capital": None, "turnover_annual": 9, "turnover_monthly": 1},
     "annual_sales"),
    ({"size_class": "mikro", "capital": None, "turnover_annual": None, "turnover_monthly": 1},
     "annual_sales_estimated"),
    ({"size_class": "", "capital": 5}, ""),
])
def test_size_basis_of_a_class_stored_before_the_basis(row, basis):
    """A stored class keeps the basis that decided it then (capital first, as the rule was)."""
    assert size_basis_then(row) == basis
