"""Boundary tests for the NIK rules: shape, region, birth date, serial, masking."""

from datetime import date

import pytest

from desktop_app.models.rules.nik import PROVINCE_CODES, check_nik, mask_nik, parse_nik

TODAY = date(2024, 6, 1)
MAN = "1871010101900001"  # Bandar Lampung, man born 1 Jan 1990
WOMAN = "1871014101900002"  # same day, woman (41 = 1 + 40)


def rules(value, **kw):
    """The rule names broken by ``value``."""
    return [p.rule for p in check_nik(value, today=TODAY, **kw)]


def assert_no_nik_in_messages(value, problems):
    """No problem sentence repeats six or more consecutive characters of the NIK."""
    for p in problems:
        for text in (p.id, p.en):
            for i in range(len(value) - 5):
                assert value[i:i + 6] not in text


def test_valid_man_and_woman_pass():
    """A well-formed NIK of a man and of a woman break no rule."""
    assert rules(MAN) == []
    assert rules(WOMAN) == []


def test_empty_is_required():
    """An empty or blank NIK asks the officer to fill it in."""
    assert rules("") == ["nik.required"]
    assert rules("   ") == ["nik.required"]


@pytest.mark.parametrize("value", ["1871 010101900001", "187101010190000A", "1871.01.010190.0001", "١٨٧١٠١٠١٠١٩٠٠٠٠١"])
def test_non_digits_refused(value):
    """Spaces, letters, dots and non-ASCII digits are refused as nik.digits."""
    assert rules(value) == ["nik.digits"]


@pytest.mark.parametrize("value", [MAN[:15], MAN + "1"])
def test_length_boundaries(value):
    """15 and 17 digits are refused; only 16 is accepted."""
    assert rules(value) == ["nik.length"]


def test_province_codes_are_the_38_provinces():
    """The province table holds exactly the 38 codes, including the 2022 Papua splits."""
    assert len(PROVINCE_CODES) == 38
    assert {"91", "92", "93", "94", "95", "96", "65", "76", "21"} <= PROVINCE_CODES
    assert not {"10", "20", "37", "54", "66", "77", "83", "97", "00"} & PROVINCE_CODES


@pytest.mark.parametrize("code", ["10", "20", "37", "97"])
def test_unknown_province_refused(code):
    """A province code just outside a known range is refused."""
    assert rules(code + MAN[2:]) == ["nik.province"]


@pytest.mark.parametrize("code", ["96", "11"])
def test_edge_provinces_accepted(code):
    """The first and last province codes are accepted outside Lampung."""
    assert rules(code + MAN[2:]) == []


@pytest.mark.parametrize("regency", ["01", "13", "71", "72"])
def test_lampung_regency_bounds_accepted(regency):
    """Lampung regency codes at the edges of 01-13 and 71-72 are accepted."""
    assert rules("18" + regency + MAN[4:]) == []


@pytest.mark.parametrize("regency", ["00", "14", "70", "73"])
def test_lampung_regency_outside_refused(regency):
    """Lampung regency codes just outside 01-13 and 71-72 are refused."""
    assert rules("18" + regency + MAN[4:]) == ["nik.regency"]


def test_regency_00_refused_elsewhere():
    """Regency 00 is refused in any province."""
    assert rules("3100" + MAN[4:]) == ["nik.regency"]


def test_district_00_refused():
    """District 00 is refused."""
    assert rules("187100" + MAN[6:]) == ["nik.district"]


@pytest.mark.parametrize("ddmmyy", ["000190", "320190", "400190", "720190", "310490", "290223", "011390", "010090"])
def test_impossible_birth_dates_refused(ddmmyy):
    """Day 0, 32-40, over 71, 31 April, 29 Feb of a common year and month 0/13 are refused."""
    assert rules("187101" + ddmmyy + "0001") == ["nik.birth_date"]


@pytest.mark.parametrize("ddmmyy", ["310190", "410190", "710190", "290296", "690296"])
def test_possible_birth_dates_accepted(ddmmyy):
    """Day 31, women's 41 and 71, and 29 Feb of a leap year are accepted."""
    assert rules("187101" + ddmmyy + "0001") == []


