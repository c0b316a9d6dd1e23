"""NIB (Nomor Induk Berusaha): the business identity number issued by OSS.

The NIB is 13 digits (PP 5/2021 on risk-based business licensing, issued
through the OSS system). A survey may record a business that has no NIB yet,
so the field is optional: only a value that is given is checked.
"""

from __future__ import annotations

from desktop_app.models.rules.problems import Problem

NIB_LENGTH = 13


def check_nib(value: str | None, *, field: str = "nib") -> list[Problem]:
    """Every rule ``value`` breaks as a NIB; empty when absent or well formed."""
    if value is None or not value.strip():
        return []
    if not (value.isascii() and value.isdigit()):
        return [Problem(field, "nib.digits",
            "NIB hanya boleh berisi angka 0-9. Hapus spasi, titik, atau huruf, atau kosongkan bila usaha belum punya NIB.",
            "NIB may contain only the digits 0-9. Remove spaces, dots or letters, or leave it empty if the business has no NIB.")]
    if len(value) != NIB_LENGTH:
        return [Problem(field, "nib.length",
            f"NIB harus tepat 13 digit, yang diisi {len(value)} digit. Salin NIB dari dokumen OSS.",
            f"NIB must be exactly 13 digits; {len(value)} were entered. Copy the NIB from the OSS document.")]
    return []
