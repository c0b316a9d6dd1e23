"""UMKM size class from business capital or annual sales (PP 7/2021, Art. 35).

Article 35 classifies by business capital excluding land and buildings
(modal usaha) or, where capital is not used, by annual sales (hasil
penjualan tahunan). Amounts are whole rupiah: the rule refuses floats so a
rounding error can never move a business across a threshold.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal


class SizeClass(str, Enum):
    """The size of a business; 'besar' lies outside UMKM."""

    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"

    @property
    def label_id(self) -> str:
        """The name shown to officers in Indonesian."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The name shown in English."""
        return _LABELS[self][1]


_LABELS: dict[SizeClass, tuple[str, str]] = {
    SizeClass.MIKRO: ("Usaha Mikro", "Micro enterprise"),
    SizeClass.KECIL: ("Usaha Kecil", "Small enterprise"),
    SizeClass.MENENGAH: ("Usaha Menengah", "Medium enterprise"),
    SizeClass.BESAR: ("Usaha Besar", "Large enterprise"),
}

Basis = Literal["capital", "annual_sales"]

#: Upper bound (inclusive, whole rupiah) of each class per basis; above the
#: last bound a business is 'besar'. PP 7/2021 Art. 35 (3) and (5).
THRESHOLDS: dict[Basis, tuple[tuple[SizeClass, int], ...]] = {
    "capital": (
        (SizeClass.MIKRO, 1_000_000_000),
        (SizeClass.KECIL, 5_000_000_000),
        (SizeClass.MENENGAH, 10_000_000_000),
    ),
    "annual_sales": (
        (SizeClass.MIKRO, 2_000_000_000),
        (SizeClass.KECIL, 15_000_000_000),
        (SizeClass.MENENGAH, 50_000_000_000),
    ),
}


def size_class(*, capital: int | None, annual_sales: int | None) -> SizeClass:
    """The class of a business: by ``capital`` when given, else by ``annual_sales``.

    Raises TypeError for a non-integer amount (float, bool, Decimal) and
    ValueError for a negative one or when both are None.
    """
    _check_amount("capital", capital)
    _check_amount("annual_sales", annual_sales)
    if capital is not None:
        return _classify("capital", capital)
    if annual_sales is not None:
        return _classify("annual_sales", annual_sales)
    raise ValueError("size_class needs capital or annual_sales; both are None")


def _classify(basis: Basis, amount: int) -> SizeClass:
    for cls, upper in THRESHOLDS[basis]:
        if amount <= upper:
            return cls
    return SizeClass.BESAR


def _check_amount(name: str, amount: object) -> None:
    if amount is None:
        return
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"{name} must be whole rupiah as int, not {type(amount).__name__}")
    if amount < 0:
        raise ValueError(f"{name} cannot be negative")