def test_century_chosen_so_birth_is_not_future():
    """A 2-digit year after today's falls in the 1900s; up to today it falls in the 2000s."""
    assert parse_nik("187101" + "010624" + "0001", today=TODAY).birth_date == date(2024, 6, 1)
    assert parse_nik("187101" + "020624" + "0001", today=TODAY).birth_date == date(1924, 6, 2)


def test_birth_in_future_refused():
    """29 Feb 00 seen before 29 Feb 2000 can only be a future date (1900 was not leap)."""
    assert [p.rule for p in check_nik("187101290200" + "0001", today=date(2000, 2, 28))] == ["nik.birth_future"]
    assert [p.rule for p in check_nik("187101290200" + "0001", today=date(2000, 2, 29))] == []


def test_serial_0000_refused_and_0001_accepted():
    """Serial 0000 is refused; 0001 is the lowest accepted."""
    assert rules(MAN[:12] + "0000") == ["nik.serial"]
    assert rules(MAN[:12] + "0001") == []


def test_several_problems_reported_together():
    """A NIK breaking region, date and serial rules reports each of them."""
    assert rules("1814009999990000") == ["nik.regency", "nik.district", "nik.birth_date", "nik.serial"]


def test_regency_mismatch_is_a_warning():
    """A NIK from another regency than the visit gives one warning, not an error."""
    problems = check_nik(MAN, today=TODAY, place_regency="18.06")
    assert [(p.rule, p.severity) for p in problems] == [("nik.regency_differs", "warning")]
    assert "Kota Bandar Lampung" in problems[0].id and "Tanggamus" in problems[0].en


def test_same_regency_no_warning():
    """A NIK from the regency of the visit gives no warning."""
    assert check_nik(MAN, today=TODAY, place_regency="18.71") == []


def test_custom_field_name_used():
    """Problems carry the field name the form passes in."""
    assert check_nik("", field="owner_nik", today=TODAY)[0].field == "owner_nik"


def test_parse_returns_region_birth_and_sex():
    """Parsing gives province, regency, district in dotted form, birth date and sex."""
    info = parse_nik(WOMAN, today=TODAY)
    assert (info.province, info.regency, info.district) == ("18", "18.71", "18.71.01")
    assert (info.birth_date, info.sex) == (date(1990, 1, 1), "F")
    assert parse_nik(MAN, today=TODAY).sex == "M"


def test_parse_returns_none_for_invalid():
    """Parsing a NIK that breaks a rule gives None."""
    assert parse_nik(MAN[:12] + "0000", today=TODAY) is None
    assert parse_nik("abc", today=TODAY) is None


def test_parse_keeps_no_nik_digits():
    """The parsed info does not carry the serial or the whole NIK."""
    info = parse_nik(MAN, today=TODAY)
    assert not hasattr(info, "serial")
    assert MAN not in repr(info)


@pytest.mark.parametrize("value", [
    "", "1", "18710101019", MAN[:15], MAN, MAN + "9", "1871 0101 0190 0001", "abcdefghijklmnop",
    "1814009999990000", MAN[:12] + "0000", "1071010101900001",
])
def test_messages_bilingual_and_never_echo_nik(value):
    """Every problem has both sentences, names NIK, and never repeats the number."""
    problems = check_nik(value, today=TODAY, place_regency="18.02")
    assert problems
    for p in problems:
        assert p.id and p.en and p.id != p.en
        assert "NIK" in p.id and "NIK" in p.en
    assert_no_nik_in_messages(value, problems)


def test_mask_valid_nik():
    """A 16-digit NIK shows its first and last four digits around eight stars."""
    assert mask_nik(MAN) == "1871********0001"


@pytest.mark.parametrize("value", ["12345678", "123456789012345", "abcdefghij"])
def test_mask_short_values_fully_hidden(value):
    """Values of 8-15 characters are starred out entirely."""
    masked = mask_nik(value)
    assert masked == "*" * len(value)


@pytest.mark.parametrize("value", [MAN + "12", "1871 0101 0190 0001", "x" * 40])
def test_mask_long_values_hide_the_middle(value):
    """Values longer than 16 never come back whole and show at most eight characters."""
    masked = mask_nik(value)
    assert masked != value
    assert sum(c != "*" for c in masked) <= 8


def test_mask_empty_and_none():
    """Nothing to mask gives an empty string."""
    assert mask_nik("") == ""
    assert mask_nik(None) == ""
