from datetime import date, datetime, timezone

from desktop_app.services import formats


def test_rupiah_and_numbers_use_dots_for_thousands() -> None:
    assert formats.rupiah(1_250_000) == "Rp 1.250.000"
    assert formats.rupiah(0) == "Rp 0"
    assert formats.rupiah(-5_000) == "-Rp 5.000"
    assert formats.rupiah(None) == ""
    assert formats.number(12.5, 1) == "12,5"
    assert formats.number(1_234_567.891, 2) == "1.234.567,89"
    assert formats.percent(0.375) == "37,5 %"


def test_dates_read_as_the_forms_write_them() -> None:
    assert formats.long_date(date(2026, 11, 23)) == "23 November 2026"
    assert formats.long_date(date(2026, 8, 17)) == "17 Agustus 2026"
    assert formats.long_date(date(2026, 8, 17), "en") == "17 August 2026"
    assert formats.short_date(date(2026, 1, 5)) == "05/01/2026"


def test_stored_utc_moments_show_in_western_indonesian_time() -> None:
    moment = datetime(2026, 11, 23, 20, 5, tzinfo=timezone.utc)
    assert formats.local_time(moment) == "24 November 2026 03.05 WIB"
    assert formats.local_time(moment, "en") == "24 November 2026 03:05 WIB"


def test_the_day_and_the_clock_of_a_moment_are_told_apart() -> None:
    moment = datetime(2026, 11, 23, 20, 5, tzinfo=timezone.utc)
    assert formats.local_date(moment) == "24 November 2026"
    assert formats.clock_time(moment) == "03.05" and formats.clock_time(moment, "en") == "03:05"
    assert formats.local_date(None) == formats.clock_time(None) == ""


def test_in_english_numbers_use_english_separators() -> None:
    """Issue 16 item 14: an English reader reads 1,200,000 and 12.5."""
    assert formats.number(1_200_000, language="en") == "1,200,000"
    assert formats.rupiah(1_250_000, "en") == "Rp 1,250,000"
    assert formats.number(1_234_567.891, 2, "en") == "1,234,567.89"
    assert formats.percent(0.375, language="en") == "37.5%"
    assert formats.group_separator("en") == "," and formats.group_separator() == "."
