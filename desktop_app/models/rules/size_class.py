"""UMKM size class from annual sales or business capital (PP 7/2021, Art. 35).

Which figure decides (PP 7/2021 Art. 35): business capital excluding land
and buildings (modal usaha) is the criterion for *setting up or
registering* a business (Art. 35 (2)-(3)); for facilitation, protection and
empowerment, and for businesses already operating when the regulation came
into force, annual sales (hasil penjualan tahunan) are used (Art. 35
(4)-(6)). The office's surveys are empowerment work on operating
businesses, so a business is classed by its annual sales when they are
known; an estimate of annual sales from the monthly turnover (× 12) comes
next, labelled as an estimate; capital is used only when no sales figure
was given. The basis used is stored with the survey (``size_class_basis``)
so a reader knows which figure decided. Secondary sources agreeing on this
reading of Art. 35: DDTC News no. 27949, kontrakhukum.com, smartlegal.id
(docs/DOMAIN.md, "UMKM size").

Amounts are whole rupiah: the rule refuses floats so a rounding error can
never move a business across a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..codes import LabelledCode


class SizeClass(LabelledCode):
    """The size of a business; 'besar' lies outside UMKM."""

    MIKRO = "mikro", "Usaha Mikro", "Micro enterprise"
    KECIL = "kecil", "Usaha Kecil", "Small enterprise"
    MENENGAH = "menengah", "Usaha Menengah", "Medium enterprise"
    BESAR = "besar", "Usaha Besar", "Large enterprise"


class Basis(LabelledCode):
    """Which figure decided the class, in the order they are preferred."""

    ANNUAL_SALES = "annual_sales", "Hasil penjualan tahunan", "Annual sales"
    #: monthly turnover × 12, labelled as an estimate
    ANNUAL_SALES_ESTIMATED = ("annual_sales_estimated",
                              "Perkiraan hasil penjualan tahunan (omzet per bulan × 12)",
                              "Estimated annual sales (monthly turnover × 12)")
    CAPITAL = ("capital", "Modal usaha (di luar tanah dan bangunan)",
               "Capital (excluding land and buildings)")

#: Months in a year: the estimate of annual sales from one month's turnover.
MONTHS_PER_YEAR = 12

#: Upper bound (inclusive, whole rupiah) of each class per criterion; above
#: the last bound a business is 'besar'.
#: Capital: PP 7/2021 Art. 35 (3): mikro up to Rp1 billion, kecil more than
#: Rp1 billion up to Rp5 billion, menengah more than Rp5 billion up to
#: Rp10 billion (excluding land and buildings).
#: Annual sales: PP 7/2021 Art. 35 (5): mikro up to Rp2 billion, kecil more
#: than Rp2 billion up to Rp15 billion, menengah more than Rp15 billion up to
#: Rp50 billion.
THRESHOLDS: dict[str, tuple[tuple[SizeClass, int], ...]] = {
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


@dataclass(frozen=True, slots=True)
class Classification:
    """The class of a business and the figure that decided it."""

    size_class: SizeClass
    basis: Basis
    amount: int  # the figure compared with the thresholds (the estimate, for an estimate)


def classify(*, annual_sales: int | None = None, monthly_turnover: int | None = None,
             capital: int | None = None) -> Classification | None:
    """The class of an operating business, by annual sales when known, else
    by an estimate from the monthly turnover, else by capital (PP 7/2021
    Art. 35 (4)-(6)); None when no figure is given.

    Raises TypeError for a non-integer amount (float, bool, Decimal) and
    ValueError for a negative one; every given amount is checked, also one
    that does not decide.
    """
    _check_amount("annual_sales", annual_sales)
    _check_amount("monthly_turnover", monthly_turnover)
    _check_amount("capital", capital)
    if annual_sales is not None:
        return Classification(size_class_by("annual_sales", annual_sales), Basis.ANNUAL_SALES,
                              annual_sales)
    if monthly_turnover is not None:
        estimate = monthly_turnover * MONTHS_PER_YEAR
        return Classification(size_class_by("annual_sales", estimate),
                              Basis.ANNUAL_SALES_ESTIMATED, estimate)
    if capital is not None:
        return Classification(size_class_by("capital", capital), Basis.CAPITAL, capital)
    return None


def size_class_by(criterion: str, amount: int) -> SizeClass:
    """The class of ``amount`` under one criterion ('capital' or 'annual_sales');
    each upper bound belongs to the lower class."""
    _check_amount(criterion, amount)
    for cls, upper in THRESHOLDS[criterion]:
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
