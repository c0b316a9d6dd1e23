"""Lists and search as the officer uses them: pages of records, filters by
place and status, newest first, NIKs masked, and search as you type."""

from __future__ import annotations

from typing import Any

import pytest
from services_forms import NIK_RAHMAT, NIK_SITI, TODAY, applicant_form, business_form, survey_form

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.services.listing import ListFilter, list_records
from desktop_app.services.search import search
from desktop_app.store import Store

#: Businesses across two regencies and three districts, in the order registered.
BUSINESSES = [
    dict(name="Kopi Robusta Siti", village="Kedaton", district_code="18.71.01"),
    dict(name="Keripik Pisang Ratna", village="Sukarame", district_code="18.71.02"),
    dict(name="Warung Makan Bu Séna", village="Kedaton", district_code="18.71.01"),
    dict(name="Kain Tapis Dewi", village="Pagar Dewa", district_code="18.71.02"),
    dict(name="Kopi Lada Metro", village="Metro", regency_code="18.72", district_code="18.72.01",
         owner_nik="1872011503850007"),
]


@pytest.fixture
def ids(store: Store, actor: Actor) -> list[str]:
    """The businesses above, saved one by one; their ids in that order."""
    return [records.save(store, actor, "business", business_form(**b), today=TODAY).record["id"]
            for b in BUSINESSES]


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in rows]


def test_pages_cover_the_list_newest_first(store: Store, ids: list[str]) -> None:
    """Paging two at a time gives every business once, newest first, with the total."""
    pages = [list_records(store, "business", offset=o, limit=2) for o in (0, 2, 4)]
    assert [p.total for p in pages] == [5, 5, 5]
    assert [p.offset for p in pages] == [0, 2, 4]
    assert [len(p.rows) for p in pages] == [2, 2, 1]
    assert [r["id"] for p in pages for r in p.rows] == ids[::-1]


def test_oldest_first_when_asked(store: Store, ids: list[str]) -> None:
    """The list can be read in the order records were made."""
    assert [r["id"] for r in list_records(store, "business", newest_first=False).rows] == ids


@pytest.mark.parametrize(("flt", "expected"), [
    (ListFilter(regency_code="18.72"), ["Kopi Lada Metro"]),
    (ListFilter(regency_code="18.71"), ["Kain Tapis Dewi", "Warung Makan Bu Séna",
                                        "Keripik Pisang Ratna", "Kopi Robusta Siti"]),
    (ListFilter(district_code="18.71.01"), ["Warung Makan Bu Séna", "Kopi Robusta Siti"]),
    (ListFilter(village="Sukarame"), ["Keripik Pisang Ratna"]),
    (ListFilter(regency_code="18.01"), []),
])
def test_filter_by_place(store: Store, ids: list[str], flt: ListFilter, expected: list[str]) -> None:
    """The officer narrows the list to a regency, a district or a village."""
    page = list_records(store, "business", flt)
    assert titles(page.rows) == expected
    assert page.total == len(expected)


def test_filter_visits_by_status(store: Store, actor: Actor, ids: list[str]) -> None:
    """Drafts and finalised surveys are listed apart."""
    made = [records.save(store, actor, "umkm_survey", survey_form(i), today=TODAY).record
            for i in ids[:3]]
    records.finalise(store, actor, "umkm_survey", made[1]["id"], today=TODAY)
    drafts = list_records(store, "umkm_survey", ListFilter(status="draft"))
    final = list_records(store, "umkm_survey", ListFilter(status="finalised"))
    assert [r["id"] for r in drafts.rows] == [made[2]["id"], made[0]["id"]]
    assert [(r["id"], r["title"], r["result"]) for r in final.rows] == \
        [(made[1]["id"], "Keripik Pisang Ratna", "mikro")]


def test_entity_lists_mask_the_nik(store: Store, ids: list[str]) -> None:
    """Lists show 1871********0001, never the whole NIK."""
    rows = list_records(store, "business", ListFilter(district_code="18.71.01")).rows
    assert {r["nik"] for r in rows} == {"1871********0001"}
    assert all(NIK_SITI not in str(r) for r in rows)


def test_applicant_list_masks_the_nik(store: Store, actor: Actor) -> None:
    """Aid applicants are listed with masked NIKs too."""
    records.save(store, actor, "aid_applicant", applicant_form(), today=TODAY)
    (row,) = list_records(store, "aid_applicant").rows
    assert (row["title"], row["nik"]) == ("Rahmat Hidayat", "1871********0007")


