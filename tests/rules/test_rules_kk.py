"""The KK number (family card): 16 digits, a Kemendagri region code of
issue, a recording date and a family serial (Dukcapil layout, secondary
sources: docs/DOMAIN.md "Identity numbers"). The region part is refused
when impossible, like a NIK's; the date and serial only warned about."""

from datetime import date

import pytest

from desktop_app.models.rules.kk import check_kk

TODAY = date(2026, 11, 23)
GOOD = "1871012304150003"  # Bandar Lampung, district 01, recorded 23-04-2015, serial 0003


def rules(value, **kw):
    return [(p.rule, p.severity) for p in check_kk(value, today=TODAY, **kw)]


def test_a_well_formed_kk_passes():
    assert check_kk(GOOD, today=TODAY) == []


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_is_not_checked(empty):
    """An applicant list may come without KK numbers: an empty one is not an error here."""
    assert check_kk(empty, today=TODAY) == []


@pytest.mark.parametrize("value,rule", [
    ("1871 0123 0415 0003", "kk.digits"), ("18710123041500O3", "kk.digits"),
    ("187101230415000", "kk.length"), ("18710123041500031", "kk.length"),
    ("٠٠٠٠١٢٣٠٤١٥٠٠٠٣٠", "kk.digits"),
])
def test_shape_refused(value, rule):
    """Only 16 ASCII digits are a KK number; 15 and 17 digits are refused."""
    assert rules(value) == [(rule, "error")]


@pytest.mark.parametrize("value", [
    "9971012304150003",  # no province 99
    "1899012304150003",  # no regency 18.99 in Lampung
    "1800012304150003",  # regency 00
    "1871002304150003",  # district 00
])
def test_impossible_region_refused(value):
    """The first six digits are a Kemendagri code: an impossible one is refused."""
    assert rules(value) == [("kk.region", "error")]


def test_another_province_is_accepted():
    """A family registered in another province (31 DKI Jakarta) is a real KK."""
    assert check_kk("3171012304150003", today=TODAY) == []


@pytest.mark.parametrize("value", [
    "1871013102150003",  # 31 February
    "1871013002150003",  # 30 February
])
def test_date_part_problems_are_warnings(value):
    """A date part that is no real date is only a warning: the layout of
    digits 7-12 is known from secondary sources only."""
    found = check_kk(value, today=TODAY)
    assert found and all(p.severity == "warning" for p in found)


def test_impossible_date_warns():
    assert rules("1871013102150003") == [("kk.date", "warning")]


def test_no_womans_day_offset_on_a_kk():
    """Day 63 is a woman's birth day on a NIK, but no day of a KK's recording date."""
    assert rules("1871016304150003") == [("kk.date", "warning")]


def test_date_boundary_today():
    """Recorded today is fine; recorded tomorrow reads as the same day a
    century ago (DDMMYY cannot tell), which is a real date too."""
    assert check_kk("1871012311260003", today=TODAY) == []
    assert check_kk("1871012411260003", today=TODAY) == []


def test_serial_0000_warns():
    assert rules("1871012304150000") == [("kk.serial", "warning")]


def test_same_as_the_nik_warns():
    """The applicant's NIK typed again into the KK field is caught."""
    nik = "1871011503850007"
    assert rules(nik, nik=nik) == [("kk.same_as_nik", "warning")]
    assert rules(GOOD, nik=nik) == []


def test_messages_never_repeat_the_number():
    for value in ("1871 0123", "9971012304150003", "1871013102150003"):
        for problem in check_kk(value, today=TODAY, nik=value):
            assert value not in problem.id and value not in problem.en
