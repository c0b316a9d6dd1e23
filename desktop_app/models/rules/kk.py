"""Nomor Kartu Keluarga (KK): the family card number an aid proposal carries.

Source of the layout: the KK number is 16 digits made of the region code
of issue, the date of recording and the family's serial number: digits
1-6 the Kemendagri code of province (2), regency/city (2) and district
(2); digits 7-12 the date the KK was recorded, DDMMYY; digits 13-16 the
family serial (the Dukcapil guidance on the KK as published by village and
regency offices; secondary copies only, docs/DOMAIN.md "Identity
numbers"). The proposal layout that needs it (NIK as on the KTP-el, KK
number, name, address, business, phone) is that of the BPUM guideline,
Permenkop UKM 6/2020 as amended by 2/2021 (secondary copies).

What is refused and what is only a warning:

* refused (errors): anything but 16 ASCII digits, and a region code that
  cannot exist, checked exactly as a NIK's first six digits are
  (:func:`~desktop_app.models.rules.nik.region_faults`): the layout of the
  region part is the same Kemendagri code and is certain;
* warned (the record may still be saved): a date part that is not a real
  date or lies in the future, a serial 0000, and a KK number equal to the
  applicant's own NIK (usually the NIK typed twice). The date and serial
  parts are documented only in secondary sources, and refusing a real card
  at the door would stop the officer's work, so these ask the officer to
  look again rather than block.

Unlike the NIK, the date part carries no +40 for women: it is the card's
date, not a person's birth date. The KK is personal data like the NIK: no
message repeats it.
"""

from __future__ import annotations

from datetime import date

from .nik import NIK_LENGTH, date_or_none, region_faults
from .problems import Problem

KK_LENGTH = NIK_LENGTH  # 16 digits, like the NIK


def check_kk(value: str | None, *, field: str = "kk_number", today: date,
             nik: str | None = None) -> list[Problem]:
    """Every rule ``value`` breaks as a KK number; empty when absent or well formed.

    ``nik`` is the applicant's NIK, to warn when the two are the same number.
    """
    if value is None or not value.strip():
        return []
    if not (value.isascii() and value.isdigit()):
        return [Problem(field, "kk.digits",
            "Nomor KK hanya boleh berisi angka 0-9. Hapus spasi, titik, atau huruf.",
            "The KK number may contain only the digits 0-9. Remove spaces, dots or letters.")]
    if len(value) != KK_LENGTH:
        return [Problem(field, "kk.length",
            f"Nomor KK harus tepat 16 digit, yang diisi {len(value)} digit. Salin nomor dari Kartu Keluarga.",
            f"The KK number must be exactly 16 digits; {len(value)} were entered. Copy it from the family card.")]
    faults = region_faults(value)
    if faults:
        return [Problem(field, "kk.region",
            "Kode wilayah nomor KK (digit 1-6: provinsi, kabupaten/kota, kecamatan) tidak mungkin ada. "
            "Periksa kembali angka dari Kartu Keluarga.",
            "The region code of the KK number (digits 1-6: province, regency/city, district) cannot exist. "
            "Check the number against the family card.")]
    return _warnings(value, field, today, nik)


def _warnings(value: str, field: str, today: date, nik: str | None) -> list[Problem]:
    found = []
    recorded = _recorded_on(value, today)
    if recorded is None:
        found.append(Problem(field, "kk.date",
            "Digit 7-12 nomor KK biasanya tanggal pencatatan (HHBBTT), tetapi ini bukan tanggal yang "
            "ada atau jatuh setelah hari ini. Periksa kembali; data tetap boleh disimpan.",
            "Digits 7-12 of a KK number are usually its recording date (DDMMYY), but these are not a "
            "real date or lie after today. Check again; the record may still be saved.",
            severity="warning"))
    if value[12:] == "0000":
        found.append(Problem(field, "kk.serial",
            "Nomor urut keluarga (digit 13-16) 0000 tidak lazim. Periksa kembali; data tetap boleh disimpan.",
            "A family serial (digits 13-16) of 0000 is unusual. Check again; the record may still be saved.",
            severity="warning"))
    if nik and value == nik:
        found.append(Problem(field, "kk.same_as_nik",
            "Nomor KK sama dengan NIK pemohon. Nomor KK ada di bagian atas Kartu Keluarga, bukan di KTP.",
            "The KK number is the same as the applicant's NIK. The KK number is at the top of the "
            "family card, not on the ID card.",
            severity="warning"))
    return found


def _recorded_on(value: str, today: date) -> date | None:
    """The recording date DD-MM-(20|19)YY not after ``today``; None when none is real."""
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    for year in (2000 + yy, 1900 + yy):
        found = date_or_none(year, month, day)
        if found is not None and found <= today:
            return found
    return None