@pytest.mark.parametrize(("typed", "expected"), [
    ("kop", {"Kopi Robusta Siti", "Kopi Lada Metro"}),
    ("KOPI rob", {"Kopi Robusta Siti"}),
    ("kopi lad", {"Kopi Lada Metro"}),
    ("sena", {"Warung Makan Bu Séna"}),
    ("séna", {"Warung Makan Bu Séna"}),
    ("kedaton", {"Kopi Robusta Siti", "Warung Makan Bu Séna"}),
    ("siti ami", {"Kopi Robusta Siti", "Keripik Pisang Ratna", "Warung Makan Bu Séna",
                  "Kain Tapis Dewi", "Kopi Lada Metro"}),  # every owner is Siti Aminah
    ("bakso", set()),
    ("", set()),
])
def test_search_as_you_type(store: Store, ids: list[str], typed: str, expected: set[str]) -> None:
    """Typing part of a name, several words, or without accents finds the business."""
    assert {h.title for h in search(store, typed)} == expected


def test_search_within_a_regency(store: Store, ids: list[str]) -> None:
    """A Metro officer searching 'kopi' sees only Metro's businesses."""
    hits = search(store, "kopi", regency_code="18.72")
    assert [(h.title, h.regency_code) for h in hits] == [("Kopi Lada Metro", "18.72")]


def test_a_whole_nik_search_keeps_the_regency_filter(store: Store, actor: Actor) -> None:
    """A Metro officer typing a Bandar Lampung applicant's NIK, filtered to Metro, finds nothing."""
    records.save(store, actor, "aid_applicant", applicant_form(), today=TODAY)
    assert search(store, NIK_RAHMAT, regency_code="18.72") == []
    assert [h.regency_code for h in search(store, NIK_RAHMAT, regency_code="18.71")] == ["18.71"]


def test_a_whole_nik_finds_by_equality_and_stays_masked(store: Store, actor: Actor,
                                                        ids: list[str]) -> None:
    """Typing Rahmat's full NIK finds his application; the hit shows it masked."""
    records.save(store, actor, "aid_applicant", applicant_form(), today=TODAY)
    (hit,) = search(store, NIK_RAHMAT)
    assert (hit.kind, hit.title, hit.nik_masked) == ("aid_applicant", "Rahmat Hidayat",
                                                     "1871********0007")
    assert len(search(store, f"  {NIK_SITI} ")) == 4
    assert search(store, NIK_SITI[:-1]) == []  # part of a NIK is not searched as digits


@pytest.mark.parametrize("typed", ['"', "kopi\"", "kop*", "-kopi", "kopi AND", "NEAR(kopi)",
                                   "a:b", "(((", "'; DROP TABLE business; --", "%_", "∑≠"])
def test_special_characters_do_not_raise(store: Store, ids: list[str], typed: str) -> None:
    """Whatever the officer types, search answers with a list and the data stays."""
    assert isinstance(search(store, typed), list)
    assert list_records(store, "business").total == 5


def test_search_hits_carry_masked_niks(store: Store, ids: list[str]) -> None:
    """Word search hits show the owner's NIK masked."""
    (hit,) = search(store, "tapis")
    assert hit.nik_masked == "1871********0001"


def test_deleted_records_are_not_found(store: Store, actor: Actor, ids: list[str]) -> None:
    """After Ratna's business is deleted, neither lists nor search show it."""
    records.delete(store, actor, "business", ids[1])
    assert search(store, "keripik") == []
    assert "Keripik Pisang Ratna" not in titles(list_records(store, "business").rows)
    assert list_records(store, "business").total == 4


def test_lists_narrow_as_the_officer_types(store: Store, ids: list[str]) -> None:
    titles = lambda typed: sorted(r["title"] for r in list_records(store, "business", ListFilter(text=typed)).rows)  # noqa: E731
    assert titles("kopi") == ["Kopi Lada Metro", "Kopi Robusta Siti"]
    assert titles("kopi rob") == ["Kopi Robusta Siti"]
    assert titles("zzz") == []
    assert titles("  ") == titles("")
    page = list_records(store, "business", ListFilter(text="kopi", regency_code="18.72"))
    assert page.total == 1 and page.rows[0]["title"] == "Kopi Lada Metro"


def test_lists_sort_by_a_column_without_overlapping_pages(store: Store, ids: list[str]) -> None:
    ascending = [r["title"] for r in list_records(store, "business", sort="title").rows]
    assert ascending == sorted(ascending)
    descending = [r["title"] for r in list_records(store, "business", sort="title", descending=True).rows]
    assert descending == ascending[::-1]
    paged = [r["id"] for o in range(0, 6, 2)
             for r in list_records(store, "business", sort="village", offset=o, limit=2).rows]
    assert sorted(paged) == sorted(ids) and len(set(paged)) == len(ids)
