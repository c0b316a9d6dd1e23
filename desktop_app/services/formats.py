"""Numbers, money and dates the way Indonesian offices write them.

Rp 1.250.000 and 23 November 2026 in Indonesian; in English the same
figures with English separators (Rp 1,250,000; 12.5), as an English reader
expects. A caller writing for the screens or a text in a given language
passes its language (ui.numbers does for every screen); without one, the
Indonesian way. No Qt and no locale
database, so exports, PDFs and the GUI all write the same thing on any
machine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: Lampung keeps Western Indonesian Time (UTC+7) all year.
WIB = timezone(timedelta(hours=7), "WIB")

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def group_separator(language: str = "id") -> str:
    """The thousands separator: '.' in Indonesian, ',' in English."""
    return "," if _lang(language) == "en" else "."


def number(value: int | float | None, decimals: int = 0, language: str = "id") -> str:
    """1250000 -> '1.250.000' (English '1,250,000'); 12.5 with one decimal
    -> '12,5' (English '12.5'). ``language``: 'id' unless named."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if _lang(language) == "en":
        return text
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def rupiah(value: int | None, language: str = "id") -> str:
    """1250000 -> 'Rp 1.250.000' (English 'Rp 1,250,000'; rupiah have no sen in practice)."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {number(abs(value), language=language)}"


def percent(share: float | None, decimals: int = 1, language: str = "id") -> str:
    """0.375 -> '37,5 %' (English '37.5%')."""
    if share is None:
        return ""
    text = number(share * 100, decimals, language)
    return f"{text}%" if _lang(language) == "en" else f"{text} %"


def long_date(day: date | None, language: str = "id") -> str:
    """23 November 2026 (the same order in both languages, as the forms use)."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[_lang(language)][day.month - 1]} {day.year}"


def short_date(day: date | None) -> str:
    """23/11/2026."""
    return "" if day is None else day.strftime("%d/%m/%Y")


def local_time(moment: datetime | None, language: str = "id") -> str:
    """A stored UTC moment as the officer's clock shows it: '23 November 2026 14.05 WIB'."""
    if moment is None:
        return ""
    return f"{local_date(moment, language)} {clock_time(moment, language)} WIB"


def local_date(moment: datetime | None, language: str = "id") -> str:
    """The day of a stored UTC moment in Lampung: '23 November 2026'."""
    return "" if moment is None else long_date(_in_wib(moment).date(), language)


def clock_time(moment: datetime | None, language: str = "id") -> str:
    """The time of day of a stored UTC moment in Lampung: '14.05' ('14:05' in English)."""
    if moment is None:
        return ""
    here = _in_wib(moment)
    separator = "." if _lang(language) == "id" else ":"
    return f"{here:%H}{separator}{here:%M}"


def _in_wib(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB)


def _lang(language: str) -> str:
    return "en" if language == "en" else "id"
